"""A classic Keras text classifier: TextVectorization adapted on a toy corpus of film reviews,
Embedding (masking the padding), a bidirectional LSTM with dropout, a sigmoid output; ``fit``,
then ``predict`` on new sentences.

    python examples/keras_text_lstm.py            # tapeflow
    python examples/keras_text_lstm.py --tf       # the same program on TensorFlow, to compare
"""

import argparse
import importlib

import numpy as np

GOOD = ["a great film", "really good fun", "i loved it", "wonderful acting and a great story",
        "good music and a fine cast", "great fun for the whole family", "a moving story",
        "brilliant and funny", "the best film this year", "i enjoyed every minute"]
BAD = ["a terrible film", "really bad plot", "i hated it", "awful acting and a boring story",
       "bad music and a weak cast", "a waste of time for the whole family", "a dull story",
       "boring and silly", "the worst film this year", "i regretted every minute"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", action="store_true", help="run on TensorFlow instead")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tf = importlib.import_module("tensorflow" if args.tf else "tapeflow")
    keras = tf.keras
    layers = keras.layers
    keras.utils.set_random_seed(args.seed)

    rng = np.random.RandomState(args.seed)
    order = rng.permutation(2 * len(GOOD))
    texts = tf.constant(np.array(GOOD + BAD)[order][:, None])  # Keras's fit takes no NumPy strings
    labels = np.array([1.0] * len(GOOD) + [0.0] * len(BAD), "float32")[order]

    vectorize = layers.TextVectorization(max_tokens=100, output_sequence_length=8)
    vectorize.adapt(texts)
    print("vocabulary:", vectorize.vocabulary_size(), "tokens, first",
          vectorize.get_vocabulary()[:6])
    model = keras.Sequential([
        keras.Input(shape=(1,), dtype="string"),
        vectorize,
        layers.Embedding(100, 16, mask_zero=True),
        layers.Bidirectional(layers.LSTM(8, dropout=0.2)),
        layers.Dense(1, activation="sigmoid"),
    ], name="reviews")
    model.summary()
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(texts, labels, epochs=args.epochs, batch_size=4, verbose=0)
    logs = history.history
    print(f"loss {logs['loss'][0]:.3f} -> {logs['loss'][-1]:.3f}, accuracy "
          f"{logs['accuracy'][-1]:.2f}")
    new = ["what a great and funny story", "a boring waste of time", "i loved the music",
           "a silly plot"]
    for text, p in zip(new, model.predict(tf.constant(new)[:, None], verbose=0)[:, 0]):
        print(f"{p:.2f}  {text}")


if __name__ == "__main__":
    main()
