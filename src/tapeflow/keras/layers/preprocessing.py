"""Rescaling, Normalization (with ``adapt``), CategoryEncoding."""

import numpy as np

import tapeflow as tf

from .layer import Layer


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, inputs):
        return tf.cast(inputs, self.compute_dtype) * self.scale + self.offset

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Normalization(Layer):
    """``(x - mean) / sqrt(variance)`` per feature; ``adapt(data)`` measures them."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis or ())
        self.invert = invert
        self._given = None if mean is None else (np.asarray(mean), np.asarray(variance))
        self.adapt_mean = self.adapt_variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        keep = [a % ndim for a in self.axis]
        shape = tuple(input_shape[a] for a in keep)
        self._broadcast = [input_shape[i] if i in keep else 1 for i in range(ndim)]
        if self._given is not None:  # given statistics are constants, not weights, as Keras's
            self.adapt_mean = tf.constant(
                np.broadcast_to(self._given[0], shape).astype(np.float32))
            self.adapt_variance = tf.constant(
                np.broadcast_to(self._given[1], shape).astype(np.float32))
        else:  # Keras also keeps an (unused) int64 count, in its weight files too
            self.adapt_mean = self.add_weight(shape, "zeros", trainable=False, name="mean")
            self.adapt_variance = self.add_weight(shape, "ones", trainable=False, name="variance")
            self.count = self.add_weight((), "zeros", dtype="int64", trainable=False,
                                         name="count")
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        if not isinstance(data, np.ndarray | tf.Tensor):
            data = np.concatenate([np.asarray(b) for b in data])
        data = np.asarray(data, np.float64)
        if not self.built:
            self.build(data.shape)
        ndim = data.ndim
        keep = [a % ndim for a in self.axis]
        reduce = tuple(i for i in range(ndim) if i not in keep)
        self.adapt_mean.assign(data.mean(axis=reduce).astype(np.float32))
        self.adapt_variance.assign(data.var(axis=reduce).astype(np.float32))

    def call(self, inputs):
        mean = tf.reshape(self.adapt_mean, self._broadcast)
        variance = tf.reshape(self.adapt_variance, self._broadcast)
        if self.invert:
            return mean + inputs * tf.sqrt(tf.maximum(variance, 1e-7))
        return (inputs - mean) / tf.maximum(tf.sqrt(variance), 1e-7)


class CategoryEncoding(Layer):
    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        self.num_tokens, self.output_mode = num_tokens, output_mode

    def _convert(self, x):
        return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)

    def call(self, inputs):
        ids = tf.cast(inputs, tf.int32)
        hot = tf.one_hot(ids, self.num_tokens)
        if self.output_mode == "one_hot":
            return hot if ids.ndim == 1 or ids.shape[-1] != 1 else tf.squeeze(hot, -2)
        counts = tf.reduce_sum(hot, axis=-2) if ids.ndim > 1 else hot
        return counts if self.output_mode == "count" else tf.minimum(counts, 1.0)


# --- Discretization ---------------------------------------------------------------------------
# adapt() keeps Keras's quantile summary: a 2 x k array of values and the weight (count of
# samples) each stands for, merged batch by batch and compressed to about 1/epsilon columns.

def _summarize(values, epsilon):
    """Every ``step``-th of the sorted values (step: the share ``epsilon`` of them, at least 1),
    each weighing ``step``."""
    ordered = np.sort(np.reshape(values, -1))
    step = max(ordered.size / (1.0 / epsilon), 1)
    picked = ordered[int(step - 1)::int(step)]
    return np.stack([picked, np.ones_like(picked) * step])


def _compress(summary, epsilon):
    """The summary re-sampled at the cumulative-weight quantiles epsilon, 2 epsilon, ..., 1
    (unchanged when it has fewer than 1/epsilon columns)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    quantiles = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    shares = cumulative / cumulative[-1]
    values = np.interp(quantiles, shares, summary[0])
    cumulative = np.interp(quantiles, shares, cumulative)
    weights = cumulative - np.concatenate((np.array([0]), cumulative[:-1]))
    return np.stack((values, weights)).astype("float32")


def _merge(summary, other, epsilon):
    merged = np.concatenate((summary, other), axis=1)
    return _compress(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


class Discretization(Layer):
    """Numbers to the index of their bin between ``bin_boundaries`` (or between the quantiles
    ``adapt`` finds for ``num_bins`` bins), in Keras's output modes."""

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        from .hashing import check_string_arg
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                             f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                             f"output_mode={output_mode}")
        check_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count"),
                         "Discretization", "output_mode")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: "
                             f"`num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Both `num_bins` and `bin_boundaries` should not be set. "
                             f"Received: `num_bins={num_bins}` and "
                             f"`bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries, self.num_bins, self.epsilon = bin_boundaries, num_bins, epsilon
        self.output_mode, self.sparse = output_mode, sparse
        self.summary = None if bin_boundaries else np.array([[], []], np.float32)
        self.built = True

    # --- adapt ---------------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        if isinstance(data, tf.data.Dataset):
            batches = data if steps is None else data.take(steps)
        elif hasattr(data, "__iter__") and not isinstance(data, np.ndarray | tf.Tensor):
            batches = (b for i, b in enumerate(data) if steps is None or i < steps)
        else:
            batches = [data]
        for batch in batches:
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        self.summary = _merge(_summarize(np.array(data).astype("float32"), self.epsilon),
                              self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], np.float32)

    # --- calling -------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | int | float):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, x):
        if isinstance(x, tf.Tensor) and x.dtype == tf.float32:
            return x
        return tf.cast(x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x), tf.float32)

    def call(self, inputs):
        from .hashing import encode_categorical
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can start "
                             "using the `Discretization` layer.")
        bounds = tf.constant(np.asarray(self.bin_boundaries, np.float32).reshape(-1))
        ids = tf.reduce_sum(tf.cast(tf.expand_dims(inputs, -1) >= bounds, tf.int32), -1)
        dtype = "int32" if self.output_mode == "int" else self.dtype
        out = encode_categorical(ids, self.output_mode, len(self.bin_boundaries) + 1, dtype)
        return tf.sparse.from_dense(out) if self.sparse else out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = (len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else
                 self.num_bins)
        if self.output_mode == "one_hot":
            keep = input_shape[:-1] if len(input_shape) > 1 and input_shape[-1] == 1 else \
                input_shape
            return keep + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        bounds = config.pop("bin_boundaries", None)
        if bounds is not None and config.get("num_bins") is not None:  # an adapted layer
            layer = cls(**config)
            layer.bin_boundaries = bounds
            return layer
        return cls(bin_boundaries=bounds, **config)
