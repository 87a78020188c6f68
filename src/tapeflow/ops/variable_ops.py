"""``tf.Variable``'s scatter updates (``v.scatter_add(slices)``, ``v.scatter_nd_update(i, u)``, …).

Like ``assign*``, each reads its operands the recorded way (a tape watches a Variable given as
the values), changes the value atomically under the variable's lock, and returns the variable
unread. ``tapeflow.ops`` attaches them to ``ResourceVariable``.
"""

import numpy as np

from ..engine.core import apply, not_differentiable, primitive, state
from ..framework.tensor import convert_to_tensor
from . import index_ops
from .index_ops import IndexedSlices, _check_nd, _check_range, _check_updates, _indices

_UFUNCS = {"update": None, "add": np.add, "sub": np.subtract, "mul": np.multiply,
           "div": np.divide, "max": np.maximum, "min": np.minimum}


def _write(value, key, updates, ufunc):
    """A copy of ``value`` with ``updates`` written (or combined by ``ufunc``) at ``key``."""
    out = value.copy()
    if ufunc is None:
        out[key] = updates
    else:
        ufunc.at(out, key, updates)  # repeated indices each apply, as in TF
    return out


def _update(variable, change):
    variable._modify(change)  # under the variable's lock
    return variable._unread()


def _scattered(value, indices, updates, kind, nd, op_type):
    """``value`` with ``updates`` written (``kind``) at ``indices``: rows of ``indices``
    (``scatter_*``), or the elements or slices their last axis addresses (``scatter_nd_*``)."""
    ufunc = _UFUNCS[kind]
    if nd:
        _check_nd(indices, value.shape, op_type, "shape")
        _check_updates(indices, updates, value.shape, op_type)
        return _write(value, tuple(np.moveaxis(indices, -1, 0)), updates, ufunc)
    _check_range(indices, value.shape[0], op_type, "")
    rows = indices.shape + value.shape[1:]
    try:
        updates = np.broadcast_to(updates, rows)
    except ValueError:
        raise index_ops._error(op_type, "Must have updates.shape = indices.shape + "
                               f"params.shape[1:] or updates.shape = [], got "
                               f"updates.shape [{index_ops._dims(updates.shape)}], "
                               f"indices.shape [{index_ops._dims(indices.shape)}], "
                               f"params.shape [{index_ops._dims(value.shape)}]") from None
    if kind == "div" and not updates.all():
        raise index_ops._error(op_type, "updates must not contain 0")
    return _write(value, indices, updates, ufunc)


# In a traced graph: the new value, computed when the graph runs from the variable's value and
# the indices and updates of that run, then assigned (never written while tracing).
SCATTERED = not_differentiable(primitive("VariableScatter", _scattered, save=()))


def _scatter_update(variable, indices, updates, kind, nd, op_type):
    if state.graph is not None:
        updates = convert_to_tensor(updates, dtype=variable.dtype)
        new = apply(SCATTERED, (variable.read_value(), indices, updates),
                    {"kind": kind, "nd": nd, "op_type": op_type})
        variable.assign(new, read_value=False)
        return variable._unread()
    updates = variable._operand(updates)
    return _update(variable, lambda value: _scattered(value, indices._value, updates, kind, nd,
                                                      op_type))


def _named(method, name, what):
    method.__name__ = name
    method.__doc__ = f"``tf.Variable.{name}``: {what}."
    return method


def _scatter(kind):
    op_type = "ResourceScatter" + kind.capitalize()

    def method(self, sparse_delta, use_locking=False, name=None):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError("Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                            f"{sparse_delta}")
        indices = _indices(sparse_delta.indices, op_type)
        return _scatter_update(self, indices, sparse_delta.values, kind, False, op_type)
    return _named(method, f"scatter_{kind}", "rows at ``sparse_delta.indices``")


def _scatter_nd(kind):
    op_type = "ResourceScatterNd" + kind.capitalize()

    def method(self, indices, updates, name=None):
        indices = _indices(indices, op_type)
        return _scatter_update(self, indices, updates, kind, True, op_type)
    return _named(method, f"scatter_nd_{kind}", "elements or slices at ``indices``")


METHODS = {f"scatter_{kind}": _scatter(kind) for kind in _UFUNCS}
METHODS.update({f"scatter_nd_{kind}": _scatter_nd(kind) for kind in ("update", "add", "sub")})
