"""The models whose ``model_to_dot`` DOT source the Keras plot fixtures hold, built the same way
for Keras (by tools/record_keras_plot_fixtures.py) and for tapeflow (by
tests/test_keras_plot.py): each model function takes the ``keras`` module and returns the model.
``CASES`` pairs a model with the ``model_to_dot`` arguments it is drawn with."""

import re

import numpy as np
from keras_summary_cases import mlp  # Input(784), Dense(512, relu), Dropout, Dense(10, softmax)


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


def _sub(keras):
    """An unbuilt subclassed model."""
    L = keras.layers

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = L.Dense(4, activation="relu")
            self.d2 = L.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))
    return Sub()


def subclassed(keras):
    m = _sub(keras)
    m(np.ones((3, 5), "float32"))
    return m


def added(keras):
    """A Sequential grown by ``add`` (each add rebuilds it, calling the layers again), a layer
    popped, a layer without weights frozen."""
    L = keras.layers
    m = keras.Sequential(name="grown")
    m.add(keras.Input((6,)))
    m.add(L.Dense(5, activation="elu"))
    m.add(L.Activation("gelu"))
    m.add(L.Dense(9))
    m.pop()
    m.add(L.Dense(2))
    m.layers[1].trainable = False
    return m


def attention(keras):
    """Layers called with several tensors and keyword tensors, a wrapper layer, a layer of the
    model also called outside it, a functional model subclass."""
    L = keras.layers
    q, v = keras.Input((4, 6), name="q"), keras.Input((5, 6), name="v")
    att = L.MultiHeadAttention(2, 3, name="mha")(q, v, key=v)
    td = L.TimeDistributed(L.Dense(2, activation="relu"), name="td")(att)
    proj = L.Dense(2, name="proj")
    out = proj(L.GlobalMaxPooling1D()(td))
    proj(keras.Input((2,), name="elsewhere"))

    class Custom(keras.Model):
        pass
    return Custom([q, v], out, name="custom")


def dict_io(keras):
    """Dict inputs and outputs."""
    L = keras.layers
    inputs = {"x": keras.Input((3,), name="x"), "y": keras.Input((2,), name="y")}
    h = L.Concatenate(name="join")([inputs["x"], inputs["y"]])
    return keras.Model(inputs, {"out": L.Dense(1, name="out")(h)}, name="dicts")


def nested_dict(keras):
    """A model with dict inputs nested in another."""
    inner = dict_io(keras)
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    return keras.Model([a, b], inner({"x": a, "y": b}), name="wrapper")


class _Scaled:
    """An activation known by its ``name`` attribute."""
    name = "scaled"

    def __call__(self, x):
        return 2 * x


def custom_parts(keras):
    """A custom layer whose activation is a callable object, a subclassed model called inside a
    functional one."""
    L = keras.layers

    class Scale(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.activation = _Scaled()

        def call(self, x):
            return self.activation(x)

    x_in = keras.Input((3,), name="x")
    h = L.Dense(3, name="wide")(Scale(name="scale")(x_in))
    return keras.Model(x_in, _sub(keras)(h), name="parts")


MODELS = {f.__name__: f for f in (mlp, cnn_frozen, two_in_two_out, multi_output_layer, nested,
                                  nested_two_inputs, subclassed, added, attention, dict_io,
                                  nested_dict, custom_parts)}

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
    ("added_all", "added", ALL_FLAGS),
    ("added_expand", "added", {"expand_nested": True}),
    ("attention_all", "attention", ALL_FLAGS),
    ("attention_expand", "attention", {"expand_nested": True}),
    ("dict_io_all", "dict_io", ALL_FLAGS),
    ("nested_dict", "nested_dict", {"show_shapes": True, "show_dtype": True}),
    ("nested_dict_expand", "nested_dict", {"expand_nested": True, "show_shapes": True}),
    ("custom_parts_all", "custom_parts", dict(ALL_FLAGS, expand_nested=True)),
]


def normalize_ids(dot_source):
    """The DOT source with each node id (Keras and tapeflow use ``id(layer)``) replaced by its
    order of first appearance."""
    ids = {}
    return re.sub(r"\b\d{9,}\b", lambda m: f"n{ids.setdefault(m.group(0), len(ids))}",
                  dot_source)
