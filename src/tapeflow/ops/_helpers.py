"""What every op module shares: operand conversion (no implicit promotion) and TF's dtype errors."""

import functools

import numpy as np

from ..engine.core import apply1, apply2
from ..engine.shapes import broadcasting, same
from ..framework import dtypes, errors
from ..framework.context import fp_quiet, fp_restore
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, to_array, wrap
from ..framework.variable import Variable

FLOAT = "fc"            # float and complex kinds
REAL = "f"
NUMERIC = "fciu"
ANY = "fciubOSU"


def tensor(x):
    """The hot-path conversion: tensors pass, everything else goes through convert_to_tensor."""
    return x if type(x) is EagerTensor else convert_to_tensor(x)


def _kind_name(np_dtype):
    return dtypes.from_numpy(np_dtype)._op_name


def dtype_mismatch(op_type, index, expected, actual, kernel=None):
    return errors.op_error(
        op_type, f"cannot compute {kernel or op_type} as input #{index}(zero-based) was expected "
        f"to be a {_kind_name(expected)} tensor but is a {_kind_name(actual)} tensor")


_NUMPY = (np.ndarray, np.generic)


def operands(x, y, op_type, hint=False, kernel=None):
    """Convert a binary op's operands TF's way: the non-tensor side takes the tensor's dtype.

    With ``hint`` (``tensor + value``, ``tensor @ value``, ``tensor / value``) a right-hand value
    that cannot take the tensor's dtype is converted on its own instead, so the dtype check
    fails afterwards, as in TF; otherwise that conversion raises TypeError.
    """
    if type(x) is EagerTensor and type(y) is EagerTensor:
        if x._value.dtype != y._value.dtype:
            raise dtype_mismatch(op_type, 1, x._value.dtype, y._value.dtype, kernel)
        return x, y
    if isinstance(x, Variable):
        x = x._dense_read()
    if isinstance(y, Variable):
        y = y._dense_read()
    if isinstance(x, Tensor):
        if isinstance(y, Tensor):
            if x._value.dtype != y._value.dtype:
                raise dtype_mismatch(op_type, 1, x._value.dtype, y._value.dtype, kernel)
            return x, y
        if hint:
            try:
                return x, like(y, x)
            except TypeError:
                return operands(x, convert_to_tensor(y), op_type, kernel=kernel)
        return x, like(y, x)
    if isinstance(y, Tensor):
        if type(x) is not float and isinstance(x, _NUMPY) and x.dtype.kind in "biufc" and \
                x.dtype != y._value.dtype:  # a NumPy value first keeps its dtype: y must match
            raise dtype_mismatch(op_type, 1, x.dtype, y._value.dtype, kernel)
        return like(x, y), y
    x = convert_to_tensor(x)
    return x, like(y, x)


def like(value, t):
    """A non-tensor operand converted to tensor ``t``'s dtype (TypeError when that loses data)."""
    np_dtype = t._value.dtype
    if type(value) is float and np_dtype.kind in "fcV":
        return float_constant(value, np_dtype)
    return wrap(to_array(value, dtypes.from_numpy(np_dtype)))


_float_constants = {}


def float_constant(value, np_dtype):
    """A Python float operand as a tensor, reused across ops (``x * 0.5`` in a loop converts
    once). Safe because nobody else holds it: it cannot be watched, assigned or given a tangent."""
    key = (value, np_dtype)
    t = _float_constants.get(key)
    if t is None:
        if len(_float_constants) >= 1024:
            _float_constants.clear()
        quiet = fp_quiet()  # 1e39 as float32 is inf, silently
        t = _float_constants[key] = wrap(np.array(value, np_dtype))
        fp_restore(quiet)
    return t


_ALLOWED = (("f", (dtypes.float16, dtypes.float32, dtypes.float64)),
            ("u", (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)),
            ("i", (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)),
            ("c", (dtypes.complex64, dtypes.complex128)),
            ("b", (dtypes.bool,)), ("O", (dtypes.string,)))


def check_kind(x, kinds, op_type, arity=1):
    """TF's "not in the list of allowed values" error when ``x``'s dtype kind is not in ``kinds``.

    The allowed list is rebuilt from ``kinds``, so its order may differ from TF's for some ops.
    """
    kind = x._value.dtype.kind
    if kind in kinds or kind == "V" and "f" in kinds:  # V: bfloat16, a float wherever TF has it
        return
    allowed = [d for kind, ds in _ALLOWED if kind in kinds for d in ds]
    if "f" in kinds:
        allowed.insert(0, "bfloat16")
    names = ", ".join(d if isinstance(d, str) else d._op_name for d in allowed)
    dts = ", ".join("DT_" + (d if isinstance(d, str) else d._op_name).upper() for d in allowed)
    sig = "x:T -> y:T" if arity == 1 else "x:T, y:T -> z:T"
    raise errors.op_error(op_type, f"Value for attr 'T' of {x.dtype._op_name} is not in the list "
                          f"of allowed values: {names}\n\t; NodeDef: {{{{node {op_type}}}}}; "
                          f"Op<name={op_type}; signature={sig}; attr=T:type,allowed=[{dts}]>")


# The op definitions TF quotes when an index-typed attr gets another dtype.
_INDEX_OPDEFS = {
    "Fill": "signature=dims:index_type, value:T -> output:T; attr=T:type; "
            "attr=index_type:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "Reshape": "signature=tensor:T, shape:Tshape -> output:T; attr=T:type; "
               "attr=Tshape:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "Shape": "signature=input:T -> output:out_type; attr=T:type; "
             "attr=out_type:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "Size": "signature=input:T -> output:out_type; attr=T:type; "
            "attr=out_type:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "Range": "signature=start:Tidx, limit:Tidx, delta:Tidx -> output:Tidx; "
             "attr=Tidx:type,default=DT_INT32,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
             "DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_UINT16, DT_UINT32, DT_UINT64]",
}
_REDUCE_T = ("DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, DT_INT64, "
             "DT_QINT8, DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_QINT16, DT_QUINT16, DT_UINT16, "
             "DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64")
_MINMAX_T = ("DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, "
             "DT_UINT16, DT_HALF, DT_UINT32, DT_UINT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_QINT16, "
             "DT_QUINT16")
_TIDX = "Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"
_REDUCE = ("signature=input:T, reduction_indices:Tidx -> output:T; attr=keep_dims:bool,"
           "default=false; attr=T:type,allowed=[{}]; attr=" + _TIDX)
_BOOL_REDUCE = ("signature=input:bool, reduction_indices:Tidx -> output:bool; "
                "attr=keep_dims:bool,default=false; attr=" + _TIDX)
_INDEX_OPDEFS.update({
    **{op: _REDUCE.format(_REDUCE_T) for op in ("Sum", "Mean", "Prod", "EuclideanNorm")},
    **{op: _REDUCE.format(_MINMAX_T) for op in ("Max", "Min")},
    "Any": _BOOL_REDUCE, "All": _BOOL_REDUCE,
    **{op: "signature=x:T, axis:Tidx -> out:T; attr=exclusive:bool,default=false; "
           f"attr=reverse:bool,default=false; attr=T:type,allowed=[{_REDUCE_T}]; attr={_TIDX}"
       for op in ("Cumsum", "Cumprod")},
    "Transpose": "signature=x:T, perm:Tperm -> y:T; attr=T:type; "
                 "attr=Tperm:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "ExpandDims": "signature=input:T, dim:Tdim -> output:T; attr=T:type; "
                  "attr=Tdim:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "ConcatV2": "signature=values:N*T, axis:Tidx -> output:T; attr=N:int,min=2; attr=T:type; "
                "attr=" + _TIDX,
    "Tile": "signature=input:T, multiples:Tmultiples -> output:T; attr=T:type; "
            "attr=Tmultiples:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "Pad": "signature=input:T, paddings:Tpaddings -> output:T; attr=T:type; "
           "attr=Tpaddings:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    "BroadcastTo": "signature=input:T, shape:Tidx -> output:T; attr=T:type; attr=" + _TIDX,
    "ReverseV2": "signature=tensor:T, axis:Tidx -> output:T; attr=" + _TIDX + "; "
                 "attr=T:type,allowed=[DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_INT32, "
                 "DT_UINT32, DT_INT64, DT_UINT64, DT_BOOL, DT_BFLOAT16, DT_HALF, DT_FLOAT, "
                 "DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128, DT_STRING]",
    "Slice": "signature=input:T, begin:Index, size:Index -> output:T; attr=T:type; "
             "attr=Index:type,allowed=[DT_INT32, DT_INT64]",
    "GatherV2": "signature=params:Tparams, indices:Tindices, axis:Taxis -> output:Tparams; "
                "attr=batch_dims:int,default=0; attr=Tparams:type; attr=Tindices:type,"
                "allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=Taxis:type,allowed=[DT_INT32, "
                "DT_INT64]",
    "UnsortedSegmentSum": "signature=data:T, segment_ids:Tindices, num_segments:Tnumsegments -> "
                          f"output:T; attr=T:type,allowed=[{_REDUCE_T}]; attr=Tindices:type,"
                          "allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=Tnumsegments:type,"
                          "default=DT_INT32,allowed=[DT_INT32, DT_INT64]",
    **{op: "signature=input:T, dimension:Tidx -> output:output_type; attr=T:type,allowed=["
           "DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, "
           "DT_UINT16, DT_HALF, DT_UINT32, DT_UINT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_QINT16, "
           "DT_QUINT16, DT_BOOL]; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, "
           "DT_INT64]; attr=output_type:type,default=DT_INT64,allowed=[DT_INT16, DT_UINT16, "
           "DT_INT32, DT_INT64]" for op in ("ArgMax", "ArgMin")},
    "GatherNd": "signature=params:Tparams, indices:Tindices -> output:Tparams; attr=Tparams:type; "
                "attr=Tindices:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
                'attr=bad_indices_policy:string,default=""',
    "ScatterNd": "signature=indices:Tindices, updates:T, shape:Tindices -> output:T; attr=T:type; "
                 "attr=Tindices:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
                 'attr=bad_indices_policy:string,default=""',
    "OneHot": "signature=indices:TI, depth:int32, on_value:T, off_value:T -> output:T; "
              "attr=axis:int,default=-1; attr=T:type; attr=TI:type,default=DT_INT64,"
              "allowed=[DT_UINT8, DT_INT8, DT_INT32, DT_INT64]",
    "SegmentSum": "signature=data:T, segment_ids:Tindices -> output:T; "
                  f"attr=T:type,allowed=[{_REDUCE_T}]; attr=Tindices:type,allowed=[DT_INT32, "
                  "DT_INT64]",
    "StatelessRandomGetKeyCounter": "signature=seed:Tseed -> key:uint64, counter:uint64; "
                                    "attr=Tseed:type,default=DT_INT64,allowed=[DT_INT32, "
                                    "DT_INT64]",
})
_RANDOM_OPDEF = ("signature=shape:T -> output:dtype; attr=seed:int,default=0; "
                 "attr=seed2:int,default=0; attr=dtype:type,allowed=[DT_HALF, DT_BFLOAT16, "
                 "DT_FLOAT, DT_DOUBLE]; attr=T:type,allowed=[DT_INT32, DT_INT64]; is_stateful=true")


_DT_NAMES = {"DT_BFLOAT16": "bfloat16", "DT_HALF": "half", "DT_FLOAT": "float",
             "DT_DOUBLE": "double"}


def index_dtype_error(op_type, attr, dtype, suffix=False):
    """TF's error for a shape or index argument of a dtype the op's attr does not allow
    (``suffix``: the `` name: `` suffix, by default as the op's usual callers give it)."""
    opdef = _INDEX_OPDEFS.get(op_type, _RANDOM_OPDEF)
    allowed = opdef.split(f"attr={attr}:type")[-1].split("allowed=[")[1].split("]")[0]
    names = ", ".join(_DT_NAMES.get(a, a[3:].lower()) for a in allowed.split(", "))
    if suffix is False:
        suffix = "" if op_type in ("Shape", "Size", "Range") or op_type not in _INDEX_OPDEFS \
            else None
    return errors.op_error(op_type, f"Value for attr '{attr}' of {dtype._op_name} is not in the "
                           f"list of allowed values: {names}\n\t; NodeDef: {{{{node {op_type}}}}}; "
                           f"Op<name={op_type}; {opdef}>", name=suffix)


_NONE_ERROR = ("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) "
               "to a Tensor.")


def index_arg(value, op_type, attr, hint=True, name=False):
    """An axis, shape or index argument as an int ndarray, refused as TF's op refuses it: a
    Python float as the int32 conversion's TypeError (``hint``: the op converts with an int32
    hint), None as ValueError, a string, float or other tensor as the op's attr error (``attr``
    None: an argument TF converts to int32 itself, where any other value is a TypeError;
    ``name``: the error's `` name: `` suffix, by default TF's for a tensor or a float scalar)."""
    if type(value) is int:
        return np.array(value)
    if isinstance(value, float) and hint:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32")
    if value is None:
        raise ValueError(_NONE_ERROR)
    suffix = ("" if isinstance(value, float | Tensor | Variable) else None) if name is False \
        else name
    if isinstance(value, Tensor | Variable):
        arr = np.asarray(value)
    else:
        arr = dtypes.infer_numpy(value)
        if arr.dtype.kind == "b":  # Python bools convert to int32 as TF's hint asks
            arr = arr.astype(np.int32)
        elif attr is None and arr.dtype.kind not in "iu":
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32")
    if arr.dtype.kind not in "iu":
        raise index_dtype_error(op_type, attr, dtypes.from_numpy(arr.dtype), suffix)
    return arr


def axis_arg(axis, op_type, attr="Tidx", hint=True, not_scalar="{} must be a scalar",
             strict=False):
    """A scalar axis argument as an int, refused as ``op_type`` refuses it (``not_scalar``: the
    kernel's text for more than one value, formatted with their shape; ``strict``: a
    one-element vector is refused too)."""
    if type(axis) is int:
        return axis
    arr = index_arg(axis, op_type, attr, hint)
    if arr.size != 1 or strict and arr.ndim:
        raise errors.op_error(op_type, not_scalar.format(",".join(map(str, arr.shape))),
                              kernel=True, name=None)
    return int(arr.reshape(()))


# Composite arguments (RaggedTensor): an op converts its arguments first and, only when that
# fails, hands the call to the handler registered for it (``ragged_dispatch`` fills these), so a
# dense call pays nothing. Ops made by ``unary_op`` / ``binary_op`` / the reductions do it inline;
# others are wrapped where they are exported (``ops.export``).
UNARY_OPS, BINARY_OPS = [], []
FALLBACKS = {}  # op -> handler(*args, **kwargs), NotImplemented when it does not take them


def fallback(op, error, *args, **kwargs):
    """The call ``op(*args, **kwargs)`` whose argument conversion raised ``error``, given to its
    handler; ``error`` again when there is none or it declines."""
    handler = FALLBACKS.get(op)
    out = NotImplemented if handler is None else handler(*args, **kwargs)
    if out is NotImplemented:
        raise error
    return out


_WRAPPED = {}  # op -> its exported wrapper


def dispatch_on_failure(op, handler, inline=False):
    """Register ``handler`` for ``op``. Unless ``op`` calls ``fallback`` itself (``inline``, and
    the ops made by ``unary_op`` / ``binary_op``), what ``ops.export`` exports becomes a wrapper
    trying ``op`` first, the handler when it raised."""
    FALLBACKS[op] = handler
    if inline or op in UNARY_OPS or op in BINARY_OPS or op in _WRAPPED:
        return

    @functools.wraps(op)
    def wrapper(*args, **kwargs):
        try:
            return op(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - re-raised unless a handler takes the call
            return fallback(op, e, *args, **kwargs)
    _WRAPPED[op] = wrapper


def exported(fn):
    """What a public namespace holds for the op ``fn``."""
    return _WRAPPED.get(fn, fn)


def unary_op(prim, kinds=FLOAT, doc=None):
    """The public function of a one-input primitive: convert, check dtype, apply."""
    if prim.shape_fn is None:
        prim.shape_fn = same
    def op(x, name=None):
        if type(x) is not EagerTensor:
            try:
                x = convert_to_tensor(x)
            except (TypeError, ValueError) as e:
                return fallback(op, e, x, name=name)
        if x._value.dtype.kind not in kinds:
            check_kind(x, kinds, prim.name)
        return apply1(prim, x)
    op.__doc__ = doc or f"Elementwise ``{prim.name}`` (differentiable)."
    UNARY_OPS.append(op)
    return op


def binary_op(prim, kinds=NUMERIC, doc=None, hint=False, strings=None):
    """The public function of a two-input elementwise primitive (``hint``: see ``operands``).

    ``strings``: the primitive string operands go to instead (TF's ``Add`` for ``+``); it is
    looked for only once the dtype is known not to be numeric, off the hot path.
    """
    op_type = prim.name
    if prim.shape_fn is None:
        prim.shape_fn = broadcasting

    def op(x, y, name=None):
        if type(x) is EagerTensor and type(y) is float and x._value.dtype.kind in "fc":
            y = float_constant(y, x._value.dtype)  # `tensor * 0.5`: the other hot path
        if type(x) is EagerTensor and type(y) is EagerTensor:  # the hot path, inlined
            dtype = x._value.dtype
            if dtype is not y._value.dtype and dtype != y._value.dtype:
                if strings is not None and dtype.kind == "O":
                    raise dtype_mismatch(strings.name, 1, dtype, y._value.dtype)
                if hint:  # the kernel rejects x's dtype before the mismatch
                    check_kind(x, kinds, op_type, 2)
                raise dtype_mismatch(op_type, 1, dtype, y._value.dtype)
        else:
            if hint and type(x) is EagerTensor and not (
                    strings is not None and x._value.dtype.kind == "O"):
                check_kind(x, kinds, op_type, 2)  # the kernel rejects x's dtype before y's
            try:
                x, y = operands(x, y, strings.name if strings is not None and _is_string(x)
                                else op_type, hint)
            except (TypeError, ValueError) as e:
                return fallback(op, e, x, y, name=name)
            dtype = x._value.dtype
        if dtype.kind not in kinds:
            if strings is not None and dtype.kind == "O":
                return apply2(strings, x, y)
            check_kind(x, kinds, op_type, 2)
        return apply2(prim, x, y)  # shapes that do not broadcast: TF's error, from apply2
    op.__doc__ = doc or f"Elementwise ``{prim.name}`` with broadcasting (differentiable)."
    BINARY_OPS.append(op)
    return op


def _is_string(x):
    return isinstance(x, str | bytes) or isinstance(x, Tensor) and x._value.dtype.kind == "O"


def normalize_axis(axis, ndim, op_type="Sum"):
    """``axis`` (None, int, list or tensor) as a sorted tuple of non-negative ints, or None."""
    if axis is None:
        return None
    if type(axis) is int:
        axis = (axis,)
    elif not (isinstance(axis, list | tuple) and all(type(a) is int for a in axis)):
        axis = index_arg(axis, op_type, "Tidx").reshape(-1).tolist()
    out = []
    for a in axis:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            # TF's text, unbalanced parenthesis included
            raise errors.op_error(op_type, f"Invalid reduction dimension ({a} for input with "
                                  f"{ndim} dimension(s)", kernel=True)
        a = a % ndim if ndim else 0
        if a in out:
            raise errors.op_error(op_type, "Invalid reduction arguments: Axes contains duplicate "
                                  f"dimension: {a}", kernel=True, name=None)
        out.append(a)
    return tuple(sorted(out))
