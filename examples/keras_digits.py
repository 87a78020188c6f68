"""Classic Keras on scikit-learn's bundled digits (8x8 images, 10 classes): an MLP and a small
CNN trained with ``fit`` (validation split, callbacks, the progress bar), then ``evaluate``.

    python examples/keras_digits.py            # tapeflow
    python examples/keras_digits.py --tf       # the same program on TensorFlow, to compare
    python examples/keras_digits.py --epochs 5 --verbose 2

Needs scikit-learn (in tapeflow's dev extra).
"""

import argparse
import importlib
import os
import tempfile

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def models(keras):
    layers = keras.layers
    mlp = keras.Sequential([
        keras.Input((64,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(10, activation="softmax"),
    ], name="mlp")
    cnn = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ], name="cnn")
    return mlp, cnn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", action="store_true", help="run on TensorFlow instead")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--verbose", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = importlib.import_module("tensorflow" if args.tf else "tapeflow")
    keras = tf.keras
    keras.utils.set_random_seed(args.seed)

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")
    x_train, x_test, y_train, y_test = train_test_split(
        x, digits.target, test_size=0.25, random_state=0, stratify=digits.target)

    log_dir = tempfile.mkdtemp(prefix="keras_digits_")
    results = {}
    for model in models(keras):
        images = model.name == "cnn"
        xtr = x_train[..., None] if images else x_train.reshape(len(x_train), -1)
        xte = x_test[..., None] if images else x_test.reshape(len(x_test), -1)
        model.summary()
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=5,
                                          restore_best_weights=True),
            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
            keras.callbacks.CSVLogger(os.path.join(log_dir, f"{model.name}.csv")),
        ]
        history = model.fit(xtr, y_train, batch_size=32, epochs=args.epochs,
                            validation_split=0.2, callbacks=callbacks, verbose=args.verbose)
        loss, accuracy = model.evaluate(xte, y_test, verbose=0)
        results[model.name] = accuracy
        print(f"{model.name}: {len(history.epoch)} epochs, test loss {loss:.4f}, "
              f"test accuracy {accuracy:.4f}")
    print(f"epoch logs in {log_dir}")
    return results


if __name__ == "__main__":
    main()
