"""MultiHeadAttention and the dot-product Attention layer."""

import math

import tapeflow as tf

from .. import initializers
from .core import EinsumDense, Dropout
from .layer import Layer, build_in_scope


class MultiHeadAttention(Layer):
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
        self._dropout_layer = Dropout(dropout, seed=seed, name="dropout")
        self.supports_masking = True

    def _dense(self, equation, shape, bias, name):
        return EinsumDense(equation, output_shape=shape, bias_axes=bias if self.use_bias else None,
                           kernel_initializer=self.kernel_initializer,
                           bias_initializer=self.bias_initializer, name=name)

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
        out_dim = self._output_shape or query_shape[-1]
        self._output_dense = self._dense("abcd,cde->abe", (None, out_dim), "e",
                                         "attention_output")
        build_in_scope(self._query_dense, query_shape)
        build_in_scope(self._key_dense, key_shape)
        build_in_scope(self._value_dense, value_shape)
        build_in_scope(self._output_dense, (query_shape[0], query_shape[1], h, self.value_dim))
        self.built = True

    def _maybe_build(self, inputs):
        pass  # built in call, which sees the value's and key's shapes too

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if not self.built:
            self.build(tuple(query.shape), tuple(value.shape),
                       None if key is None else tuple(key.shape))
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
        if mask is not None:
            mask = tf.expand_dims(tf.cast(mask, scores.dtype), 1)
            scores = scores + (1.0 - mask) * -1e9
        probs = tf.nn.softmax(scores, axis=-1)
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

    def build(self, input_shape):
        self.scale = (self.add_weight((), "ones", name="scale") if self.use_scale else None)
        self.concat_score_weight = (self.add_weight((), "ones", name="concat_score_weight")
                                    if self.score_mode == "concat" else None)
        self.built = True

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        if self.score_mode == "dot":
            scores = tf.matmul(q, k, transpose_b=True)
            if self.scale is not None:
                scores = scores * self.scale
        else:
            qe, ke = tf.expand_dims(q, -2), tf.expand_dims(k, -3)
            scale = self.scale if self.scale is not None else 1.0
            scores = self.concat_score_weight * tf.reduce_sum(tf.tanh(scale * (qe + ke)), -1)
        value_mask = mask[1] if isinstance(mask, list | tuple) and len(mask) > 1 else None
        if value_mask is not None:
            scores = scores - (1.0 - tf.cast(tf.expand_dims(value_mask, -2), scores.dtype)) * 1e9
        if use_causal_mask:
            tq, tk = scores.shape[-2], scores.shape[-1]
            causal = tf.constant([[0.0 if j <= i else 1.0 for j in range(tk)] for i in range(tq)])
            scores = scores - causal * 1e9
        weights = tf.nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = tf.nn.dropout(weights, self.dropout)
        out = tf.matmul(weights, v)
        return (out, weights) if return_attention_scores else out
