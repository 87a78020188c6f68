"""ConvLSTM1D/2D/3D: an LSTM whose input and recurrent transformations are convolutions.

The cell is the LSTM cell of rnn.py with convolutions for its two products (the input one over
all the steps at once, as the RNN does for the dense cells), so dropout, stateful states,
``go_backwards`` and ``return_state`` are the RNN's. The weights are laid out as Keras lays them
out (kernel ``kernel_size + (channels, 4 * filters)``, recurrent kernel ``kernel_size +
(filters, 4 * filters)``, gates i, f, c, o), so Keras weights load unchanged. The layers compute
channels-last; a ``channels_first`` layer moves the channels of its inputs and outputs."""

import tapeflow as tf

from .conv import _data_format, _out_len, _padding, _tuple
from .layer import InputSpec
from .rnn import LSTMCell, RNN, _RNNLayer, _cell_config


class ConvLSTMCell(LSTMCell):
    _seed_first = True  # Keras makes its SeedGenerator before its initializers

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, **kwargs):
        super().__init__(filters, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, rank)
        self.strides = _tuple(strides, rank, "strides", minimum=0)
        self.padding = _padding(padding, False)
        self.data_format = _data_format(data_format)
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please "
                f"provide `strides=1` or `dilation_rate=1`. Received: strides={self.strides} "
                f"and dilation_rate={self.dilation_rate}")
        self.spatial_dims = None
        self.step_ndim = rank + 2

    def build(self, input_shape):
        first = self.data_format == "channels_first"
        spatial = tuple(input_shape[2:] if first else input_shape[1:-1])
        channels = input_shape[1 if first else -1]
        if None in spatial:
            raise ValueError(f"ConvLSTM layers only support static input shapes for the spatial "
                             f"dimension. Received invalid input shape: input_shape="
                             f"{tuple(input_shape)}")
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs (last axis) should be "
                             f"defined. Found None. Full input shape received: input_shape="
                             f"{tuple(input_shape)}")
        self.spatial_dims, self.input_dim = spatial, channels
        n = 4 * self.filters
        self.kernel = self.add_weight(self.kernel_size + (channels, n), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.recurrent_kernel = self.add_weight(
            self.kernel_size + (self.filters, n), self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint,
            name="recurrent_kernel")
        self.bias = (self.add_weight((n,), self._bias_init(), regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint, name="bias")
                     if self.use_bias else None)
        self.built = True

    def _conv_gates(self, x, kernel, strides, padding, dilations):
        """``x`` (channels-last; one tensor, or one per gate) convolved with ``kernel``."""
        def conv(xi, ki):
            return tf.nn.convolution(xi, ki, strides, padding.upper(), dilations=dilations)
        if not isinstance(x, list):
            return conv(x, kernel)
        return tf.concat([conv(xi, ki) for xi, ki in zip(x, tf.split(kernel, 4, axis=-1))],
                         axis=-1)

    def _project_inputs(self, x):
        return self._conv_gates(x, self.kernel, self.strides, self.padding, self.dilation_rate)

    def _project_recurrent(self, h):
        return self._conv_gates(h, self.recurrent_kernel, 1, "same", 1)

    def _output_spatial(self):
        return tuple(_out_len(n, k, s, self.padding, d) for n, k, s, d in zip(
            self.spatial_dims, self.kernel_size, self.strides, self.dilation_rate))

    @property
    def state_size(self):
        return [self._output_spatial() + (self.filters,)] * 2 if self.built else -1

    def get_initial_state(self, batch_size=None):
        shape = (batch_size, *self._output_spatial(), self.filters)
        return [tf.zeros(shape, self.compute_dtype), tf.zeros(shape, self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), **_conv_config(self)}


def _conv_config(cell):
    return {"filters": cell.filters, "kernel_size": cell.kernel_size, "strides": cell.strides,
            "padding": cell.padding, "data_format": cell.data_format,
            "dilation_rate": cell.dilation_rate}


def _move_channels(x, lead, to_last):
    """``x`` with its channels moved from after the ``lead`` axes to the end (``to_last``) or
    back."""
    n = x.ndim
    if to_last:
        perm = [*range(lead), *range(lead + 1, n), lead]
    else:
        perm = [*range(lead), n - 1, *range(lead, n - 1)]
    return tf.transpose(x, perm)


class _ConvLSTM(_RNNLayer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, zero_output_for_mask=False,
                 **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides, padding, data_format, dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell",
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True))
        RNN.__init__(self, cell, return_sequences, return_state, go_backwards, stateful, unroll,
                     zero_output_for_mask, activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)
        self.filters = filters
        # Keras's ConvLSTM shows its cell's convolution arguments as its own
        self.kernel_size, self.strides, self.padding = cell.kernel_size, cell.strides, \
            cell.padding
        self.data_format, self.dilation_rate = cell.data_format, cell.dilation_rate

    def _channels_first(self):
        return self.cell.data_format == "channels_first"

    def call(self, sequences, initial_state=None, mask=None, training=False):
        first = self._channels_first()
        if first:
            sequences = _move_channels(sequences, 2, True)
            if initial_state is not None:
                initial_state = [_move_channels(tf.convert_to_tensor(s), 1, True)
                                 for s in initial_state]
        out = super().call(sequences, initial_state, mask, training)
        if not first:
            return out
        if not self.return_state:
            return _move_channels(out, 2 if self.return_sequences else 1, False)
        return (_move_channels(out[0], 2 if self.return_sequences else 1, False),
                *[_move_channels(s, 1, False) for s in out[1:]])

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        cell = self.cell
        first = self._channels_first()
        spatial = sequences_shape[3:] if first else sequences_shape[2:-1]
        spatial = tuple(_out_len(n, k, s, cell.padding, d) for n, k, s, d in zip(
            spatial, cell.kernel_size, cell.strides, cell.dilation_rate))
        state = ((sequences_shape[0], self.filters, *spatial) if first else
                 (sequences_shape[0], *spatial, self.filters))
        out = state[:1] + (sequences_shape[1],) + state[1:] if self.return_sequences else state
        return (out, state, state) if self.return_state else out

    def get_config(self):
        config = RNN.get_config(self)
        cell = _cell_config(self.cell, self.activity_regularizer, layer=True)
        del cell["units"]
        return {**config, **_conv_config(self.cell), **cell}


class ConvLSTM1D(_ConvLSTM):
    rank = 1


class ConvLSTM2D(_ConvLSTM):
    rank = 2


class ConvLSTM3D(_ConvLSTM):
    rank = 3
