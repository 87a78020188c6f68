"""Static shape rules: what an op's outputs look like, computed from what its inputs look like.

Every primitive carries ``prim.shape_fn``: a function of the inputs' :class:`Abstract` values
(positional, in the forward's order) and the op's attributes (keywords, as the forward gets
them) that returns ``(dims, dtype)`` for its output, or a list of those for a multi-output op.
``dims`` is a tuple of ints and ``None`` (an unknown dimension), or ``None`` for an unknown rank;
``dtype`` a NumPy dtype. Rules only run while a graph is being traced (``tf.function``): the eager
path never calls them.

A rule raises :class:`Incompatible` (the start of TF's ``ValueError`` text, "Dimensions must be
equal, but are 3 and 9") when the inputs' static shapes can never work; the tracer completes the
message with the node and the input shapes as TF prints them.
"""

import numpy as np


class Incompatible(ValueError):
    """Static shapes that no run can satisfy (TF's trace-time ``ValueError``)."""


class Abstract:
    """What a rule knows about one input: static ``dims`` (see the module doc), ``dtype``, and,
    when the tracer knows it, ``value`` (the whole value, an ndarray) or ``partial`` (a small
    int tensor's elements with ``None`` where unknown, as an object array: ``tf.shape(x)`` of a
    ``[None, 3]`` tensor is ``[None, 3]``)."""

    __slots__ = ("dims", "dtype", "value", "partial")

    def __init__(self, dims, dtype, value=None, partial=None):
        self.dims = dims
        self.dtype = dtype
        self.value = value
        self.partial = partial

    @property
    def rank(self):
        return None if self.dims is None else len(self.dims)

    def __repr__(self):
        return f"Abstract({self.dims}, {self.dtype})"


def of_array(a):
    """An eager value as a rule sees it: everything known."""
    a = np.asarray(a)
    return Abstract(a.shape, a.dtype, a)


# --- dims --------------------------------------------------------------------------------------

def text(dims):
    """A shape as TF prints it in shape-inference errors: ``[?,3]``, ``<unknown>``."""
    if dims is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def merge_dim(a, b):
    """Two dims that must be equal: the known one (Incompatible when both known and differ)."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise Incompatible(f"Dimensions must be equal, but are {a} and {b}")


def merge(a, b):
    """Two shapes that must be the same."""
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b):
        raise Incompatible(f"Shapes must be equal rank, but are {len(a)} and {len(b)}")
    return tuple(merge_dim(x, y) for x, y in zip(a, b))


def broadcast(a, b):
    """TF's broadcast of two static shapes: 1 takes the other dim; a known dim beats an unknown
    one (anything else would fail when run); two unknowns stay unknown."""
    if a is None or b is None:
        return None
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y if y is not None and y > 1 else None)
        elif y is None:
            out.append(x if x > 1 else None)
        elif x == y:
            out.append(x)
        else:
            raise Incompatible(f"Dimensions must be equal, but are {x} and {y}")
    return tuple(out)


def broadcast_all(shapes):
    out = shapes[0]
    for s in shapes[1:]:
        out = broadcast(out, s)
    return out


def num_elements(dims):
    if dims is None or None in dims:
        return None
    return int(np.prod(dims, dtype=np.int64))


def axis_index(axis, rank):
    """A possibly negative axis as an index (rank known)."""
    return axis + rank if axis < 0 else axis


def shape_value(a):
    """An int tensor given as a shape (``tf.fill``'s dims, ``tf.reshape``'s shape) as static dims:
    its value where known, ``None`` (or -1) elements unknown, None when even its length is."""
    if a.value is not None:
        return tuple(int(d) for d in np.reshape(a.value, -1))
    if a.partial is not None:
        return tuple(None if d is None or d < 0 else int(d) for d in np.reshape(a.partial, -1))
    if a.dims is not None and len(a.dims) == 1 and a.dims[0] is not None:
        return (None,) * a.dims[0]
    return None


def scalar_value(a):
    """A scalar input's value when the tracer knows it, else None."""
    if a.value is not None:
        return a.value.reshape(-1)[0] if a.value.size == 1 else None
    if a.partial is not None and a.partial.size == 1:
        return a.partial.reshape(-1)[0]
    return None


# --- rule families (used by the op-definition helpers and beside special forwards) -------------

def same(x, *rest, **attrs):
    """Elementwise one-input ops and ops that keep their first input's shape and dtype."""
    return x.dims, x.dtype


def same_as(dtype):
    """Elementwise, with a fixed output dtype (``IsNan`` -> bool)."""
    np_dtype = np.dtype(dtype)

    def rule(x, *rest, **attrs):
        return x.dims, np_dtype
    return rule


def real_part(x, *rest, **attrs):
    """Elementwise from complex to its real dtype (``Real``, ``ComplexAbs``); real stays."""
    return x.dims, np.empty(0, x.dtype).real.dtype


def broadcasting(*inputs, **attrs):
    """Elementwise ops with broadcasting: the output has the first input's dtype."""
    return broadcast_all([a.dims for a in inputs]), inputs[0].dtype


def broadcasting_to(dtype):
    np_dtype = np.dtype(dtype)

    def rule(*inputs, **attrs):
        return broadcast_all([a.dims for a in inputs]), np_dtype
    return rule


def broadcasting_last(*inputs, **attrs):
    """Broadcasting, output dtype of the last input (``Polygamma(n, x)``)."""
    return broadcast_all([a.dims for a in inputs]), inputs[-1].dtype
