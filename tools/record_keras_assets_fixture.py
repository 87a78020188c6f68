"""Record a `.keras` file written by Keras 3 for a model whose TextVectorization learned its
vocabulary with ``adapt`` (the vocabulary travels as an asset file, not in the config), and what
the model gives for a few texts, into tests/fixtures/keras_features/.

    /work/tfenv/bin/python tools/record_keras_assets_fixture.py
"""

import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_features"
CORPUS = ["the cat sat", "the dog ran far", "a cat"]
TEXTS = ["the cat ran", "a dog", "unknown words here"]


def main():
    keras.utils.set_random_seed(0)
    tv = keras.layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    tv.adapt(CORPUS)
    model = keras.Sequential([keras.Input(shape=(), dtype="string"), tv,
                              keras.layers.Embedding(10, 2)])
    model.save(OUT / "text_vectorization.keras")
    expected = {"vocabulary": [str(t) for t in tv.get_vocabulary()],
                "ids": tv(np.array(TEXTS)).numpy().tolist(),
                "outputs": model(np.array(TEXTS)).numpy().tolist(), "texts": TEXTS}
    (OUT / "text_vectorization.json").write_text(json.dumps(expected) + "\n")
    print("recorded", OUT / "text_vectorization.keras")


if __name__ == "__main__":
    main()
