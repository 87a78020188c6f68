"""``tf.TensorArray``: a list of same-dtype tensors, written functionally.

Eagerly, and in straight-line graph code, it is a Python list of tensors, so ``stack`` and
``read`` are ordinary (differentiable) ops. When it flows through a graph's ``tf.while_loop`` it
becomes one "flow" tensor (a boxed tuple of arrays, TF's variant) updated by list ops.
"""

import numpy as np

from ..engine import core
from ..framework import dtypes
from ..framework.context import state
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from .ir import SymbolicTensor
from .replay import ON_TENSORS


class _Items:
    """A list's first ``n`` items, read-only. Appending to the newest one (what a loop writing
    index after index does) shares the Python list instead of copying it; every other write
    copies, so each flow still sees only its own items."""

    __slots__ = ("items", "n")

    def __init__(self, items, n):
        self.items = items
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not -self.n <= i < self.n:
            raise IndexError("list index out of range")
        return self.items[i % self.n]

    def __iter__(self):
        return iter(self.items[:self.n])


def _box(items):
    return _box_shared(list(items))


def _box_shared(items):
    b = np.empty((), object)
    b[()] = _Items(items, len(items))
    return b


def _item(spec, value):
    if value is not None:
        return value
    shape = spec.get("shape")
    if shape is None or None in shape:
        raise ValueError("Tried to read from index of an uninitialized TensorArray element whose "
                         "shape is not known.")
    return np.zeros(shape, spec["dtype"])


def _set(flow, index, value):
    old = flow[()]
    i = int(index)
    if i == old.n == len(old.items):
        old.items.append(value)
        return _box_shared(old.items)
    items = list(old)
    if i >= len(items):
        items.extend([None] * (i + 1 - len(items)))
    items[i] = value
    return _box(items)


def _stack(flow, spec):
    items = flow[()]
    if not items:
        shape = spec.get("shape") or ()
        return np.zeros((0, *[d or 0 for d in shape]), spec["dtype"])
    return np.stack([_item(spec, v) for v in items])


def _prim(name, fwd):
    return core.not_differentiable(core.Primitive(name, fwd, save=()))


def _as_tensor(item, spec):
    if item is None:
        return convert_to_tensor(_item(spec, None))
    return item if isinstance(item, Tensor) else wrap(item)


def _replay(prim, ts, attrs):
    """A list op replayed on tensors: the list holds the tensors themselves (so tapes see the
    values written and the stack of them); inside another trace, the op again."""
    if state.graph is not None:
        return core.apply(prim, tuple(ts), attrs)
    if prim is _NEW:
        return wrap(_NEW.fwd(*[t._value for t in ts], **attrs))
    if prim is _FROM:
        return wrap(_box(ts))
    if prim is _UNSTACK:
        from ..ops.manip_ops import unstack
        return wrap(_box(unstack(ts[0])))
    items = ts[0]._value[()]
    if prim is _SET:
        return wrap(_set(ts[0]._value, ts[1]._value, ts[2]))
    if prim is _GET:
        return _as_tensor(items[int(ts[1]._value)], attrs["spec"])
    if prim is _SIZE:
        return wrap(np.int32(len(items)))
    if not items:  # _STACK
        return wrap(_stack(ts[0]._value, attrs["spec"]))
    from ..ops.manip_ops import stack
    return stack([_as_tensor(v, attrs["spec"]) for v in items])


_NEW = _prim("TensorListReserve",  # the size as an attribute, or as an input in a graph
              lambda *given, size=0: _box([None] * int(given[0] if given else size)))
_FROM = _prim("TensorListFromTensor", lambda *items: _box(items))
_UNSTACK = _prim("TensorListUnstack", lambda value: _box(list(value)))  # rows counted at run time
_SET = _prim("TensorListSetItem", _set)
_GET = _prim("TensorListGetItem", lambda flow, index, spec: _item(spec, flow[()][int(index)]))
_STACK = _prim("TensorListStack", _stack)
_SIZE = _prim("TensorListLength", lambda flow: np.int32(len(flow[()])))


class TensorArray:
    """``tf.TensorArray``."""

    _tensor_array = True

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._spec = {"dtype": self._dtype._np,
                      "shape": None if element_shape is None else TensorShape(
                          element_shape).dims}
        self._flow = flow
        if state.graph is not None and _symbolic(size):  # known when the graph runs
            self._items, self._size = [], None
            if flow is None:
                self._flow = core.apply(_NEW, (convert_to_tensor(size, dtype=dtypes.int32),),
                                        {})
            return
        n = 0 if size is None else int(np.asarray(size))
        self._items = [None] * n
        self._size = None if self._dynamic_size else n  # the static length

    def _with_flow(self, flow):
        out = object.__new__(TensorArray)
        out._dtype, out._dynamic_size, out._spec = self._dtype, self._dynamic_size, self._spec
        out._size = self._size
        out._items, out._flow = None, flow
        return out

    def _with_items(self, items):
        out = self._with_flow(None)
        out._items = items
        return out

    @property
    def flow(self):
        """The state as one tensor (what a graph's while_loop carries)."""
        if self._flow is not None:
            return self._flow
        if any(t is None for t in self._items) or not self._items:
            flow = core.apply(_NEW, (), {"size": len(self._items)})
            for i, t in enumerate(self._items):
                if t is not None:
                    flow = core.apply(_SET, (flow, convert_to_tensor(i), t), {})
            return flow
        return core.apply(_FROM, tuple(self._items), {})

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        shape = self._spec["shape"]
        return TensorShape(shape)

    @property
    def dynamic_size(self):
        return self._dynamic_size

    def _note_shape(self, value):
        shape = list(value.shape)
        if self._spec["shape"] is None:
            self._spec["shape"] = shape

    def write(self, index, value, name=None):
        value = convert_to_tensor(value, dtype=self._dtype)
        self._note_shape(value)
        if self._flow is None and not (state.graph is not None and _symbolic(index)):
            i = int(np.asarray(index))
            items = list(self._items)
            if i >= len(items):
                if not self._dynamic_size and items:
                    from ..framework import errors
                    raise errors.InvalidArgumentError(
                        None, None, f"Tried to write to index {i} but array is not resizeable "
                        f"and size is: {len(items)}")
                items.extend([None] * (i + 1 - len(items)))
            items[i] = value
            return self._with_items(items)
        index = convert_to_tensor(index, dtype=dtypes.int32)
        return self._with_flow(core.apply(_SET, (self.flow, index, value), {}))

    def read(self, index, name=None):
        if self._flow is None and not (state.graph is not None and _symbolic(index)):
            t = self._items[int(np.asarray(index))]
            if t is None:
                return convert_to_tensor(_item(self._spec, None))
            return t
        index = convert_to_tensor(index, dtype=dtypes.int32)
        return _follow(core.apply(_GET, (self.flow, index), {"spec": self._spec}))

    def stack(self, name=None):
        if self._flow is None:
            if not self._items:
                return convert_to_tensor(_stack(_box(()), self._spec))
            from ..ops.manip_ops import stack
            return stack([t if t is not None else convert_to_tensor(_item(self._spec, None))
                          for t in self._items])
        out = _follow(core.apply(_STACK, (self._flow,), {"spec": self._spec}))
        if _symbolic(out):
            shape = self._spec["shape"]
            out._origin.shape = TensorShape([self._size]).concatenate(
                out.shape[1:] if shape is None else TensorShape(shape))
        return out

    def gather(self, indices, name=None):
        from ..ops.index_ops import gather
        return gather(self.stack(), indices)

    def concat(self, name=None):
        from ..ops.manip_ops import concat
        if self._flow is None:
            return concat([t for t in self._items if t is not None], 0)
        stacked = self.stack()
        from ..ops.array_ops import reshape
        return reshape(stacked, [-1, *stacked.shape[2:]])

    def unstack(self, value, name=None):
        from ..ops.manip_ops import unstack
        value = convert_to_tensor(value, dtype=self._dtype)
        if _symbolic(value) and (value.shape.rank is None or value.shape[0] is None):
            # a traced leading dim of unknown size: the rows are split when the graph runs
            if value.shape.rank is not None and self._spec["shape"] is None:
                self._spec["shape"] = value.shape.dims[1:]
            out = self._with_flow(core.apply(_UNSTACK, (value,), {}))
            out._size = None
            return out
        items = unstack(value)
        if items:
            self._note_shape(items[0])
        return self._with_items(list(items))

    def scatter(self, indices, value, name=None):
        out = self
        for k, i in enumerate(np.asarray(indices).tolist()):
            out = out.write(i, value[k])
        return out

    def split(self, value, lengths, name=None):
        from ..ops.manip_ops import split
        return self._with_items(list(split(value, lengths)))

    def size(self, name=None):
        if self._flow is None:
            return convert_to_tensor(np.int32(len(self._items)))
        return core.apply(_SIZE, (self._flow,), {})

    def close(self, name=None):
        return None

    def __repr__(self):
        return f"<tf.TensorArray object at {id(self):#x}>"


def _follow(out):
    """A value read from a list in a graph being traced: tapes (and ``tf.gradients``) cannot
    follow the list (one object-valued flow tensor), so they see one op from the inputs of the
    nodes that built the list (writes, loops carrying it) to the value, differentiated by
    replaying them."""
    graph = state.graph
    if graph is None:
        return out
    members = {}
    todo = [graph.producer.get(out._id)]
    while todo:
        node = todo.pop()
        if node is None or id(node) in members:
            continue
        members[id(node)] = node
        todo.extend(graph.producer.get(i) for i in node.inputs
                    if graph.lookup(i)._value.dtype.kind == "O")
    nodes = [n for n in graph.nodes if id(n) in members]
    from .loop_ops import region_op
    region_op(graph, nodes, [out], "TensorListStack",
              [r for r in state.stack if r is not graph], False)
    return out


def _symbolic(x):
    return type(x) is SymbolicTensor


for _p in (_NEW, _FROM, _UNSTACK, _SET, _GET, _STACK, _SIZE):
    ON_TENSORS[_p] = lambda ts, attrs, prim=_p: _replay(prim, ts, attrs)
