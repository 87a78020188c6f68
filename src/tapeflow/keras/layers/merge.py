"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

import tapeflow as tf

from .layer import Layer


class _Merge(Layer):
    def build(self, input_shape):
        if not isinstance(input_shape, list | tuple) or not input_shape or not isinstance(
                input_shape[0], list | tuple):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        self.built = True

    def call(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = self._merge(out, x)
        return out


class Add(_Merge):
    def _merge(self, a, b):
        return a + b


class Multiply(_Merge):
    def _merge(self, a, b):
        return a * b


class Maximum(_Merge):
    def _merge(self, a, b):
        return tf.maximum(a, b)


class Minimum(_Merge):
    def _merge(self, a, b):
        return tf.minimum(a, b)


class Average(Add):
    def call(self, inputs):
        return super().call(inputs) / float(len(inputs))


class Subtract(_Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={input_shape}")

    def _merge(self, a, b):
        return a - b


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return tf.concat(list(inputs), axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes, self.normalize = axes, normalize

    def call(self, inputs):
        a, b = inputs
        axes = self.axes if isinstance(self.axes, list | tuple) else (self.axes, self.axes)
        axes = [ax % x.ndim for ax, x in zip(axes, (a, b))]
        if self.normalize:
            a = tf.math.l2_normalize(a, axis=axes[0])
            b = tf.math.l2_normalize(b, axis=axes[1])
        # batched contraction: the batch axis stays, one axis of each is summed over
        letters = "abcdefghijklmnop"
        sa = ["z"] + list(letters[:a.ndim - 1])
        sb = ["z"] + list(letters[a.ndim - 1:a.ndim - 1 + b.ndim - 1])
        sb[axes[1]] = sa[axes[0]]
        out = [c for i, c in enumerate(sa) if i != axes[0]] + [
            c for i, c in enumerate(sb) if i not in (0, axes[1])]
        y = tf.einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)
        return tf.expand_dims(y, -1) if y.ndim == 1 else y


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    return Dot(axes=axes, **kwargs)(inputs)
