"""The functions of ``tf.keras.backend`` (Keras 3's backward-compatible backend API), made of
``keras.ops`` and tapeflow ops. Argument names and defaults are the legacy ones: ``argmax``
reduces the last axis, ``concatenate`` joins the last axis, ``zeros``/``ones``/``eye`` make
variables, ``get_value`` returns NumPy."""

import numpy as _np

import tapeflow as _tf

from . import ops as _ops
from . import random as _random
from .config import epsilon, floatx, image_data_format  # noqa: F401
from .config import set_epsilon, set_floatx, set_image_data_format  # noqa: F401
from .ops._base import dtype_name as _dtype_name
from .ops._base import result_type  # noqa: F401
from .ops._base import tensor as _t
from .utils._data import standardize_dtype  # noqa: F401
from .utils._extra import is_keras_tensor  # noqa: F401

_uids = {}


def get_uid(prefix=""):
    _uids[prefix] = _uids.get(prefix, 0) + 1
    return _uids[prefix]


def is_float_dtype(dtype):
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    return standardize_dtype(dtype).startswith(("int", "uint"))


def is_sparse(tensor):
    return isinstance(tensor, _tf.SparseTensor)


def to_dense(tensor):
    return _tf.sparse.to_dense(tensor) if is_sparse(tensor) else tensor


def name_scope(name):
    return _tf.name_scope(name)


def dtype(x):
    return _dtype_name(x)


def int_shape(x):
    shape = x.shape
    return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)


def ndim(x):
    return len(int_shape(x))


def shape(x):
    return _tf.shape(x)


def count_params(x):
    return int(_np.prod(int_shape(x)))


def cast_to_floatx(x):
    return _np.asarray(x, dtype=floatx())


def constant(value, dtype=None, shape=None, name=None):
    return _tf.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):
    from .layers import Variable
    value = _np.asarray(value)
    return Variable(value.astype(dtype or floatx()), name=name, constraint=constraint)


def zeros(shape, dtype=None, name=None):
    return variable(_np.zeros(shape), dtype, name)


def ones(shape, dtype=None, name=None):
    return variable(_np.ones(shape), dtype, name)


def eye(size, dtype=None, name=None):
    rows, cols = (size, size) if isinstance(size, int) else size
    return variable(_np.eye(rows, cols), dtype, name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    return variable(_random.normal(shape, mean, scale, dtype, seed=seed).numpy(), dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    return variable(_random.uniform(shape, low, high, dtype, seed=seed).numpy(), dtype, name)


def zeros_like(x, dtype=None, name=None):
    return _tf.zeros_like(x, dtype=dtype, name=name)


def ones_like(x, dtype=None, name=None):
    return _tf.ones_like(x, dtype=dtype, name=name)


def get_value(x):
    return x.numpy() if hasattr(x, "numpy") else _np.asarray(x)


def batch_get_value(tensors):
    return [get_value(t) for t in tensors]


def set_value(x, value):
    x.assign(_np.asarray(value, dtype=x.dtype.name))


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def eval(x):
    return get_value(_tf.convert_to_tensor(x) if not hasattr(x, "numpy") else x)


def update(x, new_x):
    return x.assign(new_x)


def update_add(x, increment):
    return x.assign_add(increment)


def update_sub(x, decrement):
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    return x.assign(x * momentum + _tf.cast(value, x.dtype) * (1.0 - momentum))


def gradients(loss, variables):
    raise RuntimeError("`gradients` builds symbolic gradients in a TF 1 graph; use "
                       "tf.GradientTape in eager code.")


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [_tf.stop_gradient(v) for v in variables]
    return _tf.stop_gradient(variables)


# ---- math -----------------------------------------------------------------------------------

abs, cos, sin, exp, sqrt, square, sign, round = (  # noqa: A001
    _ops.abs, _ops.cos, _ops.sin, _ops.exp, _ops.sqrt, _ops.square, _ops.sign, _ops.round)
equal, not_equal, greater, greater_equal, less, less_equal = (
    _ops.equal, _ops.not_equal, _ops.greater, _ops.greater_equal, _ops.less, _ops.less_equal)
maximum, minimum, transpose, stack, tile = (
    _ops.maximum, _ops.minimum, _ops.transpose, _ops.stack, _ops.tile)
sigmoid, tanh, softplus, softsign = _ops.sigmoid, _ops.tanh, _ops.softplus, _ops.softsign


def hard_sigmoid(x):
    """The legacy piecewise-linear sigmoid: ``clip(0.2 * x + 0.5, 0, 1)``."""
    x = _t(x)
    return _tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def log(x):
    return _ops.log(x)


def pow(x, a):
    return _ops.power(x, a)


def clip(x, min_value, max_value):
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return _ops.clip(x, min_value, max_value)


def _reduction(name, fn):
    def reduce(x, axis=None, keepdims=False):
        return fn(x, axis, keepdims)
    reduce.__name__ = reduce.__qualname__ = name
    return reduce


# sum and prod keep the input's dtype, as the legacy backend's do (ops.sum widens int8)
sum = _reduction("sum", _tf.reduce_sum)  # noqa: A001
prod = _reduction("prod", _tf.reduce_prod)
mean, var, std = (_reduction(n, getattr(_ops, n)) for n in ("mean", "var", "std"))
max, min, all, any = (_reduction(n, getattr(_ops, n))  # noqa: A001
                      for n in ("max", "min", "all", "any"))


def argmax(x, axis=-1):
    return _tf.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return _tf.argmin(x, axis=axis)


def cumsum(x, axis=0):
    return _tf.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return _tf.math.cumprod(x, axis=axis)


def arange(start, stop=None, step=1, dtype="int32"):
    if stop is None:
        start, stop = 0, start
    return _tf.range(start, stop, step, dtype=dtype)


def cast(x, dtype):
    return _tf.cast(x, dtype)


def dot(x, y):
    x, y = _t(x), _t(y)
    if x.shape.rank > 2 or y.shape.rank > 2:
        return _tf.tensordot(x, y, [[x.shape.rank - 1], [y.shape.rank - 2]])
    return _tf.matmul(x, y)


def batch_dot(x, y, axes=None):
    x, y = _t(x), _t(y)
    if axes is None:
        axes = [x.shape.rank - 1, y.shape.rank - 2 if y.shape.rank > 2 else 1]
    elif isinstance(axes, int):
        axes = [axes, axes]
    ax, ay = (a % r for a, r in zip(axes, (x.shape.rank, y.shape.rank)))
    letters = iter("bcdefghijklmnopqrstuvwxyz")
    xs = ["a"] + [next(letters) for _ in range(x.shape.rank - 1)]
    ys = ["a"] + [next(letters) for _ in range(y.shape.rank - 1)]
    ys[ay] = xs[ax]
    out = [c for i, c in enumerate(xs) if i != ax] + \
        [c for i, c in enumerate(ys) if i not in (0, ay)]
    result = _tf.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    return _tf.expand_dims(result, 1) if result.shape.rank == 1 else result


def concatenate(tensors, axis=-1):
    return _tf.concat(list(tensors), axis=axis)


def reshape(x, shape):
    return _tf.reshape(x, shape)


def permute_dimensions(x, pattern):
    return _tf.transpose(x, pattern)


def expand_dims(x, axis=-1):
    return _tf.expand_dims(x, axis)


def squeeze(x, axis):
    return _tf.squeeze(x, [axis])


def flatten(x):
    return _tf.reshape(x, [-1])


def batch_flatten(x):
    return _tf.reshape(x, [_tf.shape(x)[0], -1])


def reverse(x, axes):
    return _tf.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def repeat(x, n):
    return _tf.tile(_tf.expand_dims(x, 1), [1, n, 1])


def repeat_elements(x, rep, axis):
    return _tf.repeat(x, rep, axis=axis)


def gather(reference, indices):
    return _tf.gather(reference, indices)


def switch(condition, then_expression, else_expression):
    then = then_expression() if callable(then_expression) else then_expression
    other = else_expression() if callable(else_expression) else else_expression
    condition = _t(condition)
    if condition.shape.rank == 0:
        return then if bool(condition) else other
    then = _t(then)
    while condition.shape.rank < then.shape.rank:
        condition = _tf.expand_dims(condition, -1)
    return _tf.where(_tf.broadcast_to(condition, then.shape), then, other)


def one_hot(indices, num_classes):
    return _tf.one_hot(indices, num_classes, axis=-1)


def l2_normalize(x, axis=None):
    return _tf.nn.l2_normalize(x, axis=axis)


def in_top_k(predictions, targets, k):
    return _tf.math.in_top_k(targets, predictions, k)


def bias_add(x, bias, data_format=None):
    x, bias = _t(x), _t(bias)
    if (data_format or image_data_format()) == "channels_first" and x.shape.rank > 2:
        return x + _tf.reshape(bias, [1, -1] + [1] * (x.shape.rank - 2))
    return x + bias


# ---- activations and losses -----------------------------------------------------------------

def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    from . import activations
    return activations.relu(x, alpha, max_value, threshold)


def elu(x, alpha=1.0):
    return _ops.elu(x, alpha)


def softmax(x, axis=-1):
    return _ops.softmax(x, axis)


def _loss(name, *args, **kwargs):
    from . import losses
    return getattr(losses, name)(*args, **kwargs)


def binary_crossentropy(target, output, from_logits=False):
    return _ops.binary_crossentropy(target, output, from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return _ops.categorical_crossentropy(target, output, from_logits, axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1,
                                    ignore_class=None):
    return _loss("sparse_categorical_crossentropy", target, output, from_logits=from_logits,
                 ignore_class=ignore_class, axis=axis)


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False):
    output = _t(output)
    target = _tf.cast(_t(target), output.dtype)
    bce = _ops.binary_crossentropy(target, output, from_logits)
    probs = _tf.sigmoid(output) if from_logits else output
    p_t = target * probs + (1 - target) * (1 - probs)
    focal = _tf.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (target * alpha + (1 - target) * (1 - alpha)) * focal
    return focal


def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False,
                                   axis=-1):
    output = _t(output)
    target = _tf.cast(_t(target), output.dtype)
    probs = _tf.nn.softmax(output, axis=axis) if from_logits else \
        output / _tf.reduce_sum(output, axis=axis, keepdims=True)
    probs = _tf.clip_by_value(probs, epsilon(), 1.0 - epsilon())
    focal = -target * alpha * _tf.pow(1.0 - probs, gamma) * _tf.math.log(probs)
    return _tf.reduce_sum(focal, axis=axis)


def dropout(x, level, noise_shape=None, seed=None):
    return _random.dropout(x, level, noise_shape, seed=seed)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.normal(shape, mean, stddev, dtype, seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _random.uniform(shape, minval, maxval, dtype, seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.truncated_normal(shape, mean, stddev, dtype, seed=seed)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    dtype = dtype or floatx()
    return _tf.cast(_random.uniform(shape, dtype=dtype, seed=seed) < p, dtype)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=0.001):
    return _tf.nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


# ---- convolutions, pools, padding, resizing -------------------------------------------------

def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    return _ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    return _ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    return _ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    return _ops.depthwise_conv(x, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    return _ops.separable_conv(x, depthwise_kernel, pointwise_kernel, strides, padding,
                               data_format, dilation_rate)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    first = (data_format or image_data_format()) == "channels_first"
    x = _t(x)
    if first:
        x = _tf.transpose(x, [0, 2, 3, 1])
        output_shape = [output_shape[0], output_shape[2], output_shape[3], output_shape[1]]
    out = _tf.nn.conv2d_transpose(x, kernel, output_shape, [1, *strides, 1],
                                  padding.upper(), dilations=list(dilation_rate))
    return _tf.transpose(out, [0, 3, 1, 2]) if first else out


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    fn = _ops.max_pool if pool_mode == "max" else _ops.average_pool
    return fn(x, pool_size, strides, padding, data_format)


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    return pool2d(x, pool_size, strides, padding, data_format, pool_mode)


def temporal_padding(x, padding=(1, 1)):
    return _tf.pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    pads = [list(p) for p in padding]
    if (data_format or image_data_format()) == "channels_first":
        return _tf.pad(x, [[0, 0], [0, 0], *pads])
    return _tf.pad(x, [[0, 0], *pads, [0, 0]])


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    return spatial_2d_padding(x, padding, data_format)


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    x = _t(x)
    first = data_format == "channels_first"
    if first:
        x = _tf.transpose(x, [0, 2, 3, 1])
    if interpolation == "nearest":
        out = _tf.repeat(_tf.repeat(x, height_factor, axis=1), width_factor, axis=2)
    else:
        out = _tf.image.resize(x, [x.shape[1] * height_factor, x.shape[2] * width_factor],
                               method=interpolation)
    return _tf.transpose(out, [0, 3, 1, 2]) if first else out


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    axes = (2, 3, 4) if data_format == "channels_first" else (1, 2, 3)
    for axis, factor in zip(axes, (depth_factor, height_factor, width_factor)):
        x = _tf.repeat(x, factor, axis=axis)
    return x


# ---- control flow ---------------------------------------------------------------------------

def map_fn(fn, elems, name=None, dtype=None):
    return _tf.map_fn(fn, elems, fn_output_signature=dtype)


def foldl(fn, elems, initializer=None, name=None):
    return _tf.foldl(fn, elems, initializer=initializer)


def foldr(fn, elems, initializer=None, name=None):
    return _tf.foldr(fn, elems, initializer=initializer)


def ctc_label_dense_to_sparse(labels, label_lengths):
    labels = _np.asarray(labels)
    lengths = _np.asarray(label_lengths).reshape(-1)
    indices = [(b, t) for b in range(labels.shape[0]) for t in range(int(lengths[b]))]
    values = [labels[b, t] for b, t in indices]
    return _tf.SparseTensor(_np.array(indices, "int64").reshape(-1, 2),
                            _np.array(values, labels.dtype), labels.shape)


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Per-sample CTC loss ``(batch, 1)`` of softmax outputs ``y_pred`` (blank = last class)."""
    y_pred = _t(y_pred)
    logits = _tf.math.log(_tf.transpose(y_pred, [1, 0, 2]) + epsilon())
    loss = _tf.nn.ctc_loss(_tf.cast(_t(y_true), "int32"), logits,
                           _tf.reshape(_tf.cast(_t(label_length), "int32"), [-1]),
                           _tf.reshape(_tf.cast(_t(input_length), "int32"), [-1]),
                           logits_time_major=True, blank_index=y_pred.shape[-1] - 1)
    return _tf.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    y_pred = _t(y_pred)
    paths, scores = _ops.ctc_decode(y_pred, input_length,
                                    "greedy" if greedy else "beam_search", beam_width,
                                    top_paths, mask_index=y_pred.shape[-1] - 1)
    return [paths[i] for i in range(paths.shape[0])], scores


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Runs ``step_function(input_t, states)`` over the time axis; returns
    ``(last_output, outputs, new_states)``."""
    inputs = _t(inputs)
    steps = _tf.unstack(inputs, axis=0 if time_major else 1)
    masks = None if mask is None else _tf.unstack(_t(mask), axis=0 if time_major else 1)
    order = list(range(len(steps)))[::-1] if go_backwards else list(range(len(steps)))
    states, outputs, last = list(initial_states), [], None
    for t in order:
        out, new_states = step_function(steps[t], states + list(constants or []))
        new_states = list(new_states)
        if masks is not None:
            keep = _tf.expand_dims(_tf.cast(masks[t], "bool"), -1)
            prev = last if last is not None else _tf.zeros_like(out)
            out = _tf.where(keep, out, _tf.zeros_like(out) if zero_output_for_mask else prev)
            new_states = [_tf.where(keep, n, s) for n, s in zip(new_states, states)]
        states, last = new_states, out
        outputs.append(out)
    stacked = _tf.stack(outputs if return_all_outputs else outputs[-1:],
                        axis=0 if time_major else 1)
    return last, stacked, states

