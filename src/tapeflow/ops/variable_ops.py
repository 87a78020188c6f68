"""``tf.Variable``'s scatter updates (``v.scatter_add(slices)``, ``v.scatter_nd_update(i, u)``, …).

Like ``assign*``, each reads its operands the recorded way (a tape watches a Variable given as
the values), changes the value atomically under the variable's lock, and returns the variable
unread. ``tapeflow.ops`` attaches them to ``ResourceVariable``.
"""

import numpy as np

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


def _named(method, name, what):
    method.__name__ = name
    method.__doc__ = f"``tf.Variable.{name}``: {what}."
    return method


def _scatter(kind):
    ufunc, op_type = _UFUNCS[kind], "ResourceScatter" + kind.capitalize()

    def method(self, sparse_delta, use_locking=False, name=None):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError("Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                            f"{sparse_delta}")
        values = self._operand(sparse_delta.values)
        indices = _indices(sparse_delta.indices, op_type)._value

        def change(value):
            _check_range(indices, value.shape[0], op_type, "")
            rows = indices.shape + value.shape[1:]
            try:
                updates = np.broadcast_to(values, rows)
            except ValueError:
                raise index_ops._error(op_type, "Must have updates.shape = indices.shape + "
                                       f"params.shape[1:] or updates.shape = [], got "
                                       f"updates.shape [{index_ops._dims(values.shape)}], "
                                       f"indices.shape [{index_ops._dims(indices.shape)}], "
                                       f"params.shape [{index_ops._dims(value.shape)}]") from None
            if kind == "div" and not updates.all():
                raise index_ops._error(op_type, "updates must not contain 0")
            return _write(value, indices, updates, ufunc)
        return _update(self, change)
    return _named(method, f"scatter_{kind}", "rows at ``sparse_delta.indices``")


def _scatter_nd(kind):
    ufunc, op_type = _UFUNCS[kind], "ResourceScatterNd" + kind.capitalize()

    def method(self, indices, updates, name=None):
        updates = self._operand(updates)
        indices = _indices(indices, op_type)._value

        def change(value):
            _check_nd(indices, value.shape, op_type, "shape")
            _check_updates(indices, updates, value.shape, op_type)
            return _write(value, tuple(np.moveaxis(indices, -1, 0)), updates, ufunc)
        return _update(self, change)
    return _named(method, f"scatter_nd_{kind}", "elements or slices at ``indices``")


METHODS = {f"scatter_{kind}": _scatter(kind) for kind in _UFUNCS}
METHODS.update({f"scatter_nd_{kind}": _scatter_nd(kind) for kind in ("update", "add", "sub")})
