"""Record what Keras 3 (TF 2.21) writes and prints for custom classes in ``.keras`` files.

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_custom_fixtures.py
Writes tests/fixtures/keras_custom/: net.keras (a registered subclassed model, compiled and
fitted), seq.keras (a Sequential holding a registered custom layer), functional.keras (a
functional model with that layer and an Add layer), deep.keras (a subclassed model of custom
blocks holding layers in a dict, with its own build), expected.npz (their
predictions and the net's optimizer variables) and texts.json (configs, errors, warnings).
"""

import json
import os
import pathlib
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
from tensorflow import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_custom"
sys.path.insert(0, str(ROOT / "tests"))
import keras_custom_cases as cases  # noqa: E402


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    net = cases.trained_net(keras)
    net.save(OUT / "net.keras")
    seq = cases.sequential_with_custom_layer(keras)
    seq.save(OUT / "seq.keras")
    fn = cases.functional_with_custom_layer(keras)
    fn.save(OUT / "functional.keras")
    keras.backend.clear_session()  # automatic names from dense, as the test makes it
    deep = cases.deep_model(keras)
    deep.save(OUT / "deep.keras")
    np.savez(OUT / "expected.npz", net=np.asarray(net(cases.X)), seq=np.asarray(seq(cases.X)),
             functional=np.asarray(fn(cases.X)), deep=np.asarray(deep(cases.X)),
             **{f"optimizer_{i}": np.asarray(v) for i, v in enumerate(net.optimizer.variables)})
    with tempfile.TemporaryDirectory() as tmp:
        texts = cases.texts(keras, tmp)
    (OUT / "texts.json").write_text(json.dumps(texts, indent=1))


if __name__ == "__main__":
    main()
