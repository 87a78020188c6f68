"""The objects the checkpoint fixtures hold, built the same way under TensorFlow (by
tools/record_checkpoint_fixtures.py) and under tapeflow (by the tests): pass the module as ``tf``."""

import numpy as np

DTYPES = ["float16", "float32", "float64", "complex64", "complex128", "int8", "int16", "int32",
          "int64", "uint8", "uint16", "uint32", "uint64", "bool"]


def value(dtype, shape, start=0):
    """Distinct, exactly representable values of ``dtype`` (negative ones for signed types)."""
    n = int(np.prod(shape))
    base = np.arange(start, start + n) - (n // 2 if dtype[0] in "fci" else 0)
    if dtype == "bool":
        return (base % 3 == 0).reshape(shape)
    if dtype.startswith("complex"):
        return (base + 0.5j * base[::-1]).astype(dtype).reshape(shape)
    if dtype.startswith("float"):
        return (base * 0.25).astype(dtype).reshape(shape)
    return base.astype(dtype).reshape(shape)


def dtype_variables(tf):
    out = {}
    for i, name in enumerate(DTYPES):
        shape = [(2, 3), (4,), ()][i % 3]
        out["v_" + name] = tf.Variable(value(name, shape, i), name=name)
    out["v_string"] = tf.Variable([b"", b"tape", b"flow" * 40], name="text")
    out["v_scalar_string"] = tf.Variable("hello")
    return out


def nested_module(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(value("float32", (n_in, n_out)), name="w")
            self.b = tf.Variable(np.zeros(n_out, np.float32), name="b")

    class Net(tf.Module):
        def __init__(self):
            super().__init__()
            self.layers = [Dense(3, 4), Dense(4, 2, name="out")]
            self.extra = {"scale": tf.Variable(2.0), "shift": tf.Variable(np.int32(-1))}
            self.pair = (tf.Variable([1, 2], dtype=tf.int64), tf.Variable(True))
            self._private = tf.Variable(np.float64(0.5))
            self.shared = self.layers[0].w  # a second path to one Variable

    return Net()


def bump(net, step):
    for var in (net.layers[0].w, net.layers[1].b, net.extra["scale"]):
        var.assign_add(np.ones(var.shape, var.dtype.as_numpy_dtype))
    step.assign_add(1)


def keras_model(tf):
    tf.keras.backend.clear_session()  # automatic names (dense, adam, ...) from the start
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.Dense(2)])
    optimizer = tf.keras.optimizers.Adam(0.1)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                  model.trainable_variables))
    return model, optimizer


def layouts(tf, out):
    """Checkpoints whose object graphs differ in order and shape: ``root=``, ``root=`` with
    keyword arguments, attributes added after ``save_counter``, lists and dicts assigned to a
    Checkpoint, a Module built on first call. Returns the prefixes written under ``out``."""
    import os

    class Lazy(tf.Module):
        def __init__(self):
            super().__init__()
            self.units = 2

        def __call__(self, x):
            if not hasattr(self, "w"):
                self.w = tf.Variable(value("float32", (x.shape[-1], self.units)), name="w")
            return x @ self.w

    lazy = Lazy()
    lazy(tf.ones([1, 3]))
    paths = [tf.train.Checkpoint(root=lazy).write(os.path.join(out, "root")),
             tf.train.Checkpoint(root=lazy, extra=tf.Variable(3)).write(
                 os.path.join(out, "root_kwargs"))]
    late = tf.train.Checkpoint(z=tf.Variable(1.0))
    late.save(os.path.join(out, "late"))
    late.b = tf.Variable(2.0)
    paths.append(late.save(os.path.join(out, "late")))
    paths.append(tf.train.Checkpoint(root=lazy, q=tf.Variable(5.0)).save(
        os.path.join(out, "root_saved")))
    held = tf.train.Checkpoint()
    held.listed = [tf.Variable(1.0)]
    held.listed.append(tf.Variable(2.0))
    held.mapped = {"one": held.listed[0], "two": tf.Variable([3.0])}
    held.nested = [[tf.Variable(4)], {"x": (tf.Variable(5), lazy)}]
    paths.append(held.write(os.path.join(out, "containers")))
    return paths


def subclassed_model(tf):
    """A subclassed Keras model: layers in attributes (a private one too), in a list and a dict,
    compiled and built, with its Adam built too."""
    layers = tf.keras.layers
    tf.keras.backend.clear_session()

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.head = layers.Dense(1, name="head")
            self.blocks = [layers.Dense(3, name="b0"), layers.Dense(3, name="b1")]
            self.extra = {"norm": layers.BatchNormalization(name="bn")}
            self._hidden = layers.Dense(3, name="hidden")

        def call(self, x):
            x = self._hidden(x)
            for block in self.blocks:
                x = block(x)
            return self.head(self.extra["norm"](x))

    net = Net()
    net(np.ones((2, 4), np.float32))
    net.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    net.optimizer.build(net.trainable_variables)
    return net


def h5_layout(h5py, path):
    """Every group and dataset of an HDF5 file: (name, attributes, shape, dtype)."""
    out = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.append(
            [name, {k: str(v) for k, v in obj.attrs.items()},
             list(obj.shape) if hasattr(obj, "shape") else None,
             str(obj.dtype) if hasattr(obj, "dtype") else None]))
    return out


FUNCTIONAL_X = [np.arange(6, dtype=np.float32).reshape(2, 3), np.ones((2, 2), np.float32)]


def functional_model(tf):
    """Two inputs, a shared-free graph with a merge: Dense -> Concatenate(with b) -> Dense."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    hidden = layers.Dense(2, activation="relu", name="d1")(a)
    out = layers.Dense(1, name="out")(layers.Concatenate(name="cat")([hidden, b]))
    return tf.keras.Model([a, b], out, name="fm")
