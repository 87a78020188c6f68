"""The models whose ``model_to_dot`` DOT source the Keras plot fixtures hold, built the same way
for Keras (by tools/record_keras_plot_fixtures.py) and for tapeflow (by
tests/test_keras_plot.py): each model function takes the ``keras`` module and returns the model.
``CASES`` pairs a model with the ``model_to_dot`` arguments it is drawn with."""

import re

import numpy as np


def mlp(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((784,)), L.Dense(64, activation="relu"),
                             L.Dropout(0.2), L.Dense(10, activation="softmax")])


def cnn_frozen(keras):
    """A Sequential built by ``build``, one layer frozen, one without weights."""
    L = keras.layers
    m = keras.Sequential([L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(), L.Flatten(),
                          L.Dense(3)], name="cnn")
    m.build((None, 8, 8, 1))
    m.layers[0].trainable = False
    return m


def two_in_two_out(keras):
    """Two inputs through a shared layer, a merge, two outputs."""
    L = keras.layers
    a, b = keras.Input((8,), name="a"), keras.Input((8,), name="b")
    shared = L.Dense(4, name="shared")
    x = L.Concatenate()([shared(a), shared(b)])
    x = L.BatchNormalization()(x)
    return keras.Model([a, b], [L.Dense(1, activation="sigmoid", name="y1")(x),
                                L.Dense(3, name="y2")(x)])


def multi_output_layer(keras):
    """A layer with several outputs (an LSTM returning its states), int inputs, Embedding."""
    L = keras.layers
    tokens = keras.Input((5,), dtype="int32", name="tokens")
    x = L.Embedding(20, 4)(tokens)
    seq, h, c = L.LSTM(3, return_sequences=True, return_state=True)(x)
    pooled = L.GlobalAveragePooling1D()(seq)
    return keras.Model(tokens, [L.Concatenate()([pooled, h, c]), seq])


def nested(keras):
    """A functional model holding a Sequential and a functional model, themselves nested."""
    L = keras.layers
    inner_in = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_in, L.Dense(4, activation="tanh", name="inner_dense")(inner_in),
                        name="inner")
    block = keras.Sequential([keras.Input((4,)), L.Dense(4, name="block_dense"), inner],
                             name="block")
    head = keras.Sequential([L.Dense(2, name="head_dense")], name="head")
    x_in = keras.Input((6,), name="x")
    x = L.Dense(4, name="stem")(x_in)
    y = block(x)
    z = inner(x)
    out = head(L.Add(name="add")([y, z]))
    return keras.Model(x_in, out, name="outer")


def nested_two_inputs(keras):
    """A nested functional model with two inputs and two outputs, its outputs feeding on."""
    L = keras.layers
    p, q = keras.Input((3,), name="p"), keras.Input((3,), name="q")
    sub = keras.Model([p, q], [L.Add(name="sub_add")([p, q]), L.Dense(2, name="sub_d")(q)],
                      name="sub")
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    s, t = sub([a, b])
    return keras.Model([a, b], L.Concatenate(name="cat")([s, t]), name="top")


def subclassed(keras):
    L = keras.layers

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = L.Dense(4, activation="relu")
            self.d2 = L.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))
    m = Sub()
    m(np.ones((3, 5), "float32"))
    return m


MODELS = {f.__name__: f for f in (mlp, cnn_frozen, two_in_two_out, multi_output_layer, nested,
                                  nested_two_inputs, subclassed)}

ALL_FLAGS = dict(show_shapes=True, show_dtype=True, show_layer_activations=True,
                 show_trainable=True)

# (case name, model name, model_to_dot keyword arguments)
CASES = [
    ("mlp", "mlp", {}),
    ("mlp_shapes", "mlp", {"show_shapes": True}),
    ("mlp_dtype", "mlp", {"show_dtype": True}),
    ("mlp_no_names", "mlp", {"show_layer_names": False}),
    ("mlp_activations", "mlp", {"show_layer_activations": True}),
    ("mlp_trainable", "mlp", {"show_trainable": True}),
    ("mlp_lr_dpi", "mlp", {"rankdir": "LR", "dpi": 96, "splines": "curved"}),
    ("mlp_all", "mlp", dict(ALL_FLAGS, show_layer_names=False)),
    ("cnn_frozen_all", "cnn_frozen", ALL_FLAGS),
    ("cnn_frozen_expand", "cnn_frozen", {"expand_nested": True, "show_trainable": True}),
    ("two_in_two_out", "two_in_two_out", {}),
    ("two_in_two_out_all", "two_in_two_out", dict(ALL_FLAGS, rankdir="LR")),
    ("multi_output_layer", "multi_output_layer",
     {"show_shapes": True, "show_dtype": True, "show_trainable": True}),
    ("multi_output_layer_activations", "multi_output_layer", {"show_layer_activations": True}),
    ("nested", "nested", {"show_shapes": True}),
    ("nested_expand", "nested", {"expand_nested": True}),
    ("nested_expand_all", "nested", dict(ALL_FLAGS, expand_nested=True, rankdir="LR")),
    ("nested_two_inputs", "nested_two_inputs", {}),
    ("nested_two_inputs_expand", "nested_two_inputs",
     {"expand_nested": True, "show_shapes": True}),
    ("subclassed", "subclassed", {}),
    ("subclassed_all", "subclassed", ALL_FLAGS),
]


def normalize_ids(dot_source):
    """The DOT source with each node id (Keras and tapeflow use ``id(layer)``) replaced by its
    order of first appearance."""
    ids = {}
    return re.sub(r"\b\d{9,}\b", lambda m: f"n{ids.setdefault(m.group(0), len(ids))}",
                  dot_source)
