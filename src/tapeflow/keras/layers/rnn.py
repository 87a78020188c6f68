"""Recurrent layers: SimpleRNN, LSTM, GRU (with their cells and the generic RNN), Bidirectional,
TimeDistributed. Weights are laid out as Keras lays them out (LSTM gates i, f, c, o; GRU gates
z, r, h with ``reset_after``), so Keras weights load unchanged."""

import tapeflow as tf

from .. import activations, constraints, initializers, regularizers
from .. import random as keras_random
from .layer import Layer, Variable, base_config, build_in_scope, deserialize, serialize_value
from .wrapper import Wrapper


class _Cell(Layer):
    # Keras makes a SimpleRNNCell's SeedGenerator before its initializers, the others' after:
    # each takes the next seed from Python's random, so the order sets which weights TF draws
    _seed_first = False
    gates = 1
    step_ndim = 2  # the rank of one step's input: (batch, features)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        kwargs.pop("unit_forget_bias", None)
        kwargs.pop("reset_after", None)
        super().__init__(**kwargs)
        if self._seed_first:
            self.seed_generator = keras_random.SeedGenerator(seed)
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
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed
        if not self._seed_first:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self._dropout_mask = self._recurrent_dropout_mask = None

    # --- dropout: one mask per sequence (one per gate once recurrent_dropout is on, as Keras's
    # implementation 1), drawn on the first step and dropped by the RNN after the sequence ------
    def _mask_count(self):
        return self.gates if self.gates > 1 and self.recurrent_dropout != 0.0 else None

    def _draw_mask(self, like, rate):
        ones = tf.ones_like(like)
        count = self._mask_count()
        draw = lambda: keras_random.dropout(ones, rate, seed=self.seed_generator)  # noqa: E731
        return draw() if count is None else [draw() for _ in range(count)]

    def get_dropout_mask(self, step_input):
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._draw_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._draw_mask(step_input, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    def _recurrent_masked(self, h_prev, training):
        """The previous output with the recurrent dropout mask(s) applied in training (a
        tensor, or a list of one per gate)."""
        if training and 0.0 < self.recurrent_dropout < 1.0:
            return _apply(h_prev, self.get_recurrent_dropout_mask(h_prev))
        return h_prev

    def _input_projection(self, inputs, training):
        """``inputs @ kernel`` plus the input bias, with the input dropout mask(s) in training.
        ``inputs`` is one step ``(batch, features)`` or a whole sequence ``(batch, steps,
        features)``: the RNN projects all the steps in one product (the mask is the same for
        every step of a sequence)."""
        sequence = inputs.ndim == self.step_ndim + 1
        if training and 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(inputs[:, 0] if sequence else inputs)
            if sequence:
                mask = [tf.expand_dims(m, 1) for m in mask] if isinstance(mask, list) else \
                    tf.expand_dims(mask, 1)
            inputs = _apply(inputs, mask)
        if sequence:
            first = inputs[0] if isinstance(inputs, list) else inputs
            flat = _map_gates(inputs, lambda x: tf.reshape(x, (-1, *x.shape[2:])))
            x = self._project_inputs(flat)
            lead = tuple(first.shape[:2])
            if None in lead:  # a traced None batch or length: the sizes when the graph runs
                lead = tf.unstack(tf.shape(first)[:2])
            x = tf.reshape(x, (*lead, *x.shape[1:]))
        else:
            x = self._project_inputs(inputs)
        bias = self._input_bias()
        return x if bias is None else x + bias

    def _input_bias(self):
        return self.bias

    def _project_inputs(self, x):
        """The steps ``x`` (one tensor, or one per gate) times the input kernel."""
        return _project(x, self.kernel, self.gates)

    def _project_recurrent(self, h):
        """The previous output ``h`` (one tensor, or one per gate) times the recurrent
        kernel."""
        return _project(h, self.recurrent_kernel, self.gates)

    def call(self, inputs, states, training=False):
        states = list(states) if isinstance(states, list | tuple) else [states]
        return self._step(self._input_projection(inputs, training), states, training)

    def get_initial_state(self, batch_size=None):
        return [tf.zeros((batch_size, n), self.compute_dtype) for n in _flat(self.state_size)]

    def get_config(self):
        return {**base_config(self), **_cell_config(self)}

    @property
    def state_size(self):
        return self.units

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def build(self, input_shape):
        n = self.gates * self.units
        self.kernel = self.add_weight((input_shape[-1], n), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.recurrent_kernel = self.add_weight((self.units, n), self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint,
                                                name="recurrent_kernel")
        self.bias = (self.add_weight(self._bias_shape(), self._bias_init(),
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint, name="bias")
                     if self.use_bias else None)
        self.built = True


def _apply(x, mask):
    if isinstance(mask, list):
        return [x * m for m in mask]
    return x * mask


def _map_gates(x, fn):
    return [fn(xi) for xi in x] if isinstance(x, list) else fn(x)


def _project(x, kernel, gates):
    """``x @ kernel``; ``x`` may be one masked copy per gate (then each meets its gate's
    columns)."""
    if not isinstance(x, list):
        return tf.matmul(x, kernel)
    return tf.concat([tf.matmul(xi, k) for xi, k in zip(x, tf.split(kernel, gates, axis=1))],
                     axis=-1)


class SimpleRNNCell(_Cell):
    _seed_first = True

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=activation, **kwargs)

    def _step(self, x, states, training):
        h_prev = self._recurrent_masked(states[0], training)
        out = self.activation(x + tf.matmul(h_prev, self.recurrent_kernel))
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

    def _step(self, x, states, training):
        h_prev, c_prev = states
        h_in = self._recurrent_masked(h_prev, training)
        z = x + self._project_recurrent(h_in)
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

    def _input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def _step(self, x, states, training):
        h_prev = states[0]
        h_in = self._recurrent_masked(h_prev, training)
        if self.reset_after:
            inner = _project(h_in, self.recurrent_kernel, 3)
            if self.bias is not None:
                inner = inner + self.bias[1]
            xz, xr, xh = tf.split(x, 3, axis=-1)
            iz, ir, ih = tf.split(inner, 3, axis=-1)
            z = self.recurrent_activation(xz + iz)
            r = self.recurrent_activation(xr + ir)
            hh = self.activation(xh + r * ih)
        else:
            xz, xr, xh = tf.split(x, 3, axis=-1)
            rz, rr, rh = tf.split(self.recurrent_kernel, 3, axis=-1)
            hz, hr, hh_in = h_in if isinstance(h_in, list) else (h_in,) * 3
            z = self.recurrent_activation(xz + tf.matmul(hz, rz))
            r = self.recurrent_activation(xr + tf.matmul(hr, rr))
            hh = self.activation(xh + tf.matmul(r * hh_in, rh))
        h = z * h_prev + (1.0 - z) * hh
        return h, [h]


def _flat(value):
    """Nested lists and tuples (of state sizes or states) as one flat list."""
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _flat(item)]
    return [value]


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    return size if size is not None else _flat(cell.state_size)[0]


class StackedRNNCells(Layer):
    """Cells run one after another at each step, each on the output of the one before."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        return [c.get_initial_state(batch_size=batch_size) if hasattr(c, "get_initial_state")
                else [tf.zeros((batch_size, n), self.compute_dtype) for n in _flat(c.state_size)]
                for c in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if not cell.built:
                build_in_scope(cell, shape)
            shape = shape[:-1] + (_output_size(cell),)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            kw = {"training": training} if cell._call_has_training else {}
            inputs, new = cell.call(inputs, list(cell_states), **kw)
            new_states.append(list(new) if isinstance(new, list | tuple) else [new])
        return inputs, new_states

    def get_config(self):
        return {**base_config(self), "cells": [serialize_value(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["cells"] = [deserialize(c) for c in config["cells"]]
        return super().from_config(config)


class _States:
    """Holds a stateful RNN's state variables out of the layer's tracked weights (as Keras)."""

    def __init__(self, variables):
        self.variables = variables


class RNN(Layer):
    """Runs ``cell`` over the time axis (axis 1)."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(cell, list | tuple):
            cell = StackedRNNCells(cell)
        self.cell = cell
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards = go_backwards
        self.stateful, self.unroll = stateful, unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self._states = _States(None)
        self._expected_batch_size = None

    @property
    def states(self):
        return self._states.variables

    def _untracked_variables(self):
        return list(self._states.variables or [])

    def build(self, sequences_shape, initial_state_shape=None):
        if self.unroll and sequences_shape[1] is None:
            raise ValueError(
                "Cannot unroll a RNN if the time dimension is undefined. \n- If using a "
                "Sequential model, specify the time dimension by passing an `Input()` as your "
                "first layer.\n- If using the functional API, specify the time dimension by "
                "passing a `shape` or `batch_shape` argument to your `Input()`.")
        if not self.cell.built:
            build_in_scope(self.cell, (sequences_shape[0],) + tuple(sequences_shape[2:]))
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        f"When using `stateful=True` in a RNN, the batch size must be static. "
                        f"Found dynamic batch size: sequence.shape={tuple(sequences_shape)}")
                batch = int(sequences_shape[0])
                self._states.variables = [
                    Variable(tf.zeros(tuple(state.shape), self.variable_dtype),
                             trainable=False, name="rnn_state", path=f"{self.name}/rnn_state")
                    for state in self.get_initial_state(batch)]
                self._expected_batch_size = batch
        self.built = True

    def _state_sizes(self):
        """The sizes of the states, flat (a stack of cells nests them per cell)."""
        return _flat(self.cell.state_size)

    def _pack(self, flat):
        """Flat states in the structure the cell takes and returns (one list per cell of a
        stack)."""
        if not isinstance(self.cell, StackedRNNCells):
            return list(flat)
        out, i = [], 0
        for cell in self.cell.cells:
            n = len(_flat(cell.state_size))
            out.append(list(flat[i:i + n]))
            i += n
        return out

    def get_initial_state(self, batch_size):
        if hasattr(self.cell, "get_initial_state"):
            return _flat(self.cell.get_initial_state(batch_size=batch_size))
        return [tf.zeros((batch_size, n), self.compute_dtype) for n in self._state_sizes()]

    def reset_states(self):
        self.reset_state()

    def reset_state(self):
        for v in self.states or []:
            v.assign(tf.zeros_like(v))

    def compute_mask(self, inputs, mask=None):
        if not self.return_sequences:
            return None
        return mask

    def call(self, sequences, initial_state=None, mask=None, training=False):
        batch, steps = sequences.shape[0], sequences.shape[1]
        static_batch = batch
        if batch is None:  # a traced None batch: its size when the graph runs
            batch = tf.shape(sequences)[0]
        if initial_state is None:
            initial_state = ([v.read_value() for v in self.states] if self.stateful else
                             self.get_initial_state(batch))
        if self.stateful and self._expected_batch_size not in (None, static_batch):
            raise ValueError(
                f"If an RNN is stateful, the batch size of the input sequences must be the same "
                f"as the batch size of the initial state. \n- Expected batch size: "
                f"{self._expected_batch_size}\n- Received batch size: {static_batch}")
        if not isinstance(initial_state, list | tuple):
            initial_state = [initial_state]
        states = [tf.cast(tf.convert_to_tensor(s), self.compute_dtype)
                  for s in _flat(initial_state)]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        keep = None if mask is None else tf.cast(  # (batch, steps, 1...) to meet the states
            tf.reshape(mask, [-1, steps] + [1] * (sequences.ndim - 2)), sequences.dtype)
        cell = self.cell
        outputs = []
        out = None
        try:
            if isinstance(cell, _Cell):  # the input projection of all the steps at once
                projected = tf.unstack(cell._input_projection(sequences, training), axis=1)

                def step(t, states):
                    return cell._step(projected[t], states, training)
            else:
                cell_kw = {"training": training} if cell._call_has_training else {}

                def step(t, states):
                    out, new = cell.call(sequences[:, t], self._pack(states), **cell_kw)
                    return out, _flat(new)
            for t in order:
                new_out, new_states = step(t, states)
                if not isinstance(new_states, list | tuple):
                    new_states = [new_states]
                if keep is not None:
                    k = keep[:, t]
                    new_states = [k * s + (1.0 - k) * p for s, p in zip(new_states, states)]
                    if out is None or self.zero_output_for_mask:
                        base = tf.zeros_like(new_out)
                    else:
                        base = out
                    new_out = k * new_out + (1.0 - k) * base
                out, states = new_out, list(new_states)
                outputs.append(out)
        finally:
            for c in getattr(cell, "cells", [cell]):
                if isinstance(c, _Cell):
                    c.reset_dropout_mask()
                    c.reset_recurrent_dropout_mask()
        if out is None:  # no steps
            size = getattr(self.cell, "output_size", None) or self._state_sizes()[0]
            out = tf.zeros((batch, size), sequences.dtype)
        if self.stateful:
            for var, value in zip(self.states, states):
                var.assign(value)
        result = tf.stack(outputs, axis=1) if self.return_sequences else out
        if self.return_state:
            return (result, *self._pack(states))
        return result

    def get_config(self):
        config = base_config(self)
        config.update(return_sequences=self.return_sequences, return_state=self.return_state,
                      go_backwards=self.go_backwards, stateful=self.stateful, unroll=self.unroll,
                      zero_output_for_mask=self.zero_output_for_mask)
        if not isinstance(self, _RNNLayer):
            config["cell"] = serialize_value(self.cell)
        return config


def _serialize_or_none(value):
    return None if value is None else serialize_value(value)


def _cell_config(cell, activity_regularizer=None, layer=False):
    """A cell's arguments in the order Keras's cells (``layer=False``) or RNN layers list them
    in their configs."""
    config = {"units": cell.units, "activation": activations.serialize(cell.activation)}
    if not isinstance(cell, SimpleRNNCell):
        config["recurrent_activation"] = activations.serialize(cell.recurrent_activation)
    config["use_bias"] = cell.use_bias
    lstm = isinstance(cell, LSTMCell)
    if lstm and not layer:
        config["unit_forget_bias"] = cell.unit_forget_bias
    for key in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
        config[key] = serialize_value(getattr(cell, key))
    if lstm and layer:
        config["unit_forget_bias"] = cell.unit_forget_bias
    for key in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer"):
        config[key] = _serialize_or_none(getattr(cell, key))
    if layer:
        config["activity_regularizer"] = _serialize_or_none(activity_regularizer)
    for key in ("kernel_constraint", "recurrent_constraint", "bias_constraint"):
        config[key] = _serialize_or_none(getattr(cell, key))
    config["dropout"], config["recurrent_dropout"] = cell.dropout, cell.recurrent_dropout
    if isinstance(cell, GRUCell):
        config["reset_after"] = cell.reset_after
    if not (layer and isinstance(cell, SimpleRNNCell)):
        config["seed"] = cell.seed
    return config


class _RNNLayer(RNN):
    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, reset_after=True,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        cell = self.cell_class(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, reset_after=reset_after, name=self.cell_name,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True))
        super().__init__(cell, return_sequences, return_state, go_backwards, stateful, unroll,
                         zero_output_for_mask, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.units = int(units)
        self.use_cudnn = use_cudnn

    @property
    def dropout(self):
        return self.cell.dropout

    @property
    def recurrent_dropout(self):
        return self.cell.recurrent_dropout

    @property
    def activation(self):  # Keras's layers show their cell's (model_to_dot's activation row)
        return self.cell.activation

    @property
    def recurrent_activation(self):
        return self.cell.recurrent_activation  # AttributeError for a SimpleRNN, as in Keras

    def get_config(self):
        """Keras's keys in Keras's order: the RNN's, then the cell's."""
        return {**super().get_config(),
                **_cell_config(self.cell, self.activity_regularizer, layer=True)}


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
        if merge_mode not in ("sum", "mul", "ave", "concat", None):
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be "
                             f'one of {{"sum", "mul", "ave", "concat", None}}')
        super().__init__(**kwargs)
        base = layer.name[len("forward_"):] if layer.name.startswith("forward_") else layer.name
        config = layer.get_config()
        config["name"] = f"forward_{base}"
        self.forward_layer = type(layer).from_config(config)
        if backward_layer is None:
            config = dict(layer.get_config(), name=f"backward_{base}",
                          go_backwards=not layer.go_backwards)
            backward_layer = type(layer).from_config(config)
        self.backward_layer = backward_layer
        for sub in (self.forward_layer, self.backward_layer):  # masked steps give zeros
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def build(self, input_shape):
        build_in_scope(self.forward_layer, input_shape)
        build_in_scope(self.backward_layer, input_shape)
        self.built = True

    @property
    def stateful(self):
        return self.forward_layer.stateful

    def get_config(self):
        return {**base_config(self), "merge_mode": self.merge_mode,
                "layer": serialize_value(self.forward_layer),
                "backward_layer": serialize_value(self.backward_layer)}

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def reset_states(self):
        self.reset_state()

    def reset_state(self):
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kw = {"training": bool(training)}
        if mask is not None:
            kw["mask"] = mask
        fw_init = bw_init = None
        if initial_state is not None:
            half = len(initial_state) // 2
            fw_init, bw_init = list(initial_state[:half]), list(initial_state[half:])
        fw = self.forward_layer.call(sequences, initial_state=fw_init, **kw)
        bw = self.backward_layer.call(sequences, initial_state=bw_init, **kw)
        fw_states = bw_states = ()
        if self.return_state:
            fw, fw_states = fw[0], tuple(fw[1:])
            bw, bw_states = bw[0], tuple(bw[1:])
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
            out = (fw, bw)
        if self.return_state:
            return (out if isinstance(out, tuple) else (out,)) + fw_states + bw_states
        return out


class TimeDistributed(Wrapper):
    """Applies ``layer`` to every step: the batch and time axes are folded into one."""

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
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
