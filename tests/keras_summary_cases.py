"""The models whose summary() the Keras fixtures hold, built the same way for Keras (by
tools/record_keras_fixtures.py) and for tapeflow (by tests/test_keras_models.py): each function
takes the ``keras`` module and returns the model, ready for ``summary()``."""

import numpy as np


def mlp(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((784,)), L.Dense(512, activation="relu"),
                             L.Dropout(0.2), L.Dense(10, activation="softmax")])


def cnn(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"),
                             L.MaxPooling2D(), L.Flatten(), L.Dense(10)], name="cnn")


def unbuilt(keras):
    return keras.Sequential([keras.layers.Dense(4)])


def functional2(keras):
    """Two inputs through a shared layer, two outputs: the "Connected to" layout."""
    L = keras.layers
    a, b = keras.Input((8,), name="a"), keras.Input((8,), name="b")
    shared = L.Dense(4, name="shared")
    x = L.BatchNormalization()(L.Concatenate()([shared(a), shared(b)]))
    return keras.Model([a, b], [L.Dense(1, name="y1")(x), L.Dense(3, name="y2")(x)])


def functional1(keras):
    inp = keras.Input((3,))
    return keras.Model(inp, keras.layers.Dense(2)(keras.layers.Dense(3)(inp)))


def after_fit(keras):
    """Trained once, so the optimizer's variables exist and are counted."""
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                          keras.layers.BatchNormalization()])
    m.compile("adam", "mse")
    m.fit(np.ones((8, 4)), np.ones((8, 3)), verbose=0)
    return m


def subclassed(keras):
    L = keras.layers

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = L.Dense(4, activation="relu")
            self.bn = L.BatchNormalization()
            self.d2 = L.Dense(2)

        def call(self, x, training=False):
            return self.d2(self.bn(self.d1(x), training=training))
    m = Sub()
    m(np.ones((3, 5), "float32"))
    return m


CASES = {f.__name__: f for f in (mlp, cnn, unbuilt, functional2, functional1, after_fit,
                                 subclassed)}
