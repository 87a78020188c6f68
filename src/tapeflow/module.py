"""``tf.Module`` and ``tf.function`` (which runs the Python function; no graphs here)."""

import functools
import re

from .framework import dtypes, nest
from .framework.shape import TensorShape
from .framework.tensor import Tensor, convert_to_tensor
from .framework.variable import Variable

from .framework import trackable  # noqa: E402  (checkpoint hooks)


class Module:
    """A container that finds the Variables and sub-Modules stored in its attributes."""

    def __init__(self, name=None):
        self._name = _snake(type(self).__name__) if name is None else name

    @property
    def name(self):
        return self._name

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if trackable._waiting:  # a checkpoint restore waits for dependencies created later
            trackable.notify_dependency(self, name, value)

    def _trackable_children(self):
        """Checkpoint dependencies: trackable attributes, in the order first assigned."""
        return trackable.attribute_children(self)

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
        """Matching objects among the attributes (in name order), then those of each sub-Module
        found, in the order found: TF's walk, which lists a module's own variables first."""
        seen, out = {id(self)}, []

        def leaves(value):
            if isinstance(value, dict):
                for key in sorted(value, key=str):
                    yield from leaves(value[key])
            elif isinstance(value, list | tuple):
                for item in value:
                    yield from leaves(item)
            elif isinstance(value, Module | Variable):
                yield value

        def visit(module, depth):
            found = []
            for key in sorted(vars(module)):
                if key.startswith("_module_"):
                    continue
                for leaf in leaves(getattr(module, key)):
                    if id(leaf) in seen:
                        continue
                    seen.add(id(leaf))
                    if predicate(leaf):
                        out.append(leaf)
                    if isinstance(leaf, Module):
                        found.append(leaf)
            if depth < 100:
                for sub in found:
                    visit(sub, depth + 1)

        visit(self, 0)
        return out

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"


def _snake(name):
    """``MyMLPBlock`` -> ``my_mlp_block``: an underscore before each capital that follows a
    lower-case letter or digit, or that starts a capitalised word."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


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
        return self._call(None, args, kwargs)

    def _call(self, instance, args, kwargs):
        if self.input_signature is not None:
            args = self._check(args, kwargs)
        if instance is not None:
            args = (instance,) + tuple(args)
        return self._fn(*args, **kwargs)

    def _check(self, args, kwargs):
        if kwargs or len(args) != len(self.input_signature):
            raise TypeError(f"{self._fn.__name__}() takes {len(self.input_signature)} positional "
                            f"arguments that match its input_signature, got {len(args)}")
        checked = []
        for arg, spec in zip(args, self.input_signature):
            flat_specs = nest.flatten(spec)
            flat_args = [arg] if isinstance(spec, TensorSpec) else nest.flatten(arg)
            if len(flat_specs) != len(flat_args):
                raise ValueError(f"Structure of Python function inputs does not match "
                                 f"input_signature: {arg!r} vs {spec!r}")
            converted = []
            for a, s in zip(flat_args, flat_specs):
                t = a if isinstance(a, Tensor | Variable) else convert_to_tensor(a, s.dtype)
                if t.dtype != s.dtype or not s.shape.is_compatible_with(t.shape):
                    raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast "
                                    f"{t!r} to {s!r}`.")
                converted.append(t)
            checked.append(nest.pack_sequence_as(spec, converted))
        return checked

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = functools.partial(self._bound_call, instance)
        functools.update_wrapper(bound, self._fn)
        return bound

    def _bound_call(self, instance, *args, **kwargs):
        return self._call(instance, args, kwargs)

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
