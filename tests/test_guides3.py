"""Gaps found running more of TensorFlow's guides (docs/guides-status.md). Each expectation is
what TensorFlow 2.21 prints or does for the same snippet (checked with it); no guide code is
copied."""

import tapeflow as tf


def test_setter_function_is_no_default_signature(tmp_path):
    # A module whose one input_signature function returns nothing: TF saves it without a
    # default signature instead of refusing it as one.
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def set_v(self, value):
            self.v.assign(value)

    m = M()
    tf.saved_model.save(m, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert list(loaded.signatures.keys()) == []
    loaded.set_v(tf.constant(4.0))
    assert float(loaded.v.numpy()) == 4.0


def test_symbolic_tensor_of_unknown_rank_prints_no_shape():
    seen = []

    @tf.function
    def f(x):
        seen.append((str(x), repr(x)))
        return x

    f.get_concrete_function(tf.TensorSpec(None, tf.float32))
    f.get_concrete_function(tf.TensorSpec([2], tf.int32))
    assert seen == [('Tensor("x:0", dtype=float32)', "<tf.Tensor 'x:0' shape=<unknown> "
                     "dtype=float32>"), ('Tensor("x:0", shape=(2,), dtype=int32)',
                                         "<tf.Tensor 'x:0' shape=(2,) dtype=int32>")]


# --- TF's "all" and "safe" dtype conversion modes (tf_numpy_type_promotion guide) -------------

import json  # noqa: E402
import pathlib  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tapeflow.experimental.numpy as tnp  # noqa: E402
from tapeflow.experimental.numpy import _behavior  # noqa: E402
from tapeflow.experimental.numpy._weak import WeakTensor, weak  # noqa: E402

PROMOTION = json.loads((pathlib.Path(__file__).parent / "fixtures" / "guides3" /
                        "type_promotion.json").read_text())


@pytest.fixture
def mode():
    def enable(name):
        tnp.experimental_enable_numpy_behavior(dtype_conversion_mode=name)
    yield enable
    _behavior.disable()


def _operand(text):
    name = text.rstrip("*")
    t = tf.constant(True if name == "bool" else 1, getattr(tf, name))
    return weak(t) if text.endswith("*") else t


@pytest.mark.parametrize("name", ["all", "safe"])
def test_promotion_table_is_tfs(mode, name):
    mode(name)
    got = {}
    for pair in PROMOTION[name]:
        a, b = (_operand(t) for t in pair.split())
        try:
            r = a + b
            got[pair] = r.dtype.name + ("*" if isinstance(r, WeakTensor) else "")
        except TypeError:
            got[pair] = "refused"
        except tf.errors.InvalidArgumentError:
            got[pair] = "InvalidArgumentError"
    assert got == PROMOTION[name]


def test_weak_tensors_as_tf_makes_and_prints_them(mode):
    mode("all")
    assert repr(tf.constant(5)) == "<tf.Tensor: shape=(), dtype=int32, numpy=5, weak=True>"
    assert str(tf.constant(5)) == "tf.Tensor(5, shape=(), dtype=int32, weak=True)"
    assert repr(tf.constant(5, tf.int32)) == "<tf.Tensor: shape=(), dtype=int32, numpy=5>"
    assert repr(tf.constant(1, tf.int32) + 1.0) == \
        "<tf.Tensor: shape=(), dtype=float64, numpy=2.0, weak=True>"
    assert repr(tf.constant(1, tf.int32) + 1) == "<tf.Tensor: shape=(), dtype=int32, numpy=2>"
    assert repr(tf.math.abs([100.0, 4.0])) == ("<tf.Tensor: shape=(2,), dtype=float32, numpy="
                                              "array([100.,   4.], dtype=float32), weak=True>")
    assert repr(-tf.constant(5)) == "<tf.Tensor: shape=(), dtype=int32, numpy=-5, weak=True>"
    assert repr(tf.add(1, tf.constant(2, tf.int8))) == \
        "<tf.Tensor: shape=(), dtype=int8, numpy=3>"
    assert repr(tnp.array(1.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=1.0, weak=True>"
    assert repr(tf.constant(5) > 3) == "<tf.Tensor: shape=(), dtype=bool, numpy=True>"
    assert repr(tf.constant(tf.constant(10, tf.int16), tf.float32)) == \
        "<tf.Tensor: shape=(), dtype=float32, numpy=10.0>"
    # associative: a NumPy float16 with an int8 and a weak int is float16 either way
    a, b, c = np.array(1, np.int8), tf.constant(1), np.array(1, np.float16)
    assert tf.add(tf.add(a, b), c).dtype == tf.add(tf.add(b, a), c).dtype == tf.float16
    v = tf.Variable(10, tf.int32)
    assert repr(v.assign_add(tf.constant(5, tf.int16))) == \
        "<tf.Variable 'UnreadVariable' shape=() dtype=int32, numpy=15>"
    with pytest.raises(TypeError, match=r"^Variable dtype is immutable. Calling assign of "
                       r"Variable \(with dtype <dtype: 'int32'>\) on 5.0 weakly typed requires "
                       r"converting 5.0 weakly typed to <dtype: 'int32'>. This is disabled"):
        v.assign(5.0)
    with pytest.raises(OverflowError, match="Python int 1099511627776 too large to convert to "
                       "np.int32"):
        tf.constant(2**40)


def test_safe_mode_refuses_with_tfs_message(mode):
    mode("safe")
    with pytest.raises(TypeError) as e:
        tf.constant(10, tf.int32) + tf.constant(5.0, tf.float32)
    assert str(e.value) == (
        "In promotion mode PromoMode.SAFE, implicit dtype promotion between (<dtype: 'int32'>, "
        "weak=False) and (<dtype: 'float32'>, weak=False) is disallowed. You need to explicitly "
        "specify the dtype in your op, or relax your dtype promotion rules (such as from SAFE "
        "mode to ALL mode).")


def test_numpy_value_first_keeps_its_dtype():
    # TF infers the op's dtype from a NumPy first argument: the tensor after it must match
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"cannot compute AddV2 as input "
                       r"#1\(zero-based\) was expected to be a int8 tensor but is a int32 tensor"):
        tf.add(np.array(1, np.int8), tf.constant(1))
    assert repr(tf.add(tf.constant(1), np.array(1, np.int8))) == \
        "<tf.Tensor: shape=(), dtype=int32, numpy=2>"
    assert repr(np.array(1, np.int8) + tf.constant(1)) == \
        "<tf.Tensor: shape=(), dtype=int32, numpy=2>"


def test_float16_scalar_repr_is_exact():
    assert repr(tf.constant(4.2, tf.float16)) == \
        "<tf.Tensor: shape=(), dtype=float16, numpy=4.19921875>"
    assert str(tf.constant(4.2, tf.float16)) == "tf.Tensor(4.2, shape=(), dtype=float16)"
    assert repr(tf.constant([4.2], tf.float16)) == \
        "<tf.Tensor: shape=(1,), dtype=float16, numpy=array([4.2], dtype=float16)>"


# --- tf.distribute.MirroredStrategy and mirrored Generators (random_numbers guide) -----------

import sys  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from guides3_cases import CASES  # noqa: E402

RECORDED = json.loads((pathlib.Path(__file__).parent / "fixtures" / "guides3" /
                       "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_what_tf_prints(name, tmp_path, capsys):
    try:
        exec(CASES[name], {"tf": tf, "tmp": str(tmp_path), "__name__": "__main__"})
    finally:
        _behavior.disable()  # (only the last case turns numpy behavior on)
    assert capsys.readouterr().out == RECORDED[name]


def test_function_returns_a_variables_value():
    v = tf.Variable([1, 2])

    @tf.function
    def f():
        return v

    first = f()
    v.assign([3, 4])
    assert repr(first) == "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>"
    assert f().numpy().tolist() == [3, 4]


def test_extension_types_in_a_saved_model(tmp_path):
    # (TF 2.21 saves these only for types its coder has registered; tapeflow names the class and
    # finds it again in the loading program)
    class Span(tf.experimental.ExtensionType):
        low: tf.Tensor
        high: tf.Tensor
        label: str = "span"

    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.scale = tf.Variable(3.0)

        @tf.function
        def scaled(self, span):
            return Span(span.low * self.scale, span.high * self.scale, span.label + "!")

    holder = Holder()
    holder.scaled.get_concrete_function(Span.Spec(low=tf.TensorSpec([None], tf.float32),
                                                  high=tf.TensorSpec([None], tf.float32),
                                                  label="span"))
    tf.saved_model.save(holder, str(tmp_path / "holder"))
    loaded = tf.saved_model.load(str(tmp_path / "holder"))
    out = loaded.scaled(Span([1.0, 2.0], [3.0, 4.0]))
    assert type(out) is Span and out.label == "span!"
    assert out.low.numpy().tolist() == [3.0, 6.0] and out.high.numpy().tolist() == [9.0, 12.0]


def test_parse_example_of_numbers_is_the_conversions_error():
    # (the data guide's cell 89 after its download fails: TF 2.21's eager error)
    spec = {"a": tf.io.FixedLenFeature(shape=(), dtype=tf.string)}
    for value, text in [
            (tf.constant([[1, 2]], tf.int64), "<tf.Tensor: shape=(1, 2), dtype=int64, numpy="
             "array([[1, 2]])>"),
            ([1, 2], "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>")]:
        dtype = "int64" if isinstance(value, tf.Tensor) else "int32"
        with pytest.raises(ValueError) as e:
            tf.io.parse_example(value, spec)
        assert str(e.value) == (f"Tensor conversion requested dtype string for Tensor with dtype "
                                f"{dtype}: {text}")
