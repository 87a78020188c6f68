"""Snippets for the gaps the sparse_tensor, tensor and data guides showed: each prints what it
computes. tools/record_guide_gaps_fixtures.py records TF's output of each;
tests/test_guide_gaps.py checks tapeflow prints the same. ``tf`` is the module under test."""

import contextlib
import io


def _tries(tf, cases):
    """Reshape each (input shape, requested shape) pair; print the result's shape or the error."""
    for given, wanted in cases:
        try:
            print(tf.reshape(tf.zeros(given), wanted).shape)
        except Exception as e:  # noqa: BLE001 - printed, the type and message are the test
            print(type(e).__name__, e)


CASES = {
    "reshape_errors": """
_tries(tf, [([10], [-1, 7]), ([10], [3, -1]), ([10], [2, 2]), ([10], [-1, -1]),
            ([10], [0, -1]), ([10], [-1, 0]), ([6], [-2, 3]), ([2, 3], [4, -1])])
""",
    "reshape_empty": """
_tries(tf, [([0, 3], [-1, 0]), ([0, 3], [-1, 0, 5]), ([0, 3], [2, -1]), ([0, 3], [0, -1]),
            ([2, 0], [-1]), ([0], [-1, 4])])
""",
    "sparse_slice_past_the_end": """
st = tf.sparse.SparseTensor(indices=[[3, 0], [4, 0]], values=[1, 1], dense_shape=[8, 6])
part = tf.sparse.slice(st, start=[0, 10], size=[8, 6])
print(part)
print(tf.sparse.to_dense(part))
print(tf.sparse.to_dense(tf.sparse.slice(st, start=[2, 0], size=[3, 2])))
""",
    "scatter_nd_empty": """
print(tf.scatter_nd(tf.zeros([0, 2], tf.int64), tf.zeros([0], tf.int32), [2, 3]))
print(tf.scatter_nd(tf.zeros([0, 2], tf.int64), tf.zeros([0], tf.float32), [8, 0]))
""",
}


def run(tf, source):
    """What ``source`` prints with ``tf`` bound to the module under test."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, {"tf": tf, "_tries": _tries})  # noqa: S102 - the cases above
    return out.getvalue()
