"""Static shapes of traced functions with None dims, against TF's (tests/shape_cases.py, recorded
by tools/record_shape_fixtures.py), and the quickstart's export pattern: a module whose
tf.function is traced from a ``[None, None]`` signature, saved, and loaded in a fresh process."""

import json
import pathlib
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tapeflow as tf

from shape_cases import CASES, trace

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "shapes" / "static_shapes.json").read_text())


def _unnamed(result):
    """An error's text without the input node names (TF's `zeros`, tapeflow's `Fill`)."""
    if "message" in result:
        result = dict(result, message=re.sub(r"\]\(.*?\)' with", "](...)' with",
                                             result["message"]))
    return result


# Snippets whose op still bakes its example's shape in (none now: reduce_logsumexp did).
BAKED = set()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True))
                                  if n in BAKED else n for n in sorted(CASES)])
def test_static_shapes_match_tf(name):
    assert _unnamed(trace(tf, *CASES[name])) == _unnamed(FIXTURE[name])


class _Normalize(tf.Module):
    """The quickstart's export pattern: one-hot the last column, normalize, apply a model."""

    def __init__(self, mean, std, w):
        super().__init__()
        self.mean, self.std, self.w = mean, std, tf.Variable(w)

    def encode(self, x):
        column = tf.cast(x[:, -1], tf.int32)
        return tf.concat([x[:, :-1], tf.one_hot(column - 1, 3)], axis=1)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
    def __call__(self, x):
        x = (self.encode(x) - self.mean) / self.std
        return tf.squeeze(tf.matmul(x, self.w[:, None]), axis=-1)


def _table(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 7)).astype(np.float32)
    x[:, -1] = rng.integers(1, 4, size=n)
    return x


def test_signature_with_unknown_columns_traces_saves_and_loads(tmp_path):
    rng = np.random.default_rng(0)
    module = _Normalize(tf.constant(rng.normal(size=9), tf.float32),
                        tf.constant(rng.uniform(1, 2, size=9), tf.float32),
                        rng.normal(size=9).astype(np.float32))
    concrete = module.__call__.get_concrete_function()
    assert concrete.structured_outputs.shape.as_list() == [None]
    x = _table(5, 1)
    eager = (module.encode(tf.constant(x)) - module.mean) / module.std @ module.w[:, None]
    np.testing.assert_allclose(module(tf.constant(x)), eager.numpy()[:, 0], rtol=1e-6)
    tf.saved_model.save(module, str(tmp_path / "m"))
    np.save(tmp_path / "x.npy", x)
    script = textwrap.dedent(f"""
        import numpy as np
        import tapeflow as tf
        loaded = tf.saved_model.load({str(tmp_path / "m")!r})
        np.save({str(tmp_path / "y.npy")!r}, loaded(tf.constant(np.load({str(tmp_path / "x.npy")!r}))).numpy())
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), module(tf.constant(x)).numpy())


def test_trace_time_shape_error_is_tfs():
    """Framed "in user code" as TF frames it in converted code; as is with autograph=False."""
    for autograph, start in ((True, r"(?s)^in user code:.*    ValueError: "), (False, "^")):
        f = tf.function(lambda x: x - tf.zeros([9]), autograph=autograph,
                        input_signature=[tf.TensorSpec([None, 3])])
        with pytest.raises(ValueError, match=start + r"Dimensions must be equal, but are 3 and 9 "
                                                     r"for '\{\{node sub\}\} = Sub\[T=DT_FLOAT\]"):
            f.get_concrete_function()


def test_synthesized_trace_does_not_return_its_examples():
    """A trace that went on past a failing forward (static shapes that may work) has no results
    of its own: the call runs the graph, which raises the kernel's error."""
    f = tf.function(lambda x: x - tf.zeros([9]), reduce_retracing=True)
    f(tf.ones([2, 9]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"(?s)Detected at node sub.*Incompatible shapes: \[2,3\] vs. \[9\]"):
        f(tf.ones([2, 3]))  # traced for [2, None]: the example [2, 3] - [9] fails
    np.testing.assert_array_equal(f(tf.ones([2, 9])), np.ones([2, 9], np.float32))


def test_slice_to_the_end_follows_the_input_size():
    f = tf.function(lambda x: tf.slice(x, [0, 1], [-1, -1]),
                    input_signature=[tf.TensorSpec([None, None])])
    assert f.get_concrete_function().structured_outputs.shape.as_list() == [None, None]
    x = np.arange(15, dtype=np.float32).reshape(3, 5)
    np.testing.assert_array_equal(f(tf.constant(x)), x[:, 1:])


def test_spec_trace_tries_another_stand_in_size():
    """``x[:, 2]`` cannot index a stand-in of width 1: the trace is tried again with 3."""
    f = tf.function(lambda x: tf.math.top_k(x[:, 2:], 2).values,
                    input_signature=[tf.TensorSpec([None, None])])
    assert f.get_concrete_function().structured_outputs.shape.as_list() == [None, 2]
    x = np.array([[0, 0, 1, 5, 3], [0, 0, 4, 2, 6]], np.float32)
    np.testing.assert_array_equal(f(tf.constant(x)), [[5, 3], [6, 4]])
