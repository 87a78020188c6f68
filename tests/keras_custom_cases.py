"""Custom Keras classes and the snippets around them, defined the same way under Keras 3 (by
tools/record_keras_custom_fixtures.py) and under tapeflow (by tests/test_keras_custom.py): pass
the ``keras`` module. Classes are made once per keras module (registering twice is harmless in
both, but one class object per name keeps ``isinstance`` checks simple)."""

import contextlib
import functools
import io
import json
import warnings
import zipfile

import numpy as np

X = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
Y = np.array([[1, -1], [0.5, 2]], np.float32)


@functools.lru_cache(maxsize=None)
def classes(keras):
    register = keras.utils.register_keras_serializable

    @register(package="Demo")
    class Scale(keras.layers.Layer):
        """A custom layer with its own weight and get_config."""

        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            return x * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @register(package="Demo")
    class Net(keras.Model):
        """A subclassed model: attributes, a list of layers, a custom layer, get_config."""

        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.d1 = keras.layers.Dense(units, activation="relu")
            self.scale = Scale(3.0)
            self.blocks = [keras.layers.Dense(units), keras.layers.Dense(2)]

        def call(self, x):
            x = self.scale(self.d1(x))
            for block in self.blocks:
                x = block(x)
            return x

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    @register(package="Deep")
    class Block(keras.layers.Layer):
        """Layers in a dict, a normalization, its own get_config."""

        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.parts = {"a": keras.layers.Dense(units),
                          "b": keras.layers.Dense(units, use_bias=False)}
            self.norm = keras.layers.LayerNormalization()

        def call(self, x):
            return self.norm(self.parts["a"](x) + self.parts["b"](x))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    @register(package="Deep")
    class Deep(keras.Model):
        """Custom blocks in a list, its own build adding a weight, the automatic config."""

        def __init__(self, **kw):
            super().__init__(**kw)
            self.blocks = [Block(4), Block(2)]
            self.head = keras.layers.Dense(1)

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
            super().build(input_shape)

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.head(x) * self.scale

    class Auto(keras.layers.Layer):
        """No get_config: Keras records the plain constructor arguments."""

        def __init__(self, k, mode="add", sizes=(1, 2)):
            super().__init__()
            self.k, self.mode, self.sizes = k, mode, sizes

        def call(self, x):
            return x * self.k

    class NeedsConfig(keras.Model):
        """No get_config and a required argument: cannot be recorded."""

        def __init__(self, units):
            super().__init__()
            self.d = keras.layers.Dense(units)

        def call(self, x):
            return self.d(x)

    class Plain(keras.Model):
        """No get_config, no arguments, not registered."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    class Renamed(keras.layers.Layer):
        """Its config names an argument its constructor does not take."""

        def __init__(self, rate=0.5, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate

        def call(self, x):
            return x * self.rate

        def get_config(self):
            return {**super().get_config(), "ratio": self.rate}

    class Forgetful(keras.Model):
        """Its config leaves out a required constructor argument."""

        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(units)

        def call(self, x):
            return self.d(x)

        def get_config(self):
            return super().get_config()

    class Star(keras.layers.Layer):
        def __init__(self, *args, **kwargs):
            super().__init__()

    @register(package="Acts")
    def swishy(x):
        return x * 2.0

    return {"swishy": swishy, "Scale": Scale, "Net": Net, "Auto": Auto, "NeedsConfig": NeedsConfig, "Plain": Plain,
            "Star": Star, "Renamed": Renamed, "Forgetful": Forgetful, "Block": Block,
            "Deep": Deep}


def trained_net(keras):
    """``Net(5)`` called, compiled with Adam and fitted two steps with fixed weights."""
    net = classes(keras)["Net"](5, name="net")
    net(X)
    for i, var in enumerate(net.weights):
        shape = tuple(var.shape)
        var.assign(np.cos(np.arange(np.prod(shape)) + i).reshape(shape).astype(np.float32))
    net.compile(optimizer="adam", loss="mse")
    net.fit(X, Y, epochs=2, batch_size=2, verbose=0, shuffle=False)
    return net


def deep_model(keras):
    """``Deep`` called once, its weights set to fixed values."""
    deep = classes(keras)["Deep"](name="deep")
    deep(X)
    for i, var in enumerate(deep.weights):
        shape = tuple(var.shape)
        var.assign(np.sin(np.arange(int(np.prod(shape))) + i).reshape(shape).astype(np.float32))
    return deep


def sequential_with_custom_layer(keras):
    Scale = classes(keras)["Scale"]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Scale(0.5)], name="seq")
    model.layers[0].set_weights([np.ones((3, 2), np.float32), np.array([1, 2], np.float32)])
    return model


def functional_with_custom_layer(keras):
    Scale = classes(keras)["Scale"]
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(2, name="d")(inputs)
    model = keras.Model(inputs, keras.layers.Add(name="add")([Scale(2.0, name="s")(hidden), hidden]),
                        name="fn")
    model.get_layer("d").set_weights([np.full((3, 2), 0.5, np.float32), np.array([1, -1],
                                                                               np.float32)])
    return model


def _outcome(fn):
    """What a call does: ``("ok", result, warnings)`` or ``("raise", type, message)``."""
    out = io.StringIO()
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            result = fn()
        return ["ok", result, [f"{w.category.__name__}: {w.message}" for w in caught
                               if not issubclass(w.category, DeprecationWarning)]]
    except Exception as e:  # noqa: BLE001 - recorded and compared
        return ["raise", type(e).__name__, str(e)]


def texts(keras, tmp):
    """The configs, errors and warnings Keras users see around custom classes."""
    c = classes(keras)
    out = {}
    auto = c["Auto"](2.5, mode="mul")
    out["auto_config"] = _outcome(lambda: _plain_config(auto.get_config()))
    needs = c["NeedsConfig"](3)
    needs(X)
    out["needs_config_get_config"] = _outcome(needs.get_config)
    out["needs_config_save"] = _outcome(lambda: needs.save(f"{tmp}/needs.keras"))
    out["star_get_config"] = _outcome(lambda: c["Star"](1, 2).get_config())
    plain = c["Plain"](name="plain")
    out["unbuilt_save"] = _outcome(lambda: plain.save(f"{tmp}/unbuilt.keras"))
    plain(X)
    plain.save(f"{tmp}/plain.keras")
    out["plain_config"] = _outcome(lambda: _plain_config(plain.get_config()))
    out["not_registered_load"] = _outcome(
        lambda: type(keras.models.load_model(f"{tmp}/plain.keras")).__name__)
    out["custom_objects_load"] = _outcome(lambda: type(keras.models.load_model(
        f"{tmp}/plain.keras", custom_objects={"Plain": c["Plain"]})).__name__)

    def scoped():
        with keras.utils.custom_object_scope({"Plain": c["Plain"]}):
            return type(keras.models.load_model(f"{tmp}/plain.keras")).__name__
    out["scope_load"] = _outcome(scoped)
    out["registered_name"] = keras.utils.get_registered_name(c["Net"])
    out["unregistered_name"] = keras.utils.get_registered_name(c["Plain"])
    out["registered_object"] = keras.utils.get_registered_object("Demo>Scale").__name__

    renamed = c["Renamed"](0.25, name="renamed")
    out["layer_from_bad_config"] = _outcome(
        lambda: c["Renamed"].from_config(renamed.get_config()))
    forgetful = c["Forgetful"](2, name="forgetful")
    forgetful(X)
    forgetful.save(f"{tmp}/forgetful.keras")
    out["model_from_bad_config"] = _outcome(lambda: keras.models.load_model(
        f"{tmp}/forgetful.keras", custom_objects={"Forgetful": c["Forgetful"]}))
    compiled = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    compiled.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
                     loss=keras.losses.MeanSquaredError(),
                     metrics=["mae", keras.metrics.RootMeanSquaredError()])
    compiled.save(f"{tmp}/compiled.keras")
    with zipfile.ZipFile(f"{tmp}/compiled.keras") as z:
        out["compile_config"] = json.loads(z.read("config.json"))["compile_config"]

    def compiled_again():  # never fitted: its optimizer's variables were not built when saved
        again = keras.models.load_model(f"{tmp}/compiled.keras")
        return [type(again.optimizer).__name__, type(again.loss).__name__,
                float(again.optimizer.momentum)]
    out["compiled_again"] = _outcome(compiled_again)
    serialize, deserialize = keras.utils.serialize_keras_object, keras.utils.deserialize_keras_object
    objects = {"adam": keras.optimizers.Adam(0.01), "mse": keras.losses.MeanSquaredError(),
               "auc": keras.metrics.AUC(), "ones": keras.initializers.Ones(),
               "relu": keras.activations.relu, "scale": c["Scale"](0.5, name="scale_s")}
    for key, obj in objects.items():
        out[f"serialize_{key}"] = serialize(obj)
        back = deserialize(out[f"serialize_{key}"])
        out[f"deserialize_{key}"] = getattr(back, "__name__", type(back).__name__)
    out["serialize_plain"] = serialize(["relu", 3, None, {"a": [1.5]}])
    dense = serialize(keras.layers.Dense(2, name="d"))
    out["serialize_dense"] = [dense["module"], dense["class_name"], dense["registered_name"]]
    out["deserialize_dense"] = repr(deserialize(dense))
    out["deserialize_missing"] = _outcome(lambda: deserialize(
        {"module": None, "class_name": "Nope", "config": {}, "registered_name": "Nope"}))
    config = keras.layers.Dense(2, activation=c["swishy"], name="act").get_config()
    out["custom_activation"] = config["activation"]
    out["custom_activation_back"] = keras.layers.Dense.from_config(config).activation.__name__
    out["load_directory"] = _outcome(lambda: keras.models.load_model(tmp))
    with open(f"{tmp}/not_a_zip.keras", "w") as f:
        f.write("text")
    out["load_not_a_zip"] = _outcome(lambda: keras.models.load_model(f"{tmp}/not_a_zip.keras"))
    out["save_without_extension"] = _outcome(lambda: plain.save(f"{tmp}/plain"))
    for key in ("load_directory", "load_not_a_zip", "save_without_extension"):
        out[key][2] = out[key][2].replace(tmp, "<tmp>")

    class NoConfig:
        pass
    out["register_without_get_config"] = _outcome(
        lambda: keras.utils.register_keras_serializable()(NoConfig))
    return out


def _plain_config(config):
    """A config with its dtype policy shown by name (its object differs between libraries)."""
    return {k: (v["config"]["name"] if k == "dtype" and isinstance(v, dict) else v)
            for k, v in config.items()}
