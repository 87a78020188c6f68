"""What users see of a SavedModel, run the same way under TensorFlow (by
tools/record_saved_model_fixtures.py, which stores the texts in
tests/fixtures/saved_model/tf_texts.json) and under tapeflow (by tests/test_saved_model.py):
pass the module as ``tf``. Addresses, ids and generated numbers are masked."""

import os
import re

import numpy as np


def mask(text):
    text = re.sub(r"<[\w.]+ object at 0x[0-9a-fA-F]+>", "<OBJECT>", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    text = re.sub(r"^  \d+: ", "  ID: ", text, flags=re.M)
    text = re.sub(r'(ResourceHandle\(name="\w+)/\d+', r"\1/N", text)  # a creation counter
    text = re.sub(r"\n\tInternal Tensor = .*", "", text)  # TF's graph node: not shown by tapeflow
    text = re.sub(r"(__inference_\w+?)_\d+", r"\1_N", text)
    return text


def _inputs(sig):
    """A signature's inputs with its keyword arguments sorted (TF lists them in any order)."""
    args, kwargs = sig.structured_input_signature
    return repr((args, dict(sorted(kwargs.items()))))


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is what is recorded
        return f"{type(e).__name__}: {mask(str(e))}"
    return "no error"


def texts(tf, directory):
    """``{case: text}``: printed values, reprs and error messages."""
    out = {}

    class MyModule(tf.Module):
        def __init__(self, value):
            self.weight = tf.Variable(value)

        @tf.function
        def multiply(self, x):
            return x * self.weight

    mod = MyModule(3)
    mod.multiply(tf.constant([1, 2, 3]))
    path = os.path.join(directory, "basics")
    tf.saved_model.save(mod, path, signatures=mod.multiply.get_concrete_function(
        tf.TensorSpec([None], tf.int32)))
    loaded = tf.saved_model.load(path)
    out["call"] = str(loaded.multiply(tf.constant([1, 2, 3])))
    out["no_match"] = _error(lambda: loaded.multiply(tf.constant([1.0, 2.0])))
    out["too_many"] = _error(lambda: loaded.multiply(tf.constant([1, 2]), 3))
    sig = loaded.signatures["serving_default"]
    out["signature_keys"] = repr(list(loaded.signatures))
    out["signature_str"] = mask(str(sig))
    out["signature_inputs"] = _inputs(sig)
    out["signature_outputs"] = repr(sig.structured_outputs)
    out["signature_call"] = str(sig(x=tf.constant([4, 5])))
    out["signature_missing"] = _error(lambda: sig(y=tf.constant([1])))
    out["signature_too_many"] = _error(lambda: sig(tf.constant([1]), tf.constant([1])))
    out["signature_dtype"] = _error(lambda: sig(tf.constant([1.0])))
    out["variable"] = repr(loaded.weight)
    out["not_trackable"] = _error(lambda: tf.saved_model.save(object(), path + "_x"))
    plain = tf.Module()
    plain.f = tf.function(lambda x: x + 1)
    out["signature_not_function"] = _error(
        lambda: tf.saved_model.save(plain, path + "_y", signatures=plain.f))
    out["missing_dir"] = _error(lambda: tf.saved_model.load(os.path.join(directory, "none")))
    out["missing_dir"] = out["missing_dir"].replace(directory, "DIR")

    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    two = tf.keras.Model([a, b], tf.keras.layers.Concatenate()([a, b]))
    tf.saved_model.save(two, os.path.join(directory, "two"))
    sig = tf.saved_model.load(os.path.join(directory, "two")).signatures["serving_default"]
    out["keras_two_inputs"] = _inputs(sig)
    out["keras_two_outputs"] = repr(sig.structured_outputs)
    out["keras_two_call"] = str(sig(inputs=tf.ones((1, 3)), inputs_1=tf.zeros((1, 2))))
    seq = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    seq(tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3)))
    tf.saved_model.save(seq, os.path.join(directory, "seq"))
    sig = tf.saved_model.load(os.path.join(directory, "seq")).signatures["serving_default"]
    out["keras_sequential_inputs"] = _inputs(sig)
    out.update(_output_naming(tf, directory))
    out.update(_untracked(tf, directory))
    out.update(_keras_export(tf, directory))
    return out


def _untracked(tf, directory):
    """Saving functions that use a Variable the saved object does not reference."""
    outside = tf.Variable(np.zeros((2, 3), np.int64), name="outside")

    class Signed(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.int64)])
        def f(self, x):
            return x * outside

    class Traced(tf.Module):
        @tf.function
        def f(self, x):
            return x + outside
    out = {}
    for cls in (Signed, Traced):
        m = cls()
        m.f(tf.ones((2, 3), tf.int64))
        out[f"untracked_{cls.__name__}"] = _error(
            lambda m=m: tf.saved_model.save(m, os.path.join(directory, "untracked")))
    return out


def _keras_export(tf, directory):
    """A subclassed model's serving signature (the shape it was built with) and
    ``model.export``: its printed endpoints, the archive's signatures, its errors."""
    import contextlib
    import io
    out = {}

    class Net(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = tf.keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    net = Net()
    out["export_unbuilt"] = _error(lambda: net.export(os.path.join(directory, "unbuilt")))
    out["export_format"] = _error(lambda: net.export(os.path.join(directory, "f"), format="x"))
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    net(x)
    tf.saved_model.save(net, os.path.join(directory, "net"))
    sig = tf.saved_model.load(os.path.join(directory, "net")).signatures["serving_default"]
    out["subclassed_inputs"] = _inputs(sig)
    out["subclassed_outputs"] = repr(sig.structured_outputs)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        net.export(os.path.join(directory, "export"))
    out["export_printed"] = mask(printed.getvalue().replace(directory, "DIR"))
    loaded = tf.saved_model.load(os.path.join(directory, "export"))
    out["export_signatures"] = repr(sorted(loaded.signatures))
    out["export_serve"] = str(np.allclose(loaded.serve(x[:3]).numpy(), net(x[:3]).numpy()))
    out["export_variables"] = repr([tuple(v.shape) for v in loaded.variables])
    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    two = tf.keras.Model([a, b], tf.keras.layers.Concatenate()([a, b]))
    two.export(os.path.join(directory, "two_export"), verbose=False)
    sig = tf.saved_model.load(os.path.join(directory, "two_export")).signatures["serving_default"]
    out["export_two_inputs"] = _inputs(sig)
    out["export_two_call"] = str(sig(a=tf.ones((1, 3)), b=tf.zeros((1, 2))))
    return out


def _output_naming(tf, directory):
    """How signature outputs are named: a dict's keys, ``output_<i>`` for a tensor or a tuple."""
    out = {}
    spec = tf.TensorSpec([None], tf.float32, name="features")  # names the signature's input

    class Heads(tf.Module):
        @tf.function(input_signature=[spec])
        def scores(self, x):
            return {"score": x * 2.0, "label": tf.cast(x > 1.0, tf.int32)}

        @tf.function(input_signature=[spec])
        def pair(self, x):
            return x + 1.0, tf.reduce_sum(x)

        @tf.function(input_signature=[spec])
        def single(self, x):
            return x - 1.0

    heads = Heads()
    path = os.path.join(directory, "heads")
    tf.saved_model.save(heads, path, signatures={
        "scores": heads.scores, "pair": heads.pair, "serving_default": heads.single})
    loaded = tf.saved_model.load(path)
    out["heads_keys"] = repr(sorted(loaded.signatures))
    x = tf.constant([0.5, 2.0])
    for key in ("scores", "pair", "serving_default"):
        sig = loaded.signatures[key]
        # TF lists a signature's outputs in its protobuf map's order (unspecified): sorted here
        out[f"heads_{key}_outputs"] = repr(dict(sorted(sig.structured_outputs.items())))
        out[f"heads_{key}_call"] = str(dict(sorted(sig(features=x).items())))
    out["heads_single_str"] = mask(str(loaded.signatures["serving_default"]))
    out["heads_inputs"] = _inputs(loaded.signatures["pair"])
    out["heads_pair_function"] = str(loaded.pair(x))
    return out
