"""``tf.experimental.ExtensionType``: user-defined immutable composites of tensors.

A subclass declares typed fields (``values: tf.Tensor``, ``attributes: Mapping[str, tf.Tensor]``,
``name: str = "x"``, nested extension types, ``Tuple``/``Union``/``Optional`` of these). The
constructor (generated, or the class's own, during which the fields may be set) converts each
field to its declared type and runs ``__validate__``; the object is immutable afterwards. It has
TF's repr and ``==`` (a boolean tensor: every field equal), and a ``Spec`` (generated, or the
class's own ``Spec`` body) that ``tf.type_spec_from_value`` returns: TensorSpecs for its tensors.

Not here (see docs/guides-more.md): passing extension types through ``tf.function`` (they are
keyed by identity, not by spec), the dispatch decorators, batching (BatchableExtensionType is
accepted, but Dataset/map_fn do not batch it), Keras inputs and SavedModel.
"""

import collections.abc
import inspect
import typing

from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable


class ImmutableDict(collections.abc.Mapping):
    """A read-only dict (a ``Mapping`` field's value), shown as TF shows it."""

    def __init__(self, *args, **kwargs):
        self._dict = dict(*args, **kwargs)

    def __getitem__(self, key):
        return self._dict[key]

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def __repr__(self):
        return f"ImmutableDict({self._dict!r})"

    def __eq__(self, other):
        return isinstance(other, collections.abc.Mapping) and dict(self) == dict(other)

    def __hash__(self):
        return hash(tuple(sorted(self._dict.items())))


_NO_DEFAULT = object()


def _convert(value, ann, path):
    """``value`` as the field type ``ann`` (TF's conversions and TypeError texts)."""
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Union:
        for a in args:
            try:
                return _convert(value, a, path)
            except (TypeError, ValueError):
                continue
        raise TypeError(f"{path}: expected {_type_text(ann)}, got {value!r}")
    if origin in (collections.abc.Mapping, dict):
        if not isinstance(value, collections.abc.Mapping):
            raise TypeError(f"{path}: expected a Mapping, got {type(value).__name__!r}")
        return ImmutableDict((_convert(k, args[0], path), _convert(v, args[1], f"{path}[{k!r}]"))
                             for k, v in value.items())
    if origin in (tuple, collections.abc.Sequence, list):
        if not isinstance(value, list | tuple):
            raise TypeError(f"{path}: expected a tuple, got {type(value).__name__!r}")
        if len(args) == 2 and args[1] is Ellipsis or origin is not tuple:
            return tuple(_convert(v, args[0], f"{path}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise TypeError(f"{path}: expected a tuple of length {len(args)}, got {value!r}")
        return tuple(_convert(v, a, f"{path}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
    if ann is Tensor:
        if isinstance(value, Tensor):
            return value
        if isinstance(value, Variable):
            return value.read_value()
        try:
            if value is None:
                raise TypeError
            return convert_to_tensor(value)
        except (TypeError, ValueError):
            raise TypeError(f"{path}: expected a Tensor, got {type(value).__name__!r}") from None
    if ann is TensorShape:
        return TensorShape(value)
    if ann is dtypes.DType:
        return dtypes.as_dtype(value)
    if ann is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(ann, type):  # a forward reference ("Node"), a TypeVar, ...
        raise TypeError(f"{path}: Unsupported type annotation {ann!r}")
    if isinstance(ann, type) and not isinstance(value, ann) or ann is int and isinstance(
            value, bool):
        raise TypeError(f"{path}: expected {_type_text(ann)}, got {value!r}")
    return value


def _type_text(ann):
    return ann.__name__ if isinstance(ann, type) else repr(ann)


def _fields(cls):
    """``{name: (annotation, default)}`` over the class and its bases, base fields first."""
    out = {}
    for klass in reversed(cls.__mro__):
        for name, ann in inspect.get_annotations(klass).items():
            if typing.get_origin(ann) is typing.ClassVar or name.startswith("_"):
                continue
            out[name] = (ann, vars(klass).get(name, _NO_DEFAULT))
    return out


REGISTRY = {}  # type_name(cls) -> the extension type class (the latest one so named)


def type_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


class ExtensionType:
    """``tf.experimental.ExtensionType``: subclass it and annotate the fields."""

    _tf_fields = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._tf_fields = _fields(cls)
        REGISTRY[type_name(cls)] = cls  # a SavedModel names it; loading looks it up
        own_init = vars(cls).get("__init__")
        if own_init is None:
            cls.__init__ = _generated_init(cls)
        elif not getattr(own_init, "_tf_wrapped", False):
            cls.__init__ = _wrapped_init(own_init)
        spec_body = vars(cls).get("Spec")
        bases = (spec_body, ExtensionTypeSpec) if spec_body is not None else (ExtensionTypeSpec,)
        cls.Spec = type("Spec", bases, {"value_type": cls, "__qualname__":
                                        f"{cls.__qualname__}.Spec"})

    def _tf_finish(self):
        """Convert the fields set so far to their types, then let the class validate."""
        state = vars(self)
        for name, (ann, default) in self._tf_fields.items():
            if name not in state:
                if default is _NO_DEFAULT:
                    raise ValueError(f"Field {name} was not set by the constructor of "
                                     f"{type(self).__name__}.")
                state[name] = default
            state[name] = _convert(state[name], ann, name)
        object.__setattr__(self, "_tf_frozen", True)
        validate = getattr(self, "__validate__", None)
        if validate is not None:
            validate()

    def __setattr__(self, name, value):
        if vars(self).get("_tf_frozen"):
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom "
                                 "constructor of ExtensionType.")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if vars(self).get("_tf_frozen"):
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom "
                                 "constructor of ExtensionType.")
        object.__delattr__(self, name)

    def __repr__(self):
        body = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._tf_fields)
        return f"{type(self).__qualname__}({body})"

    def __eq__(self, other):
        """A boolean tensor: the same type and spec and equal values (False otherwise)."""
        from ..ops.manip_ops import stack
        from ..ops.math_ops import equal
        from ..ops.special_ops import reduce_all
        if type(self) is not type(other) or self._type_spec != other._type_spec:
            return False
        checks = [reduce_all(equal(a, b)) for a, b in zip(_tensors(self), _tensors(other))]
        if not checks:
            return convert_to_tensor(True)
        return reduce_all(stack(checks))

    def __ne__(self, other):
        from ..ops.math_ops import logical_not
        same = self == other
        return not same if isinstance(same, bool) else logical_not(same)

    __hash__ = None

    @property
    def _type_spec(self):
        return self.Spec._from_value(self)


def _generated_init(cls):
    names = list(cls._tf_fields)

    def __init__(self, *args, **kwargs):  # noqa: N807
        if len(args) > len(names):
            raise TypeError(f"__init__() takes {len(names) + 1} positional arguments but "
                            f"{len(args) + 1} were given")
        for name, value in zip(names, args):
            object.__setattr__(self, name, value)
        for name, value in kwargs.items():
            if name not in cls._tf_fields:
                raise TypeError(f"__init__() got an unexpected keyword argument '{name}'")
            object.__setattr__(self, name, value)
        self._tf_finish()
    __init__._tf_wrapped = True
    return __init__


def _wrapped_init(own):
    def __init__(self, *args, **kwargs):  # noqa: N807
        own(self, *args, **kwargs)
        if not vars(self).get("_tf_frozen"):
            self._tf_finish()
    __init__._tf_wrapped = True
    return __init__


def _tensors(value):
    """The tensors in an extension type's fields, in field order (nested ones included)."""
    out = []

    def walk(v):
        if isinstance(v, Tensor):
            out.append(v)
        elif isinstance(v, ExtensionType):
            for name in v._tf_fields:
                walk(getattr(v, name))
        elif isinstance(v, collections.abc.Mapping):
            for k in sorted(v):
                walk(v[k])
        elif isinstance(v, tuple):
            for x in v:
                walk(x)
    walk(value)
    return out


def _spec_of(v):
    if isinstance(v, Tensor):
        return TensorSpec(v.shape, v.dtype)
    if isinstance(v, ExtensionType):
        return v._type_spec
    if isinstance(v, collections.abc.Mapping):
        return ImmutableDict((k, _spec_of(x)) for k, x in v.items())
    if isinstance(v, tuple):
        return tuple(_spec_of(x) for x in v)
    return v


class ExtensionTypeSpec:
    """The ``Spec`` of an extension type: its fields' specs (tensors as TensorSpecs, Python
    values as they are). ``Spec(**fields)`` builds one; a class's own ``Spec`` body may define
    ``__init__`` and properties over those fields."""

    value_type = None

    def __init__(self, *args, **fields):
        names = list(self.value_type._tf_fields)
        fields.update(zip(names, args))
        for name in names:
            if name in fields:
                setattr(self, name, fields[name])

    @classmethod
    def _from_value(cls, value):
        spec = object.__new__(cls)
        for name in value._tf_fields:
            object.__setattr__(spec, name, _spec_of(getattr(value, name)))
        return spec

    def _field_items(self):
        return tuple((name, vars(self).get(name)) for name in self.value_type._tf_fields)

    def __eq__(self, other):
        return type(self) is type(other) and self._field_items() == other._field_items()

    def __hash__(self):
        return hash((type(self), tuple((n, repr(v)) for n, v in self._field_items())))

    def __repr__(self):
        body = ", ".join(f"{n}={v!r}" for n, v in self._field_items())
        return f"{self.value_type.__qualname__}.Spec({body})"


def from_fields(cls, fields):
    """An instance of extension type ``cls`` with these (already converted) field values, its
    constructor not run (a dataset's rows and batches)."""
    value = object.__new__(cls)
    for name, v in fields.items():
        object.__setattr__(value, name, v)
    object.__setattr__(value, "_tf_frozen", True)
    return value


def is_extension(x):
    """Whether ``x`` is an extension type value or Spec (tf.function's composite arguments)."""
    return isinstance(x, ExtensionType | ExtensionTypeSpec)


def _fields_of(x):
    """``[(name, field value or spec)]`` of a value or a Spec, in field order."""
    if isinstance(x, ExtensionTypeSpec):
        return list(x._field_items())
    return [(name, getattr(x, name)) for name in x._tf_fields]


def _walk_parts(v, out):
    if isinstance(v, Tensor | TensorSpec):
        out.append(v)
    elif is_extension(v):
        for _, f in _fields_of(v):
            _walk_parts(f, out)
    elif isinstance(v, collections.abc.Mapping):
        for k in sorted(v):
            _walk_parts(v[k], out)
    elif isinstance(v, tuple):
        for x in v:
            _walk_parts(x, out)


def parts(x):
    """The tensors of an extension type value (TensorSpecs of a Spec), in field order, nested
    ones and mappings (by sorted key) included: what a tf.function takes and returns of it."""
    out = []
    _walk_parts(x, out)
    return out


def static_key(x):
    """The type and the fields that are not tensors, of a value or a Spec (a trace's key)."""
    def static(v):
        if isinstance(v, Tensor | TensorSpec):
            return None
        if is_extension(v):
            return static_key(v)
        if isinstance(v, TensorShape):
            return ("shape", None if v.rank is None else tuple(v.as_list()))
        if isinstance(v, collections.abc.Mapping):
            return tuple((k, static(v[k])) for k in sorted(v))
        if isinstance(v, tuple):
            return tuple(static(i) for i in v)
        return repr(v)
    cls = x.value_type if isinstance(x, ExtensionTypeSpec) else type(x)
    return (id(cls), tuple((name, static(v)) for name, v in _fields_of(x)))


def rebuild(like, tensors):
    """A value of ``like``'s type (``like`` a value or a Spec) whose tensors are taken in
    order from the iterator ``tensors``; its other fields are ``like``'s."""
    def build(v):
        if isinstance(v, Tensor | TensorSpec):
            return next(tensors)
        if is_extension(v):
            return rebuild(v, tensors)
        if isinstance(v, collections.abc.Mapping):
            built = {k: build(v[k]) for k in sorted(v)}  # the order parts() took them in
            return ImmutableDict((k, built[k]) for k in v)
        if isinstance(v, tuple):
            return tuple(build(i) for i in v)
        return v
    cls = like.value_type if isinstance(like, ExtensionTypeSpec) else type(like)
    return from_fields(cls, {name: build(v) for name, v in _fields_of(like)})


def spec_from_fields(cls, fields):
    """The Spec of extension type ``cls`` with these field specs (a loaded SavedModel's)."""
    return spec_with_fields(object.__new__(cls.Spec), fields)


def unstack(value):
    """A batchable extension type value's rows: row ``i`` of each tensor field (nested
    extension types too), a TensorShape field (the batch shape) less its first dimension."""
    from ..ops.manip_ops import unstack as unstack_tensor
    columns = {}
    for name in value._tf_fields:
        v = getattr(value, name)
        if isinstance(v, Tensor):
            columns[name] = unstack_tensor(v)
        elif isinstance(v, ExtensionType):
            columns[name] = unstack(v)
    if not columns:
        raise ValueError(f"Cannot unbatch {type(value).__name__}: it has no tensor fields.")
    n = len(next(iter(columns.values())))
    return [from_fields(type(value), {
        name: columns[name][i] if name in columns else
        getattr(value, name)[1:] if isinstance(getattr(value, name), TensorShape) else
        getattr(value, name) for name in value._tf_fields}) for i in range(n)]


def stack_values(values):
    """The batch of extension type values of one type: their tensor fields stacked, a
    TensorShape field with the batch size in front."""
    from ..ops.manip_ops import stack
    first = values[0]
    fields = {}
    for name in first._tf_fields:
        v = getattr(first, name)
        column = [getattr(x, name) for x in values]
        fields[name] = (stack(column) if isinstance(v, Tensor) else stack_values(column)
                        if isinstance(v, ExtensionType) else
                        TensorShape([len(values)]).concatenate(v)
                        if isinstance(v, TensorShape) else v)
    return from_fields(type(first), fields)


def spec_with_fields(spec, fields):
    """A spec of ``spec``'s type with these field specs."""
    out = object.__new__(type(spec))
    for name, v in fields.items():
        object.__setattr__(out, name, v)
    return out


class BatchableExtensionType(ExtensionType):
    """``tf.experimental.BatchableExtensionType``: declared like ExtensionType; datasets slice,
    batch and unbatch it and ``tf.map_fn`` maps over it (each tensor field along its first
    dimension, a TensorShape field as the batch shape)."""
