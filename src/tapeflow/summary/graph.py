"""``tf.summary.graph`` and ``trace_on`` / ``trace_export`` / ``trace_off``: traced graphs in the
event file, where TensorBoard's Graphs dashboard draws them.

A graph is written as TF writes one, a ``GraphDef`` (TensorBoard's own protos): the function's
inputs as ``_Arg`` nodes, captured values as ``Const``, one node per op with its ``T`` dtype and
``_output_shapes``, and an ``Identity`` + ``_Retval`` per output. ``trace_export`` writes the
graphs of the tf.functions run since ``trace_on`` as TF does: a summary under the
``graph_run_metadata_graph`` plugin whose one string is a serialized ``RunMetadata``.
"""

import threading

import numpy as np

from ..framework import context
from ..framework.tensor import wrap
from .writer import writer_and_step


class _Trace:
    """The graphs collected between ``trace_on`` and ``trace_export`` / ``trace_off``."""

    def __init__(self, profiler_outdir):
        self.functions = []
        self.profiler_outdir = profiler_outdir
        self._lock = threading.Lock()

    def __call__(self, concrete):
        with self._lock:
            if all(f is not concrete for f in self.functions):
                self.functions.append(concrete)


_active = [None]


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Start collecting the graphs of the tf.functions that run (and, with ``profiler``, a
    profile written to ``profiler_outdir`` by ``trace_export``)."""
    if _active[0] is not None:
        return  # TF logs "Trace already enabled" and keeps the running trace
    if profiler:
        if profiler_outdir is None:
            raise ValueError("Must set profiler_outdir to trace profiling information.")
        from ..profiler import experimental
        experimental.start(profiler_outdir)
    trace = _Trace(profiler_outdir if profiler else None)
    _active[0] = trace
    if graph:
        context.graph_collectors.append(trace)


def trace_off():
    """Stop collecting without writing anything."""
    trace, _active[0] = _active[0], None
    if trace is None:
        return
    if trace in context.graph_collectors:
        context.graph_collectors.remove(trace)
    if trace.profiler_outdir is not None:
        from ..profiler import experimental
        experimental.stop()


def trace_export(name, step=None, profiler_outdir=None):
    """Write the collected graphs under the tag ``name``, then stop the trace."""
    trace = _active[0]
    if trace is None:
        raise ValueError("Must enable trace before export through tf.summary.trace_on.")
    try:
        writer, step = writer_and_step(step)
        if writer is not None:
            from tensorboard.compat.proto import config_pb2, summary_pb2
            metadata = config_pb2.RunMetadata()
            for concrete in trace.functions:
                graphs = metadata.function_graphs.add()
                graphs.pre_optimization_graph.CopyFrom(graph_def_proto(concrete.graph))
            value = summary_pb2.Summary.Value(tag=name,
                                              metadata=_plugin("graph_run_metadata_graph"))
            value.tensor.dtype = 7  # DT_STRING
            value.tensor.tensor_shape.dim.add(size=1)
            value.tensor.string_val.append(metadata.SerializeToString())
            writer._write(summary_pb2.Summary(value=[value]), step)
    finally:
        trace_off()


def graph(graph_data):
    """``tf.summary.graph``: write a graph (a ConcreteFunction's ``.graph``, a tapeflow
    ``GraphDef`` or TensorBoard's ``GraphDef`` proto) as the event file's graph."""
    from tensorboard.compat.proto import graph_pb2
    from .writer import default_writer
    writer = default_writer()
    if writer is None:
        return wrap(np.asarray(False))
    if isinstance(graph_data, graph_pb2.GraphDef):
        proto = graph_data
    elif hasattr(graph_data, "nodes") and hasattr(graph_data, "tensors"):
        proto = graph_def_proto(graph_data)
    else:
        raise TypeError(f"Expected a tf.Graph or tf.compat.v1.GraphDef, got "
                        f"{type(graph_data).__name__}")
    return wrap(np.asarray(writer._write_graph(proto.SerializeToString())))


def _plugin(name):
    from tensorboard.compat.proto import summary_pb2
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=name, content=b"1"))


def graph_def_proto(g):
    """A traced :class:`~tapeflow.graph.ir.Graph` as TensorBoard's ``GraphDef`` proto: the
    graph's own ``as_graph_def()`` (names, ops, inputs) with TF's function-graph spelling
    (``_Arg`` inputs, a ``_Retval`` after each output's ``Identity``) and each node's dtype
    and output shapes."""
    from tensorboard.compat.proto import graph_pb2
    proto = graph_pb2.GraphDef()
    proto.versions.producer = 1
    nodes = g.as_graph_def().node
    first_output = len(nodes) - len(g.outputs)
    for k, nd in enumerate(nodes):
        op = "_Arg" if nd.op == "Placeholder" else nd.op
        node = _node(proto, nd.name, op, list(nd.input), *nd._outputs[:1],
                     dtype_key="dtype" if op == "Const" else "T")
        for t in nd._outputs[1:]:
            _shape(node, t)
        if op == "_Arg":
            node.attr["index"].i = k
        if k >= first_output:
            ret = _node(proto, f"{nd.name.lower()}_RetVal", "_Retval", [nd.name],
                        *nd._outputs, shapes=False)
            ret.attr["index"].i = k - first_output
    return proto


def _node(proto, name, op, inputs, t=None, dtype_key="T", shapes=True):
    node = proto.node.add(name=name, op=op, input=inputs)
    if t is not None:
        enum = _dtype_enum(t)
        if enum is not None:
            node.attr[dtype_key].type = enum
        if shapes:
            _shape(node, t)
    return node


def _shape(node, t):
    from ..framework.shape import TensorShape
    shape = getattr(t, "shape", None)
    if not isinstance(shape, TensorShape):
        shape = TensorShape(np.shape(t._value))
    proto = node.attr["_output_shapes"].list.shape.add()
    if shape.rank is None:
        proto.unknown_rank = True
        return
    for d in shape.as_list():
        proto.dim.add(size=-1 if d is None else d)


def _dtype_enum(t):
    try:
        return t.dtype.as_datatype_enum
    except (AttributeError, KeyError, ValueError):
        return None
