"""``Hashing`` and ``HashedCrossing``: categorical features to bins by TF's string hashes
(``tf.strings.to_hash_bucket_fast``/``_strong``, ``tf.sparse.cross_hashed``'s fingerprint
chain), and ``encode_categorical``, the output modes they share with ``Discretization``.

Both work eagerly, in a ``tf.function`` and in ``Dataset.map``: Hashing through traced tapeflow
ops, HashedCrossing through a ``numpy_function`` for the cross."""

import numpy as np

import tapeflow as tf

from ...ops import string_ops
from .layer import Layer, base_config


def check_string_arg(value, allowed, caller, arg):
    """Keras's error for a string argument outside ``allowed``."""
    if value not in allowed:
        raise ValueError(f"Unknown value for `{arg}` argument of {caller}. Allowed values are: "
                         f"{allowed}. Received: {arg}={value}")


def _as_tensor(x):
    return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)


def encode_categorical(ids, output_mode, depth, dtype):
    """Bin indices in Keras's output modes: "int" casts; "one_hot" adds a ``depth`` axis (in
    place of a last axis of 1); "multi_hot" and "count" count the bins over axis 1 (the
    sample's values for a batch of rank 2; a rank-1 input is one sample), as Keras does."""
    if output_mode == "int":
        return tf.cast(ids, dtype)
    if ids.shape.rank == 0:
        ids = tf.expand_dims(ids, -1)
    rank = ids.shape.rank
    if output_mode == "one_hot":
        if rank > 1 and ids.shape[-1] == 1:
            ids = tf.squeeze(ids, -1)
        return tf.one_hot(ids, depth, dtype=dtype)
    hot = tf.one_hot(ids, depth, dtype=dtype)
    reduce = tf.reduce_max if output_mode == "multi_hot" else tf.reduce_sum
    return reduce(hot, axis=1 if rank > 1 else 0)


def salt_keys(salt, caller, size="size 2"):
    """A salt as the two keys of SipHash (an integer is both); Keras's error otherwise."""
    if salt is None:
        return None
    if isinstance(salt, tuple | list) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(f"The `salt` argument for `{caller}` can only be a tuple of {size} "
                     f"integers, or a single integer. Received: salt={salt}.")


def hash_to_bins(values, num_bins, salt=None):
    """``values`` (strings, or numbers hashed as their decimal text, floats as int64 first) to
    ``[0, num_bins)`` by FarmHash, or by SipHash keyed by ``salt`` (two integers)."""
    if values.dtype.is_floating:
        values = tf.cast(values, tf.int64)
    if values.dtype != tf.string:
        values = tf.as_string(values)
    if salt is not None:
        return tf.strings.to_hash_bucket_strong(values, num_bins, key=salt)
    return tf.strings.to_hash_bucket_fast(values, num_bins)


class Hashing(Layer):
    """Strings or numbers to ``num_bins`` hash bins (bin 0 kept for ``mask_value`` if set)."""

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else tf.keras.backend.floatx()
        dtype = kwargs["dtype"]
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f"When `output_mode=\"int\"`, `dtype` should be an integer type, "
                             f"'int32' or 'in64'. Received: dtype={dtype}")
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{modes}. Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `\"one_hot\"`, "
                             f"`\"multi_hot\"`, or `\"count\"`. Received: sparse={sparse} and "
                             f"output_mode={output_mode}")
        self.num_bins, self.mask_value, self.output_mode = num_bins, mask_value, output_mode
        self.sparse = sparse
        self.salt = salt_keys(salt, "Hashing")
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | str | bytes | int | float):
            inputs = tf.convert_to_tensor(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, x):
        return _as_tensor(x) if isinstance(x, np.ndarray) else x

    def call(self, inputs):
        inputs = _as_tensor(inputs)
        if self.output_mode == "one_hot" and inputs.shape.rank and inputs.shape[-1] == 1:
            inputs = tf.squeeze(inputs, -1)
        bins = self.num_bins
        masked = self.mask_value is not None and bins > 1
        ids = hash_to_bins(inputs, bins - 1 if masked else bins, self.salt)
        if masked:
            ids = tf.where(tf.equal(inputs, self.mask_value), tf.zeros_like(ids), ids + 1)
        out = encode_categorical(ids, self.output_mode, self.num_bins, self.dtype)
        return tf.sparse.from_dense(out) if self.sparse else out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def get_config(self):
        return {**base_config(self), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}


class HashedCrossing(Layer):
    """The hashed cross of two or more categorical features (strings or integers of shape
    ``()``, ``(batch,)`` or ``(batch, 1)``), in ``num_bins`` bins."""

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype)
        check_string_arg(output_mode, ("int", "one_hot"), "HashedCrossing", "output_mode")
        self.num_bins, self.output_mode, self.sparse = num_bins, output_mode, sparse
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple):
            inputs = type(inputs)(np.asarray(x) if isinstance(x, str | bytes | int | list) else x
                                  for x in inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, x):
        return x  # Keras shows the arguments as given when the call fails

    def _check(self, inputs):
        if not isinstance(inputs, list | tuple):
            raise ValueError(f"`HashedCrossing` should be called on a list or tuple of inputs. "
                             f"Received: inputs={inputs}")
        if len(inputs) < 2:
            raise ValueError(f"`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs}")
        inputs = [_as_tensor(x) for x in inputs]
        shape = tuple(inputs[0].shape)
        if len(shape) > 2 or len(shape) == 2 and shape[-1] != 1:
            raise ValueError(f"All `HashedCrossing` inputs should have shape `()`, "
                             f"`(batch_size)` or `(batch_size, 1)`. Received: inputs={inputs}")
        if any(tuple(x.shape) != shape for x in inputs[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. Received: "
                             f"inputs={inputs}")
        if not all(x.dtype.is_integer or x.dtype == tf.string for x in inputs):
            raise ValueError(f"All `HashedCrossing` inputs should have an integer or string "
                             f"dtype. Received: inputs={inputs}")
        return inputs

    def call(self, inputs):
        inputs = self._check(inputs)
        shape = inputs[0].shape
        flat = [tf.reshape(x, [-1]) for x in inputs]
        crossed = tf.numpy_function(
            lambda *cols: string_ops.hashed_cross(cols, self.num_bins), flat, tf.int64,
            stateful=False)
        ids = tf.reshape(crossed, tf.shape(inputs[0]))
        ids = tf.ensure_shape(ids, shape)
        out = encode_categorical(ids, self.output_mode, self.num_bins, self.dtype)
        return tf.sparse.from_dense(out) if self.sparse else out

    def compute_output_shape(self, input_shape):
        if not (len(input_shape) == 2 and all(isinstance(s, tuple) for s in input_shape)):
            raise ValueError(f"Expected as input a list/tuple of 2 tensors. Received "
                             f"input_shape={input_shape}")
        if input_shape[0][-1:] != input_shape[1][-1:]:
            raise ValueError(f"Expected the two input tensors to have identical shapes. "
                             f"Received input_shape={input_shape}")
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            first = first[:-1]
        return first + (self.num_bins,)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}
