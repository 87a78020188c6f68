"""Cases for the layers of tests/test_keras_layers2.py, shared with the recorder
tools/record_keras_layers2_fixtures.py (run with real Keras): each builds a layer, gives it fixed
weights and inputs, and computes its outputs and the gradients of a fixed weighted sum of them
w.r.t. the float inputs and the trainable weights. The same code runs on ``tensorflow`` and on
``tapeflow``."""

import numpy as np

CF = {"data_format": "channels_first"}

# key: (make(L), input specs, how the inputs are passed: "args", "list" or "init" (the first
# input, then the initial states), call kwargs).
# An input spec is a shape (float32 normal values) or ("int", shape, high).
CASES = {
    "conv1dT": (lambda L: L.Conv1DTranspose(3, 3, strides=2), [(2, 5, 4)], "args", {}),
    "conv1dT_same_op": (lambda L: L.Conv1DTranspose(2, 4, strides=3, padding="same",
                                                    output_padding=1), [(1, 4, 3)], "args", {}),
    "conv1dT_dil": (lambda L: L.Conv1DTranspose(2, 3, dilation_rate=2, **CF), [(1, 3, 5)],
                    "args", {}),
    "conv2dT_op": (lambda L: L.Conv2DTranspose(2, 3, strides=2, output_padding=1),
                   [(1, 3, 4, 2)], "args", {}),
    "conv3dT": (lambda L: L.Conv3DTranspose(2, 2, strides=(1, 2, 2), padding="same"),
                [(1, 3, 3, 2, 2)], "args", {}),
    "conv3dT_cf": (lambda L: L.Conv3DTranspose(2, (2, 1, 3), activation="relu", **CF),
                   [(1, 2, 3, 2, 3)], "args", {}),
    "sep1d": (lambda L: L.SeparableConv1D(3, 3, depth_multiplier=2, padding="same"),
              [(2, 6, 2)], "args", {}),
    "sep1d_cf": (lambda L: L.SeparableConv1D(2, 2, strides=2, **CF), [(1, 3, 7)], "args", {}),
    "sep2d_dil": (lambda L: L.SeparableConv2D(2, 2, dilation_rate=2), [(1, 5, 5, 2)], "args",
                  {}),
    "dw1d": (lambda L: L.DepthwiseConv1D(3, depth_multiplier=2, strides=2), [(2, 7, 3)], "args",
             {}),
    "dw1d_same_cf": (lambda L: L.DepthwiseConv1D(2, padding="same", **CF), [(1, 2, 5)], "args",
                     {}),
    "dw2d_dil": (lambda L: L.DepthwiseConv2D(2, dilation_rate=2, depth_multiplier=2),
                 [(1, 5, 5, 2)], "args", {}),
    "convlstm1d_seq_back": (lambda L: L.ConvLSTM1D(2, 3, return_sequences=True,
                                                   go_backwards=True), [(2, 3, 6, 2)], "args",
                            {}),
    "convlstm2d_state_same": (lambda L: L.ConvLSTM2D(2, 2, padding="same", return_state=True),
                              [(1, 3, 4, 3, 2)], "args", {}),
    "convlstm2d_cf_strides": (lambda L: L.ConvLSTM2D(3, 3, strides=2, return_sequences=True,
                                                     unit_forget_bias=False, **CF),
                              [(1, 2, 2, 5, 5)], "args", {}),
    "convlstm2d_init_state": (lambda L: L.ConvLSTM2D(2, 3, padding="same"),
                              [(1, 2, 4, 4, 1), (1, 4, 4, 2), (1, 4, 4, 2)], "init", {}),
    "convlstm3d": (lambda L: L.ConvLSTM3D(2, 2, activation="relu"), [(1, 2, 3, 3, 3, 1)],
                   "args", {}),
    "convlstm1d_stateful": (lambda L: L.ConvLSTM1D(2, 2, stateful=True, dilation_rate=2),
                            [(2, 2, 5, 1)], "args", {}),
}


def inputs(key, spec_list):
    """The fixed inputs of a case (from a seed of its key)."""
    rs = np.random.RandomState(sum(map(ord, key)))
    out = []
    for spec in spec_list:
        if isinstance(spec, tuple) and spec and spec[0] == "int":
            out.append(rs.randint(0, spec[2], size=spec[1]).astype("int32"))
        else:
            out.append(rs.standard_normal(spec).astype("float32"))
    return out


def weights_for(key, layer):
    rs = np.random.RandomState(sum(map(ord, key)) + 1)
    return [(rs.standard_normal(tuple(w.shape)) * 0.5).astype("float32") for w in layer.weights]


def _leaves(value):
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _call(layer, xs, mode, kwargs):
    if mode == "init":  # the first input, then the initial states
        return layer(xs[0], initial_state=list(xs[1:]), **kwargs)
    return layer(xs, **kwargs) if mode == "list" else layer(*xs, **kwargs)


def run(tf, L, key, weights=None):
    """``(layer, arrays)``: the case's outputs ``y*``, and the gradients ``gx*`` (float inputs)
    and ``gw*`` (trainable weights) of ``sum(y * cos(arange))``; an unconnected gradient is
    left out. ``weights``: the fixture's (else drawn here)."""
    make, specs, mode, kwargs = CASES[key]
    layer = make(L)
    xs_np = inputs(key, specs)
    xs = [tf.constant(x) for x in xs_np]
    _call(layer, xs, mode, kwargs)
    layer.set_weights(weights if weights is not None else weights_for(key, layer))
    arrays = {f"w{i}": np.asarray(w) for i, w in enumerate(layer.get_weights())}
    if getattr(layer, "stateful", False):  # a first call from zero states, to carry them on
        layer.reset_state()
        _call(layer, xs, mode, kwargs)
    with tf.GradientTape(persistent=True) as tape:
        for x in xs:
            if x.dtype == tf.float32:
                tape.watch(x)
        ys = _leaves(_call(layer, xs, mode, kwargs))
        total = 0.0
        for y in ys:
            y = tf.cast(y, tf.float32)
            weight = np.cos(np.arange(int(np.prod(y.shape)))).reshape(tuple(y.shape))
            total = total + tf.reduce_sum(y * tf.constant(weight.astype("float32")))
    for i, y in enumerate(ys):
        arrays[f"y{i}"] = np.asarray(y)
    for i, x in enumerate(xs):
        if x.dtype == tf.float32:
            g = tape.gradient(total, x)
            if g is not None:
                arrays[f"gx{i}"] = np.asarray(g)
    for i, w in enumerate(layer.trainable_weights):
        g = tape.gradient(total, w)
        if g is not None:
            arrays[f"gw{i}"] = np.asarray(tf.convert_to_tensor(g))
    return layer, arrays
