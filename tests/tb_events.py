"""Read a TensorBoard run back with TensorBoard's own event reader (EventAccumulator).

Shared by tests/test_summary.py and tools/record_summary_fixtures.py (run under real TF), so
both describe a run the same way: per tag, the steps, plugin, dtype, shape and values (images
decoded to pixel lists by Pillow)."""

import io

import numpy as np

SCENARIO = """
w = tf.summary.create_file_writer(logdir)
with w.as_default():
    for step in range(3):
        tf.summary.scalar('loss', 1.0 / (step + 1), step=step)
    tf.summary.experimental.set_step(5)
    tf.summary.scalar('lr', tf.constant(0.125), description='learning rate')
    tf.summary.histogram('weights', [1., 2., 3., 4., 10.], step=1)
    tf.summary.histogram('uniform', np.arange(100.), step=1, buckets=5)
    tf.summary.histogram('same', [2., 2., 2.], step=1, buckets=3)
    tf.summary.histogram('ints', tf.constant([0, 1, 1, 7]), step=2)
    tf.summary.image('rgb', np.linspace(0, 1, 2 * 3 * 4 * 3).reshape(2, 3, 4, 3), step=1)
    tf.summary.image('gray', np.arange(24, dtype=np.uint8).reshape(1, 2, 3, 4)[..., :1], step=1)
    tf.summary.image('many', np.zeros((5, 2, 2, 3), np.float32), step=1, max_outputs=2)
    tf.summary.text('note', 'hello **world**', step=1)
    tf.summary.text('table', [['a', 'b'], ['c', 'd']], step=1)
    with tf.summary.record_if(False):
        tf.summary.scalar('skipped', 1.0)
    with tf.summary.record_if(lambda: True):
        tf.summary.scalar('kept', 3.0)
    tf.summary.audio('tone', (np.sin(np.linspace(0, 30, 96)).reshape(3, 16, 2) * 1.2).astype(np.float32),
                     8000, step=1, max_outputs=2, description='a tone')
    tf.summary.write('raw', tf.constant([[1, 2], [3, 4]]), step=4,
                     metadata=b'\\n\\x05\\n\\x03raw')  # SummaryMetadata: plugin 'raw'
    tf.summary.write('raw_float', lambda: tf.constant(2.5), step=4, metadata=b'\\n\\x05\\n\\x03raw')
    tf.summary.experimental.set_step(None)
w.close()
"""

# trace_on / trace_export around a tf.function's first call: the graph TensorBoard's Graphs
# dashboard draws.
GRAPH_SCENARIO = """
w = tf.summary.create_file_writer(logdir)
@tf.function
def f(x):
    return tf.nn.relu(tf.matmul(x, x) + 1.0)
tf.summary.trace_on(graph=True)
f(tf.ones([2, 2]))
with w.as_default():
    tf.summary.trace_export(name='my_func_trace', step=0)
w.close()
"""


def read_run(logdir):
    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.util import tensor_util
    from PIL import Image

    acc = event_accumulator.EventAccumulator(str(logdir), size_guidance={"tensors": 0})
    acc.Reload()
    out = {}
    for tag in sorted(acc.Tags()["tensors"]):
        plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
        entries = []
        for event in acc.Tensors(tag):
            array = tensor_util.make_ndarray(event.tensor_proto)
            if plugin == "images":
                values = [v.decode() for v in array[:2]] + [
                    np.asarray(Image.open(io.BytesIO(v))).tolist() for v in array[2:]]
            elif plugin == "audio":
                values = [v.hex() for v in array.reshape(-1)]
            elif array.dtype == object:
                values = [v.decode() for v in array.reshape(-1)]
            else:
                values = array.tolist()
            entries.append({"step": event.step, "dtype": array.dtype.name,
                            "shape": list(array.shape), "values": values})
        out[tag] = {"plugin": plugin,
                    "description": acc.SummaryMetadata(tag).summary_description,
                    "entries": entries}
    return out


def read_graphs(logdir):
    """Per tag of the ``graph_run_metadata_graph`` plugin, the function graphs whose ops include
    a MatMul (TF also lists the small eager helper functions it ran), each as a sorted list of
    (op type, input op types): the graph's shape without TF's and tapeflow's node naming."""
    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.compat.proto import config_pb2

    acc = event_accumulator.EventAccumulator(str(logdir), size_guidance={"tensors": 0})
    acc.Reload()
    out = {}
    for tag in acc.Tags()["tensors"]:
        if acc.SummaryMetadata(tag).plugin_data.plugin_name != "graph_run_metadata_graph":
            continue
        (event,) = acc.Tensors(tag)
        meta = config_pb2.RunMetadata.FromString(event.tensor_proto.string_val[0])
        graphs = []
        for fg in meta.function_graphs:
            nodes = fg.pre_optimization_graph.node
            ops = {n.name: n.op for n in nodes}
            if "MatMul" in ops.values():
                graphs.append(sorted([n.op, sorted(ops[i.split(":")[0]] for i in n.input)]
                                     for n in nodes))
        out[tag] = {"step": event.step, "graphs": graphs}
    return out
