"""``tf.Module`` and ``tf.function`` (which runs the Python function; no graphs here)."""

import functools

from .framework import dtypes, nest
from .framework.shape import TensorShape
from .framework.tensor import Tensor, convert_to_tensor
from .framework.variable import Variable


class Module:
    """A container that finds the Variables and sub-Modules stored in its attributes."""

    _instances = {}

    def __init__(self, name=None):
        if name is None:
            base = _snake(type(self).__name__)
            count = Module._instances.get(base, 0)
            Module._instances[base] = count + 1
            name = base if count == 0 else f"{base}_{count}"
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable)))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and x.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and not x.trainable))

    @property
    def submodules(self):
        return tuple(self._flatten(lambda x: isinstance(x, Module)))

    def _flatten(self, predicate):
        """Matching objects among the attributes, depth first, attributes in name order."""
        seen, out = set(), []

        def visit(value, depth):
            if id(value) in seen:
                return
            if isinstance(value, Module | Variable):
                seen.add(id(value))
                if predicate(value):
                    out.append(value)
                if isinstance(value, Module) and depth < 100:
                    for key in sorted(vars(value)):
                        if not key.startswith("_module_"):
                            visit(getattr(value, key), depth + 1)
            elif isinstance(value, dict):
                for key in sorted(value, key=str):
                    visit(value[key], depth)
            elif isinstance(value, list | tuple):
                for item in value:
                    visit(item, depth)

        seen.add(id(self))
        for key in sorted(vars(self)):
            visit(getattr(self, key), 0)
        return out

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"


def _snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class TensorSpec:
    """``tf.TensorSpec``: the shape and dtype a ``tf.function`` argument must have."""

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, value):
        t = value if isinstance(value, Tensor | Variable) else convert_to_tensor(value)
        return t.dtype == self.dtype and self.shape.is_compatible_with(t.shape)

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and (self.shape, self.dtype, self.name) == (
            other.shape, other.dtype, other.name)

    __hash__ = None


class Function:
    """What ``tf.function`` returns: calls the Python function, checking ``input_signature``."""

    def __init__(self, fn, input_signature=None):
        self._fn = fn
        self.input_signature = None if input_signature is None else tuple(input_signature)
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        if self.input_signature is not None:
            args = self._check(args, kwargs)
        return self._fn(*args, **kwargs)

    def _check(self, args, kwargs):
        if kwargs or len(args) != len(self.input_signature):
            raise TypeError(f"{self._fn.__name__}() takes {len(self.input_signature)} positional "
                            f"arguments that match its input_signature, got {len(args)}")
        checked = []
        for arg, spec in zip(args, self.input_signature):
            flat_specs = nest.flatten(spec)
            flat_args = nest.flatten(arg)
            if len(flat_specs) != len(flat_args):
                raise ValueError(f"Structure of Python function inputs does not match "
                                 f"input_signature: {arg!r} vs {spec!r}")
            for a, s in zip(flat_args, flat_specs):
                t = a if isinstance(a, Tensor | Variable) else convert_to_tensor(a, s.dtype)
                if t.dtype != s.dtype or not s.shape.is_compatible_with(t.shape):
                    raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast "
                                    f"{t!r} to {s!r}`.")
            checked.append(arg)
        return checked

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def get_concrete_function(self, *args, **kwargs):
        return self


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """``tf.function``: eager here, so the function simply runs (signatures are checked)."""
    if func is None:
        return lambda f: Function(f, input_signature)
    return Function(func, input_signature)
