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
    "dataset_of_sparse_rows": """
st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2], [3, 1]], values=[1, 2, 3], dense_shape=[4, 3])
ds = tf.data.Dataset.from_tensor_slices(st)
print(ds.element_spec, ds.element_spec.value_type.__name__)
print(ds)
for e in ds.take(2):
    print(e)
print(list(ds.as_numpy_iterator())[1])
print(tf.data.Dataset.from_tensors(st).element_spec)
""",
    "sparse_batch_unbatch_map": """
st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2], [3, 1]], values=[1, 2, 3], dense_shape=[4, 3])
ds = tf.data.Dataset.from_tensor_slices(st)
b = ds.batch(3)
print(b.element_spec)
for e in b:
    print(e)
print(b.unbatch().element_spec, [tf.sparse.to_dense(e).numpy().tolist() for e in b.unbatch()])
print([tf.sparse.to_dense(e).numpy().tolist() for e in ds.map(lambda x: x * 2)])
print(ds.map(lambda x: tf.sparse.to_dense(x)).element_spec)
z = tf.data.Dataset.from_tensor_slices((st, tf.range(4)))
print(z.element_spec)
for e in z.batch(2).take(1):
    print(e)
d = tf.data.Dataset.from_tensor_slices([[1, 0], [0, 2]]).map(lambda x: tf.sparse.from_dense(x))
print(d.element_spec)
one = tf.data.Dataset.from_tensors(tf.sparse.SparseTensor([[0]], [1.], [3]))
two = one.concatenate(tf.data.Dataset.from_tensors(tf.sparse.SparseTensor([[0]], [1.], [5])))
print(two.element_spec)
print(next(iter(two.batch(2))))
""",
    "dataset_of_ragged_rows": """
r = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
rd = tf.data.Dataset.from_tensor_slices(r)
print(rd.element_spec)
for e in rd:
    print(e)
print(tf.data.Dataset.from_tensors(r).element_spec)
for e in rd.batch(2):
    print(e)
print(rd.batch(2).element_spec, rd.batch(2).unbatch().element_spec)
print([e.numpy().tolist() for e in rd.batch(2).unbatch()])
""",
    "sparse_batch": """
ds = tf.data.Dataset.from_tensor_slices([[1, 0, 2], [0, 0, 3], [4, 5, 6]])
sb = ds.sparse_batch(2, [4])
print(sb, sb.cardinality())
for e in sb:
    print(e)
print(ds.sparse_batch(2, [None]).element_spec, [e.dense_shape for e in ds.sparse_batch(2, [None])])
for shape in ([2], [2, 3]):
    try:
        for e in ds.sparse_batch(2, shape):
            print(e)
    except Exception as e:  # noqa: BLE001 - the type and message are the test
        print(type(e).__name__, e)
dd = tf.data.Dataset.range(1, 5).map(lambda n: tf.fill([n], n)).apply(
    tf.data.experimental.dense_to_sparse_batch(batch_size=2, row_shape=[6]))
print(dd.element_spec)
for e in dd:
    print(e)
""",
    "ragged_elements_more": """
r = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
rd = tf.data.Dataset.from_tensor_slices(r)
print(list(rd.as_numpy_iterator()))
print(list(rd.batch(2).as_numpy_iterator()))
m = rd.map(lambda x: x * 2)
print(m.element_spec, list(m.as_numpy_iterator()))
m2 = tf.data.Dataset.range(3).map(lambda n: tf.ragged.range(n + 1))
print(m2.element_spec)
for e in m2:
    print(e)
d2 = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1], [2, 3]], [[4]]]))
print(d2.element_spec)
for e in d2:
    print(e)
for e in d2.batch(2):
    print(e)
print(d2.batch(2).element_spec)
""",
    "ragged_numpy": """
for r in ([[4, 5, 6]], [[1, 2], [3, 4]], [[[1], [2, 3]], [[4]]], [[[1, 2]], [[3, 4]]], [[], []]):
    print(repr(tf.ragged.constant(r).numpy()))
""",
    "iterator_checkpoint": """
import tempfile
folder = tempfile.mkdtemp()
iterator = iter(tf.data.Dataset.range(20).map(lambda x: x * 3).batch(2))
ckpt = tf.train.Checkpoint(step=tf.Variable(0), iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, folder, max_to_keep=3)
print([next(iterator).numpy().tolist() for _ in range(3)])
manager.save()
print([next(iterator).numpy().tolist() for _ in range(3)])
ckpt.restore(manager.latest_checkpoint)
print([next(iterator).numpy().tolist() for _ in range(3)])
fresh = iter(tf.data.Dataset.range(20).map(lambda x: x * 3).batch(2))
tf.train.Checkpoint(step=tf.Variable(0), iterator=fresh).restore(manager.latest_checkpoint)
print([x.numpy().tolist() for x in fresh])
""",
    "ragged_batch": """
ds = tf.data.Dataset.from_tensor_slices([1, 5, 3, 2, 8]).map(tf.range)
b = ds.apply(tf.data.experimental.dense_to_ragged_batch(2))
print(b)
for e in b:
    print(e)
ds2 = tf.data.Dataset.range(1, 4).map(
    lambda n: (tf.zeros([n, 2]), tf.fill([2, n], n), n, tf.zeros([3])))
print(ds2.ragged_batch(2).element_spec)
for e in ds2.ragged_batch(2):
    print(e)
dropped = ds2.ragged_batch(2, drop_remainder=True)
print(dropped.element_spec, dropped.cardinality())
r = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [4, 5, 6]])).ragged_batch(2)
print(r.element_spec)
for e in r:
    print(e)
narrow = ds.ragged_batch(2, row_splits_dtype=tf.int32)
print(narrow.element_spec, next(iter(narrow)).row_splits)
""",
    "ragged_reprs_and_splits_dtype": """
for v in ([[1, 2], [3]], [[1.5, 2.0], [3.25]], [[[0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],
          [[[1], [1]], [[2, 2], [2, 2]]], [[b"a", b"bc"], [b"d"]], [[], []], [[[1, 2]], [[3, 4]]],
          [[True], [False, True]], [list(range(30)), [1]], [[1e-5, 1e10]], [[[1], [2, 3]], [[4]]]):
    print(repr(tf.ragged.constant(v)))
r = tf.RaggedTensor.from_row_splits([1, 2, 3], tf.constant([0, 2, 3], tf.int32))
print(r, r.row_splits, r.row_lengths(), r.shape, r.nrows())
print(r + 1, tf.ragged.constant([[1], [2, 3]], row_splits_dtype=tf.int32).row_splits)
""",
    "generator_of_composites": """
def gen():
    for n in range(1, 4):
        yield tf.ragged.constant([[1] * n, [2]]), tf.sparse.SparseTensor([[0, n]], [n], [2, 4])
ds = tf.data.Dataset.from_generator(gen, output_signature=(
    tf.RaggedTensorSpec(shape=[2, None], dtype=tf.int32), tf.SparseTensorSpec([2, 4], tf.int32)))
print(ds.element_spec)
for r, s in ds:
    print(r, tf.sparse.to_dense(s).numpy().tolist())
for r, s in ds.batch(2):
    print(r.to_list(), s.dense_shape)
""",
}


def run(tf, source):
    """What ``source`` prints with ``tf`` bound to the module under test."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, {"tf": tf, "_tries": _tries})  # noqa: S102 - the cases above
    return out.getvalue()
