"""``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr``: loops over the leading dimension.

Eagerly and in graphs alike they run the Python function once per element (in a graph: the loop
is unrolled over the traced leading dimension), so every step is an ordinary, differentiable op.
"""

from ..framework import nest
from ..framework.tensor import convert_to_tensor


def _elements(elems):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    n = flat[0]._value.shape[0] if flat and flat[0]._value.ndim else None
    if n is None:
        raise ValueError("elems must be a 1+ dimensional Tensor, not a scalar")
    return flat, n


def _stack(results):
    from ..ops.manip_ops import stack
    flat = [nest.flatten(r) for r in results]
    return [stack([f[k] for f in flat]) for k in range(len(flat[0]))]


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """``tf.map_fn``: ``fn`` on each element along axis 0, results stacked."""
    flat, n = _elements(elems)
    results = [fn(nest.pack_sequence_as(elems, [t[i] for t in flat])) for i in range(n)]
    if n == 0:
        raise ValueError("map_fn over an empty leading dimension is not supported by tapeflow")
    return nest.pack_sequence_as(results[0], _stack(results))



def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``tf.vectorized_map``: the same values as ``map_fn`` (TF vectorizes with pfor; here every
    element is one call of ``fn``, as TF's own while-loop fallback does)."""
    return map_fn(fn, elems)

def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """``tf.scan``: the running ``fn(acc, x)`` over axis 0, every accumulator stacked."""
    flat, n = _elements(elems)
    order = range(n - 1, -1, -1) if reverse else range(n)
    acc = initializer
    results = []
    for i in order:
        x = nest.pack_sequence_as(elems, [t[i] for t in flat])
        if acc is None:
            acc = x
        else:
            acc = fn(acc, x)
        results.append(acc)
    if reverse:
        results.reverse()
    return nest.pack_sequence_as(results[0], _stack(results))


def _fold(fn, elems, initializer, order):
    flat, n = _elements(elems)
    acc = initializer
    for i in order(n):
        x = nest.pack_sequence_as(elems, [t[i] for t in flat])
        acc = x if acc is None else fn(acc, x)
    return acc


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``tf.foldl``: ``fn(acc, x)`` left to right along axis 0."""
    return _fold(fn, elems, initializer, range)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``tf.foldr``: ``fn(acc, x)`` right to left along axis 0."""
    return _fold(fn, elems, initializer, lambda n: range(n - 1, -1, -1))
