"""MultiHeadAttention, GroupedQueryAttention (exported as ``GroupQueryAttention``, as Keras
does) and the dot-product and additive Attention layers."""

import math

import tapeflow as tf

from .. import initializers
from .. import random as keras_random
from .activation import masked_softmax
from .core import Dropout, EinsumDense, KernelBias
from .layer import Layer, base_config, build_in_scope, serialize_value


class _BuiltInCall:
    """An attention layer built in call, which sees the value's and key's shapes too."""

    def _maybe_build(self, inputs):
        pass

    def _build_for(self, query, value, key):
        if not self.built:
            self.build(tuple(query.shape), tuple(value.shape),
                       None if key is None else tuple(key.shape))


class MultiHeadAttention(_BuiltInCall, Layer):
    """Keras's layout: ``query``/``key``/``value`` EinsumDense projections to
    (heads, key_dim), scaled dot products, softmax over the keys, ``attention_output``."""

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.key_dim = num_heads, key_dim
        self.value_dim = value_dim or key_dim
        self.dropout, self.use_bias = dropout, use_bias
        self._output_shape = output_shape
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.seed = seed
        self.supports_masking = True

    def _dense(self, equation, shape, bias, name):
        # Keras gives each projection initializers of its own, made from the layer's configs (so
        # an unseeded one draws a new seed for each, when the layer is built)
        kernel, bias_init = (type(i).from_config(i.get_config())
                             for i in (self.kernel_initializer, self.bias_initializer))
        return EinsumDense(equation, output_shape=shape, bias_axes=bias if self.use_bias else None,
                           kernel_initializer=kernel, bias_initializer=bias_init, name=name)

    def build(self, query_shape, value_shape=None, key_shape=None):
        if isinstance(query_shape, list) and query_shape and isinstance(query_shape[0], tuple):
            query_shape, value_shape = query_shape[0], query_shape[1]
        value_shape = value_shape or query_shape
        key_shape = key_shape or value_shape
        h = self.num_heads
        self._query_dense = self._dense("abc,cde->abde", (None, h, self.key_dim), "de", "query")
        self._key_dense = self._dense("abc,cde->abde", (None, h, self.key_dim), "de", "key")
        self._value_dense = self._dense("abc,cde->abde", (None, h, self.value_dim), "de",
                                        "value")
        self._dropout_layer = Dropout(self.dropout, seed=self.seed, name="dropout")  # Keras's order
        out_dim = self._output_shape or query_shape[-1]
        self._output_dense = self._dense("abcd,cde->abe", (None, out_dim), "e",
                                         "attention_output")
        build_in_scope(self._query_dense, query_shape)
        build_in_scope(self._key_dense, key_shape)
        build_in_scope(self._value_dense, value_shape)
        build_in_scope(self._output_dense, (query_shape[0], query_shape[1], h, self.value_dim))
        self.built = True

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        self._build_for(query, value, key)
        key = value if key is None else key
        q = self._query_dense(query) * (1.0 / math.sqrt(self.key_dim))
        k = self._key_dense(key)
        v = self._value_dense(value)
        scores = tf.einsum("aecd,abcd->acbe", k, q)  # batch, heads, query steps, key steps
        mask = attention_mask
        if use_causal_mask:
            tq, tk = query.shape[1], key.shape[1]
            causal = tf.linalg.band_part(tf.ones((tq, tk)), -1, 0)
            mask = causal if mask is None else tf.cast(mask, tf.float32) * causal
        probs = masked_softmax(scores, None if mask is None else tf.expand_dims(mask, 1))
        dropped = self._dropout_layer(probs, training=training)
        out = tf.einsum("acbe,aecd->abcd", dropped, v)
        out = self._output_dense(out)
        return (out, probs) if return_attention_scores else out


class Attention(Layer):
    """Dot-product attention over ``[query, value]`` or ``[query, value, key]``."""

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Invalid value for argument score_mode. Expected one of {{'dot', "
                             f"'concat'}}. Received: score_mode={score_mode}")
        self.use_scale, self.score_mode, self.dropout = use_scale, score_mode, dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = (self.add_weight((), "ones", name="scale") if self.use_scale else None)
        self.concat_score_weight = (self.add_weight((), "ones", name="concat_score_weight")
                                    if self.score_mode == "concat" else None)
        self.built = True

    def _validate(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely [query, "
                             f"value] or [query, value, key]. Received: inputs={inputs}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely "
                             f"[query, value] or [query, value, key]. Received length: "
                             f"{len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, "
                                 f"value_mask]. Received: mask={mask}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: "
                                 f"inputs={inputs}, mask={mask}.")

    def _scores(self, q, k):
        if self.score_mode == "dot":
            scores = tf.matmul(q, k, transpose_b=True)
            return scores if self.scale is None else scores * self.scale
        qe, ke = tf.expand_dims(q, -2), tf.expand_dims(k, -3)
        scale = self.scale if self.scale is not None else 1.0
        return self.concat_score_weight * tf.reduce_sum(tf.tanh(scale * (qe + ke)), -1)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        inputs = list(inputs) if isinstance(inputs, tuple) else inputs
        self._validate(inputs, mask)
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        scores = self._scores(q, k)
        q_mask, v_mask = (mask[0], mask[1]) if mask else (None, None)
        if v_mask is not None:
            scores = scores - (1.0 - tf.cast(tf.expand_dims(v_mask, -2), scores.dtype)) * 1e9
        if use_causal_mask:
            tq, tk = scores.shape[-2], scores.shape[-1]
            causal = tf.constant([[0.0 if j <= i else 1.0 for j in range(tk)] for i in range(tq)])
            scores = scores - causal * 1e9
        weights = tf.nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = keras_random.dropout(weights, self.dropout, seed=self.seed_generator)
        out = tf.matmul(weights, v)
        if q_mask is not None:
            out = out * tf.cast(tf.expand_dims(q_mask, -1), out.dtype)
        return (out, weights) if return_attention_scores else out

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return tf.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def get_config(self):
        return {**base_config(self), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Bahdanau-style attention: the scores are ``sum(scale * tanh(query + key))`` over the
    features, ``scale`` one weight per feature."""

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed, **kwargs)

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = (self.add_weight((input_shape[0][-1],), "glorot_uniform", name="scale")
                      if self.use_scale else None)
        self.built = True

    def _scores(self, q, k):
        scale = self.scale if self.use_scale else 1.0
        return tf.reduce_sum(scale * tf.tanh(tf.expand_dims(q, -2) + tf.expand_dims(k, -3)), -1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config


class GroupedQueryAttention(_BuiltInCall, KernelBias, Layer):
    """Grouped-query attention: ``num_query_heads`` query heads share ``num_key_value_heads``
    key/value heads (each key/value head serves ``num_query_heads // num_key_value_heads``
    query heads), projections named and laid out as Keras's."""

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        if sliding_window is not None and (not isinstance(sliding_window, int) or
                                           sliding_window <= 0):
            raise ValueError(f"`sliding_window` must be `None` or a positive integer. Received: "
                             f"sliding_window={sliding_window}")
        if flash_attention and dropout > 0.0:
            raise ValueError("Dropout is not supported when flash attention is enabled. Please "
                             "set dropout to 0.0 to use flash attention.")
        self.head_dim, self.num_query_heads = head_dim, num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout, self.use_gate = dropout, use_gate
        self.sliding_window, self.seed = sliding_window, seed
        self._kernel_bias_args(None, use_bias, kernel_initializer, bias_initializer,
                               kernel_regularizer, bias_regularizer, kernel_constraint,
                               bias_constraint)
        self._dropout_layer = Dropout(dropout, seed=seed, name="dropout")

    def _dense(self, equation, heads, name, activation=None, bias="uh"):
        return EinsumDense(equation, output_shape=heads, activation=activation,
                           bias_axes=bias if self.use_bias else None,
                           kernel_initializer=self.kernel_initializer,
                           bias_initializer=self.bias_initializer,
                           kernel_regularizer=self.kernel_regularizer,
                           bias_regularizer=self.bias_regularizer,
                           kernel_constraint=self.kernel_constraint,
                           bias_constraint=self.bias_constraint, name=name)

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = value_shape or query_shape
        key_shape = key_shape or value_shape
        hq, hkv, d = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self.feature_dim = query_shape[-1]
        self._query_dense = self._dense("bqm,muh->bquh", (None, hq, d), "query")
        build_in_scope(self._query_dense, query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, hkv, d), "key", bias="vh")
        build_in_scope(self._key_dense, key_shape)
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", (None, hq, d), "gate", "sigmoid")
            build_in_scope(self._gate_dense, query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, hkv, d), "value", bias="vh")
        build_in_scope(self._value_dense, value_shape)
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim),
                                         "attention_output", bias="m")
        build_in_scope(self._output_dense, (None, None, hq, d))
        self.built = True

    def _mask(self, query, value, query_mask, value_mask, key_mask, attention_mask,
              use_causal_mask):
        """The boolean mask ``(batch, query steps, key steps)`` of the scores, or None."""
        tq, tk = query.shape[1], value.shape[1]
        parts = []
        if query_mask is not None:
            parts.append(tf.expand_dims(tf.cast(query_mask, tf.bool), -1))
        for m in (value_mask, key_mask):
            if m is not None:
                parts.append(tf.expand_dims(tf.cast(m, tf.bool), -2))
        rows = tf.reshape(tf.range(tq), (1, tq, 1))
        cols = tf.reshape(tf.range(tk), (1, 1, tk))
        if use_causal_mask:
            parts.append(rows >= cols)
        if self.sliding_window is not None:
            parts.append(tf.abs(rows - cols) < self.sliding_window)
        if attention_mask is not None:
            parts.insert(0, tf.cast(attention_mask, tf.bool))
        mask = None
        for part in parts:
            mask = part if mask is None else tf.logical_and(mask, part)
        return mask

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        self._build_for(query, value, key)
        key = value if key is None else key
        mask = self._mask(query, value, query_mask, value_mask, key_mask, attention_mask,
                          use_causal_mask)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query) * (1.0 / math.sqrt(float(self.head_dim)))
        k = tf.repeat(self._key_dense(key), self.num_repeats, axis=2)
        v = tf.repeat(self._value_dense(value), self.num_repeats, axis=2)
        scores = tf.einsum("bquh,bkuh->buqk", q, k)
        probs = masked_softmax(scores, None if mask is None else tf.expand_dims(mask, 1))
        dropped = self._dropout_layer(probs, training=training) if self.dropout > 0 else probs
        out = tf.einsum("buqk,bkuh->bquh", dropped, v)
        out = self._output_dense(out if gate is None else out * gate)
        return (out, probs) if return_attention_scores else out

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}")
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"All dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={value_shape} and key_shape="
                             f"{key_shape}")
        return query_shape

    def get_config(self):
        def ser(value):
            return None if value is None else serialize_value(value)
        return {**base_config(self), "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads, "use_bias": self.use_bias,
                "use_gate": self.use_gate, "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": ser(self.kernel_initializer),
                "bias_initializer": ser(self.bias_initializer),
                "kernel_regularizer": ser(self.kernel_regularizer),
                "bias_regularizer": ser(self.bias_regularizer),
                "activity_regularizer": ser(self.activity_regularizer),
                "kernel_constraint": ser(self.kernel_constraint),
                "bias_constraint": ser(self.bias_constraint), "seed": self.seed}
