"""Custom layers called on ``keras.Input``s, built the same way for TF (by
tools/record_keras_symbolic_fixtures.py) and for tapeflow (by tests/test_keras_symbolic.py).

Each case takes the ``tf`` module, builds a functional model while its ``print`` calls are
captured, and returns the model; what it printed and its outputs' shapes and dtypes are
compared with TF's. The prints show what ``call`` sees while Keras finds the output shapes:
symbolic tensors with an unknown batch size, each ``call`` run once."""

import numpy as np


def _layer(tf, body, build=None, **members):
    """A Layer subclass whose ``call`` is ``body`` (and ``build``, if given)."""
    attrs = {"call": body, **members}
    if build is not None:
        attrs["build"] = build
    return type("Custom", (tf.keras.layers.Layer,), attrs)


def print_shape(tf):
    def call(self, x):
        print("shape", x.shape, "dtype", x.dtype, "ndim", x.shape.rank)
        print("batch", x.shape[0], "last", x.shape[-1])
        return x * 2.0
    inp = tf.keras.Input((3,))
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def print_tensor(tf):
    def call(self, x):
        print(x)
        print(repr(x))
        return x
    inp = tf.keras.Input((3,), name="features")
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def dynamic_batch(tf):
    """tf.shape(x)[0] is a tensor, not a number; ops built from it keep the batch unknown."""
    def call(self, x):
        n = tf.shape(x)[0]
        print("n is tensor", tf.is_tensor(n), "static", x.shape[0])
        flat = tf.reshape(x, [n, -1])
        zeros = tf.zeros([n, 4])
        return tf.concat([flat, zeros], axis=-1)
    inp = tf.keras.Input((2, 3))
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def unknown_time(tf):
    """A sequence of unknown length: the length stays None; reductions drop it."""
    def call(self, x):
        print("shape", x.shape)
        steps = tf.shape(x)[1]
        scale = tf.cast(steps, x.dtype)
        return tf.reduce_sum(x, axis=1) / scale, x[:, :1, :]
    inp = tf.keras.Input((None, 4))
    a, b = _layer(tf, call)()(inp)
    return tf.keras.Model(inp, [a, b])


def python_branch(tf):
    """Python branches on static sizes see TF's values: None for the batch."""
    def call(self, x):
        if x.shape[0] is None:
            print("batch unknown")
        else:
            print("batch", x.shape[0])
        if x.shape[-1] > 2:
            print("wide")
            return x[:, :2]
        return x
    inp = tf.keras.Input((5,))
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def build_weights(tf):
    def build(self, input_shape):
        print("build", tuple(input_shape))
        self.w = self.add_weight(shape=(input_shape[-1], 4), initializer="ones", name="w")
        self.b = self.add_weight(shape=(4,), initializer="zeros", name="b")

    def call(self, x):
        print("w", self.w.shape, "built", self.built)
        return tf.matmul(x, self.w) + self.b
    inp = tf.keras.Input((3,))
    layer = _layer(tf, call, build)()
    out = layer(inp)
    print("weights", [tuple(w.shape) for w in layer.weights])
    return tf.keras.Model(inp, out)


def training_flags(tf):
    """Dropout and BatchNormalization inside a custom layer, ``training`` passed on."""
    def init(self):
        tf.keras.layers.Layer.__init__(self)
        self.drop = tf.keras.layers.Dropout(0.5)
        self.bn = tf.keras.layers.BatchNormalization()

    def call(self, x, training=None):
        print("training", training)
        return self.drop(self.bn(x, training=training), training=training)
    inp = tf.keras.Input((4,))
    layer = _layer(tf, call, __init__=init)()
    a = layer(inp)
    b = layer(inp, training=True)
    print("moving mean", layer.bn.moving_mean.numpy().tolist())
    return tf.keras.Model(inp, [a, b])


def returns_dict(tf):
    def call(self, x):
        return {"double": x * 2, "total": tf.reduce_sum(x, axis=-1, keepdims=True),
                "count": tf.cast(tf.shape(x)[-1], "int32")}
    inp = tf.keras.Input((3,))
    out = _layer(tf, call)()(inp)
    print(sorted(out))
    return tf.keras.Model(inp, out)


def returns_tuple(tf):
    def call(self, x):
        return x[:, :1], tf.cast(x, "int32"), tf.expand_dims(x, 1)
    inp = tf.keras.Input((3,))
    a, b, c = _layer(tf, call)()(inp)
    return tf.keras.Model(inp, [a, b, c])


def nested_layer(tf):
    """A layer that calls another layer it made in __init__, built on its first call."""
    def init(self):
        tf.keras.layers.Layer.__init__(self)
        self.inner = tf.keras.layers.Dense(5)

    def call(self, x):
        print("inner built before", self.inner.built)
        y = self.inner(x)
        print("inner out", y.shape, "inner built", self.inner.built)
        return tf.nn.relu(y)
    inp = tf.keras.Input((3,))
    layer = _layer(tf, call, __init__=init)()
    out = layer(inp)
    print("weights", [tuple(w.shape) for w in layer.weights])
    return tf.keras.Model(inp, out)


def call_count(tf):
    """How often ``call`` runs while a model is built: once per layer call."""
    calls = []

    def call(self, x):
        calls.append(tuple(x.shape))
        return x + 1.0
    inp = tf.keras.Input((None, 3))
    layer = _layer(tf, call)()
    out = layer(layer(inp))
    print("calls", calls)
    return tf.keras.Model(inp, out)


def dtypes_and_casts(tf):
    def call(self, x):
        print("in", x.dtype)
        return tf.cast(x > 0, "int32"), tf.cast(x, "float16")
    inp = tf.keras.Input((2,), dtype="float64")
    a, b = _layer(tf, call)()(inp)
    return tf.keras.Model(inp, {"ints": a, "halves": b})


def static_reshape(tf):
    """Static sizes read from x.shape make a known shape; the batch stays None."""
    def call(self, x):
        return tf.reshape(x, (-1, x.shape[1] * x.shape[2]))
    inp = tf.keras.Input((4, 5))
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def tf_print(tf):
    """tf.print inside call only runs when a value flows: building the model prints nothing."""
    def call(self, x):
        tf.print("tf.print ran")
        return x
    inp = tf.keras.Input((2,))
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def fixed_batch(tf):
    """An Input with a batch size: call sees it."""
    def call(self, x):
        print("shape", x.shape)
        return tf.reduce_mean(x, axis=0, keepdims=True)
    inp = tf.keras.Input((3,), batch_size=4)
    return tf.keras.Model(inp, _layer(tf, call)()(inp))


def two_inputs(tf):
    def call(self, inputs):
        a, b = inputs
        print("a", a.shape, "b", b.shape)
        return tf.concat([a, tf.tile(b, [1, 2])], axis=-1)
    a, b = tf.keras.Input((3,)), tf.keras.Input((1,))
    return tf.keras.Model([a, b], _layer(tf, call)()([a, b]))


def own_output_shape(tf):
    """A layer that declares its output shape: Keras uses it and never runs ``call``."""
    def call(self, x):
        print("call ran")
        return x[:, :2]

    def compute_output_shape(self, input_shape):
        print("compute_output_shape", tuple(input_shape))
        return (input_shape[0], 2)
    inp = tf.keras.Input((3,))
    layer = _layer(tf, call, compute_output_shape=compute_output_shape)()
    return tf.keras.Model(inp, layer(inp))


def builtin_layers(tf):
    """Keras's own layers on unknown sizes: a layer's declared shape where it has one
    (Reshape's -1 is known from the other sizes), the trace's where it has not."""
    L = tf.keras.layers
    seq, var = tf.keras.Input((6, 4)), tf.keras.Input((None, 4))
    img = tf.keras.Input((None, None, 3))
    outs = [L.Reshape((-1, 2))(seq), L.Lambda(lambda x: x[:, ::2])(var),
            L.Conv2D(2, 3, strides=2, padding="same")(img), L.UpSampling2D()(img),
            L.GlobalAveragePooling2D()(img), L.LSTM(2, return_sequences=True)(seq)]
    return tf.keras.Model([seq, var, img], outs)


def masks(tf):
    """Embedding's mask follows the KerasTensors: call sees it, Dense passes it on."""
    def call(self, x, mask=None):
        print("mask", None if mask is None else (tuple(mask.shape), mask.dtype.name))
        return x
    L = tf.keras.layers
    inp = tf.keras.Input((5,), dtype="int32")
    x = L.Embedding(10, 4, mask_zero=True)(inp)
    x = _layer(tf, call)()(L.Dense(3)(x))
    print(x)
    out = L.LSTM(2)(x)
    print(out)
    return tf.keras.Model(inp, out)


def call_raises(tf):
    """A layer whose call fails on KerasTensors: Keras's error, naming what it was given."""
    def call(self, x, training=None):
        raise KeyError("bad input")
    inp = tf.keras.Input((3,))
    layer = _layer(tf, call)()
    return tf.keras.Model(inp, layer(inp, training=True))


CASES = {f.__name__: f for f in (
    print_shape, print_tensor, dynamic_batch, unknown_time, python_branch, build_weights,
    training_flags, returns_dict, returns_tuple, nested_layer, call_count, dtypes_and_casts,
    static_reshape, tf_print, fixed_batch, two_inputs, own_output_shape, builtin_layers, masks,
    call_raises)}


def outputs_of(model):
    """[[name, shape, dtype]] of the model's outputs, dict outputs by key."""
    return [[str(k), list(t.shape), str(t.dtype)] for k, t in _items(model.output)]


def _items(out):
    if isinstance(out, dict):
        return sorted(out.items())
    return enumerate(out) if isinstance(out, list | tuple) else [(0, out)]


def run_model(model):
    """The model on a batch of 2 ones (the output shapes of a real call)."""
    flat = [t for _, t in _items(model.inputs)]
    data = [np.ones([2 if d is None else d for d in t.shape[:1]] + [
        3 if d is None else d for d in t.shape[1:]], dtype=str(t.dtype)) for t in flat]
    out = model(data if len(data) > 1 else data[0])
    return [[str(k), list(np.shape(v))] for k, v in _items(out)]


def model_io(model):
    """The types of a model's inputs/outputs (flat lists in Keras 3) and input/output (as
    given)."""
    return [type(model.inputs).__name__, type(model.outputs).__name__,
            type(model.input).__name__, type(model.output).__name__]
