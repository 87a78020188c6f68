"""``tf.Variable`` arguments of a ``tf.function``, as TF 2.21 takes them.

A Variable argument keys a trace by its :class:`VariableSpec` (shape, dtype, trainability and
which arguments are the same variable), not by its identity: one trace serves every Variable of
that spec. Inside the trace the function sees the Variable it was traced with; every use of that
variable's storage (reads, assigns, scatters, also through a closure) goes through an
:class:`ArgumentHandle`, which each call binds to the call's variable, so that the program runs
on it (TF's concrete function takes the variable's resource handle as an input).
"""

from ..framework.tensor import _next_id
from ..framework.variable import Variable


class VariableSpec:
    """How a trace sees a Variable argument (TF prints it in signatures)."""

    __slots__ = ("shape", "dtype", "trainable", "alias_id")

    def __init__(self, shape, dtype, trainable=True, alias_id=None):
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
        self.alias_id = alias_id

    def __repr__(self):
        dims = self.shape.as_list() if self.shape.rank is not None else None
        shape = "<unknown>" if dims is None else repr(tuple(dims))
        return (f"VariableSpec(shape={shape}, dtype={self.dtype!r}, "
                f"trainable={self.trainable}, alias_id={self.alias_id})")

    def __eq__(self, other):
        return isinstance(other, VariableSpec) and (
            self.shape, self.dtype, self.trainable, self.alias_id) == (
            other.shape, other.dtype, other.trainable, other.alias_id)

    def __hash__(self):
        return hash((self.shape._dims, self.dtype, self.trainable, self.alias_id))


class ArgumentHandle:
    """Stands in a traced graph for the storage of a Variable argument: reads and writes go to
    the variable the current (or last) call bound, at first ``traced``, the one traced with.
    ``spec``: the argument's VariableSpec in the trace's signature."""

    __slots__ = ("variable", "handle", "traced", "id", "spec", "__weakref__")

    def __init__(self, variable, spec):
        self.id = _next_id()
        self.spec = spec
        self.traced = self.variable = variable
        self.handle = variable._handle

    def bind(self, variable):
        self.variable = variable
        self.handle = variable._handle

    @property
    def value(self):
        return self.handle.value

    @value.setter
    def value(self, new):
        self.handle.value = new

    def __getattr__(self, name):
        if name in ("trainable", "name", "shape", "lock"):  # the bound storage's
            return getattr(self.handle, name)
        raise AttributeError(f"'ArgumentHandle' object has no attribute '{name}'")

    def _dense_read(self):
        """A read of the bound variable (a tape outside a call watches it)."""
        return self.variable._dense_read()


class ArgumentList(list):
    """A call's flat tensors when Variables are among its arguments: the tensors, and the
    distinct Variables (``variables``, in order of first use: their alias ids)."""

    __slots__ = ("variables", "aliases")

    def alias(self, variable):
        """``variable``'s alias id in this call (a new one for a Variable not met yet)."""
        key = id(variable._handle)
        alias = self.aliases.get(key)
        if alias is None:
            alias = self.aliases[key] = len(self.variables)
            self.variables.append(variable)
        return alias


def split_variables(flat):
    """``flat`` (tensors and Variables, a Variable possibly more than once) as an ArgumentList."""
    out = ArgumentList()
    out.variables, out.aliases = [], {}
    for x in flat:
        if isinstance(x, Variable):
            out.alias(x)
        else:
            out.append(x)
    return out

