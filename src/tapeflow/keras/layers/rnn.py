"""Recurrent layers: SimpleRNN, LSTM, GRU (with their cells and the generic RNN), Bidirectional,
TimeDistributed. Weights are laid out as Keras lays them out (LSTM gates i, f, c, o; GRU gates
z, r, h with ``reset_after``), so Keras weights load unchanged."""

import tapeflow as tf

from .. import activations, initializers, regularizers
from .layer import Layer, build_in_scope


class _Cell(Layer):
    gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        kwargs.pop("unit_forget_bias", None)
        kwargs.pop("reset_after", None)
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout

    @property
    def state_size(self):
        return [self.units]

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def build(self, input_shape):
        n = self.gates * self.units
        self.kernel = self.add_weight((input_shape[-1], n), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.recurrent_kernel = self.add_weight((self.units, n), self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                name="recurrent_kernel")
        self.bias = (self.add_weight(self._bias_shape(), self._bias_init(),
                                     regularizer=self.bias_regularizer, name="bias")
                     if self.use_bias else None)
        self.built = True


class SimpleRNNCell(_Cell):
    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=activation, **kwargs)

    def call(self, inputs, states, training=False):
        h = tf.matmul(inputs, self.kernel)
        if self.bias is not None:
            h = h + self.bias
        out = self.activation(h + tf.matmul(states[0], self.recurrent_kernel))
        return out, [out]


class LSTMCell(_Cell):
    gates = 4

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        u, base = self.units, self.bias_initializer

        def init(shape, dtype=None):
            return tf.concat([base((u,), dtype=dtype), tf.ones((u,), dtype or tf.float32),
                              base((2 * u,), dtype=dtype)], 0)
        return init

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states
        z = tf.matmul(inputs, self.kernel) + tf.matmul(h_prev, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        i, f, g, o = tf.split(z, 4, axis=-1)
        i, f, o = (self.recurrent_activation(i), self.recurrent_activation(f),
                   self.recurrent_activation(o))
        c = f * c_prev + i * self.activation(g)
        h = o * self.activation(c)
        return h, [h, c]


class GRUCell(_Cell):
    gates = 3

    def __init__(self, units, reset_after=True, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = reset_after

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        h_prev = states[0]
        x = tf.matmul(inputs, self.kernel)
        if self.reset_after:
            inner = tf.matmul(h_prev, self.recurrent_kernel)
            if self.bias is not None:
                x = x + self.bias[0]
                inner = inner + self.bias[1]
            xz, xr, xh = tf.split(x, 3, axis=-1)
            iz, ir, ih = tf.split(inner, 3, axis=-1)
            z = self.recurrent_activation(xz + iz)
            r = self.recurrent_activation(xr + ir)
            hh = self.activation(xh + r * ih)
        else:
            if self.bias is not None:
                x = x + self.bias
            xz, xr, xh = tf.split(x, 3, axis=-1)
            rz, rr, rh = tf.split(self.recurrent_kernel, 3, axis=-1)
            z = self.recurrent_activation(xz + tf.matmul(h_prev, rz))
            r = self.recurrent_activation(xr + tf.matmul(h_prev, rr))
            hh = self.activation(xh + tf.matmul(r * h_prev, rh))
        h = z * h_prev + (1.0 - z) * hh
        return h, [h]


class RNN(Layer):
    """Runs ``cell`` over the time axis (axis 1)."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards = go_backwards
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True

    def build(self, input_shape):
        if not self.cell.built:
            build_in_scope(self.cell, (input_shape[0], input_shape[-1]))
        self.built = True

    def compute_mask(self, inputs, mask=None):
        if not self.return_sequences:
            return None
        return mask

    def call(self, inputs, mask=None, training=False, initial_state=None):
        batch, steps = inputs.shape[0], inputs.shape[1]
        if batch is None:  # a traced None batch: its size when the graph runs
            batch = tf.shape(inputs)[0]
        states = (list(initial_state) if initial_state is not None else
                  [tf.zeros((batch, n), inputs.dtype) for n in self.cell.state_size])
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        keep = None if mask is None else tf.cast(tf.expand_dims(mask, -1), inputs.dtype)
        outputs = []
        out = tf.zeros((batch, self.cell.units), inputs.dtype)
        for t in order:
            new_out, new_states = self.cell.call(inputs[:, t], states)
            if keep is not None:
                k = keep[:, t]
                new_states = [k * s + (1.0 - k) * p for s, p in zip(new_states, states)]
                base = tf.zeros_like(new_out) if self.zero_output_for_mask else out
                new_out = k * new_out + (1.0 - k) * base
            out, states = new_out, new_states
            outputs.append(out)
        result = tf.stack(outputs, axis=1) if self.return_sequences else out
        if self.return_state:
            return [result] + list(states)
        return result

    def get_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards}


class _RNNLayer(RNN):
    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def __init__(self, units, activation="tanh", return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, zero_output_for_mask=False,
                 name=None, trainable=True, dtype=None, **cell_kwargs):
        cell = self.cell_class(units, activation=activation, name=self.cell_name, dtype=dtype,
                               **cell_kwargs)
        super().__init__(cell, return_sequences, return_state, go_backwards, stateful, unroll,
                         zero_output_for_mask, name=name, trainable=trainable, dtype=dtype)
        self.units = int(units)
        self._cell_kwargs = dict(cell_kwargs, activation=activation)

    def get_config(self):
        return {**super().get_config(), "units": self.units, **self._cell_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)


class SimpleRNN(_RNNLayer):
    cell_class = SimpleRNNCell


class LSTM(_RNNLayer):
    cell_class = LSTMCell
    cell_name = "lstm_cell"


class GRU(_RNNLayer):
    cell_class = GRUCell
    cell_name = "gru_cell"


class Bidirectional(Layer):
    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        config = layer.get_config()
        config["name"] = f"forward_{layer.name}"
        self.forward_layer = type(layer).from_config(config)
        if backward_layer is None:
            config = dict(layer.get_config(), name=f"backward_{layer.name}",
                          go_backwards=not layer.go_backwards)
            backward_layer = type(layer).from_config(config)
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def build(self, input_shape):
        build_in_scope(self.forward_layer, input_shape)
        build_in_scope(self.backward_layer, input_shape)
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kw = {} if mask is None else {"mask": mask}
        fw = self.forward_layer.call(inputs, **kw)
        bw = self.backward_layer.call(inputs, **kw)
        fw_states = bw_states = []
        if self.return_state:
            fw, fw_states = fw[0], fw[1:]
            bw, bw_states = bw[0], bw[1:]
        if self.return_sequences:
            bw = tf.reverse(bw, [1])
        if self.merge_mode == "concat":
            out = tf.concat([fw, bw], axis=-1)
        elif self.merge_mode == "sum":
            out = fw + bw
        elif self.merge_mode == "ave":
            out = (fw + bw) / 2.0
        elif self.merge_mode == "mul":
            out = fw * bw
        else:
            out = [fw, bw]
        if self.return_state:
            return ([out] if not isinstance(out, list) else out) + fw_states + bw_states
        return out


class TimeDistributed(Layer):
    """Applies ``layer`` to every step: the batch and time axes are folded into one."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def build(self, input_shape):
        if not self.layer.built:
            build_in_scope(self.layer, (None,) + tuple(input_shape[2:]))
        self.built = True

    def call(self, inputs, training=None, mask=None):
        batch, steps = inputs.shape[0], inputs.shape[1]
        if batch is None:  # a traced None batch: its size when the graph runs
            batch = tf.shape(inputs)[0]
        flat = tf.reshape(inputs, (batch * steps,) + tuple(inputs.shape[2:]))
        y = self.layer(flat, training=training) if self.layer._call_has_training else \
            self.layer(flat)
        return tf.reshape(y, (batch, steps) + tuple(y.shape[1:]))
