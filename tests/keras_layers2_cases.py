"""Cases for the layers of tests/test_keras_layers2.py, shared with the recorder
tools/record_keras_layers2_fixtures.py (run with real Keras): each builds a layer, gives it fixed
weights and inputs, and computes its outputs and the gradients of a fixed weighted sum of them
w.r.t. the float inputs and the trainable weights. The same code runs on ``tensorflow`` and on
``tapeflow``."""

import numpy as np

CF = {"data_format": "channels_first"}

# key: (make(L), input specs, how the inputs are passed: "args", "list", "init" (the first
# input, then the initial states) or "reverse" (ReversibleEmbedding's reverse call), call
# kwargs).
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
    "convlstm1d_mask": (lambda L: L.ConvLSTM1D(2, 2, return_sequences=True, return_state=True),
                        [(2, 3, 4, 1)], "args",
                        {"mask": np.array([[True, False, True], [True, True, False]])}),
    "bidirectional_convlstm1d": (lambda L: L.Bidirectional(L.ConvLSTM1D(2, 2,
                                                                      return_sequences=True)),
                                 [(1, 3, 4, 2)], "args", {}),
    "bidirectional_lstm_mask": (lambda L: L.Bidirectional(L.LSTM(2, return_sequences=True)),
                                [(2, 4, 3)], "args",
                                {"mask": np.array([[1, 1, 0, 1], [1, 0, 0, 1]], bool)}),
    "convlstm3d": (lambda L: L.ConvLSTM3D(2, 2, activation="relu"), [(1, 2, 3, 3, 3, 1)],
                   "args", {}),
    "convlstm1d_stateful": (lambda L: L.ConvLSTM1D(2, 2, stateful=True, dilation_rate=2),
                            [(2, 2, 5, 1)], "args", {}),
    "additive_attention": (lambda L: L.AdditiveAttention(), [(2, 3, 4), (2, 5, 4)], "list",
                           {"return_attention_scores": True}),
    "additive_attention_key_causal": (lambda L: L.AdditiveAttention(use_scale=False),
                                      [(1, 4, 3), (1, 4, 2), (1, 4, 3)], "list",
                                      {"use_causal_mask": True}),
    "additive_attention_masks": (lambda L: L.AdditiveAttention(), [(2, 3, 4), (2, 4, 4)],
                                 "list", {"mask": [np.array([[1, 1, 0], [1, 0, 1]], bool),
                                                   np.array([[1, 1, 1, 0], [1, 0, 1, 1]],
                                                            bool)]}),
    "attention_concat": (lambda L: L.Attention(use_scale=True, score_mode="concat"),
                         [(2, 3, 4), (2, 5, 4)], "list", {}),
    "gqa": (lambda L: L.GroupQueryAttention(3, 4, 2), [(2, 3, 5), (2, 4, 5)], "args",
            {"return_attention_scores": True}),
    "gqa_key_causal_gate": (lambda L: L.GroupQueryAttention(2, 2, 1, use_gate=True),
                            [(1, 4, 3), (1, 4, 3), (1, 4, 3)], "args",
                            {"use_causal_mask": True}),
    "gqa_masks": (lambda L: L.GroupQueryAttention(2, 2, 1), [(2, 3, 4), (2, 4, 4)], "args",
                  {"query_mask": np.array([[1, 1, 0], [1, 1, 1]], bool),
                   "value_mask": np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool),
                   "return_attention_scores": True}),
    "gqa_window_nobias": (lambda L: L.GroupQueryAttention(2, 3, 3, use_bias=False,
                                                          sliding_window=2),
                          [(1, 5, 4), (1, 5, 4)], "args", {}),
    "activity_reg": (lambda L: L.ActivityRegularization(l1=0.1, l2=0.01), [(2, 3)], "args", {}),
    "alpha_dropout": (lambda L: L.AlphaDropout(0.3), [(2, 3)], "args", {}),
    "thresholded_relu": (lambda L: L.ThresholdedReLU(theta=0.5), [(3, 4)], "args", {}),
    "rms_norm": (lambda L: L.RMSNormalization(), [(2, 3, 4)], "args", {}),
    "rms_norm_axes": (lambda L: L.RMSNormalization(axis=[1, 2], epsilon=0.1), [(2, 3, 4)],
                      "args", {}),
    "spectral_dense": (lambda L: L.SpectralNormalization(L.Dense(3)), [(2, 4)], "args", {}),
    "spectral_conv_train": (lambda L: L.SpectralNormalization(L.Conv2D(2, 2),
                                                               power_iterations=2),
                            [(1, 3, 3, 2)], "args", {"training": True}),
    "rev_embedding": (lambda L: L.ReversibleEmbedding(6, 3), [("int", (2, 4), 6)], "args", {}),
    "rev_embedding_reverse": (lambda L: L.ReversibleEmbedding(6, 3, tie_weights=False,
                                                              logit_soft_cap=2.0),
                              [(2, 4, 3)], "reverse", {}),
    "adaptive_avg1d": (lambda L: L.AdaptiveAveragePooling1D(3), [(2, 7, 2)], "args", {}),
    "adaptive_max1d_up": (lambda L: L.AdaptiveMaxPooling1D(5), [(1, 3, 2)], "args", {}),
    "adaptive_avg2d_cf": (lambda L: L.AdaptiveAveragePooling2D((2, 3), **CF), [(1, 2, 5, 7)],
                          "args", {}),
    "adaptive_max2d": (lambda L: L.AdaptiveMaxPooling2D(3), [(2, 7, 5, 2)], "args", {}),
    "adaptive_avg3d": (lambda L: L.AdaptiveAveragePooling3D(2), [(1, 3, 4, 5, 2)], "args", {}),
    "adaptive_max3d_cf": (lambda L: L.AdaptiveMaxPooling3D((1, 2, 3), **CF),
                          [(1, 2, 3, 4, 5)], "args", {}),
    "time_distributed": (lambda L: L.TimeDistributed(L.Dense(2)), [(2, 3, 4)], "args", {}),
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
    if mode == "reverse":  # a reversible embedding built on ids, called in reverse
        if not layer.built:
            layer(np.zeros((1, 1), "int32"))
        return layer(xs[0], reverse=True, **kwargs)
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
    if layer.losses:
        arrays["losses"] = np.asarray([np.asarray(loss) for loss in layer.losses])
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


def conv_model(keras):
    """A Sequential model through the new convolution and pooling layers."""
    L = keras.layers
    return keras.Sequential([
        keras.Input((6, 3)), L.Conv1DTranspose(4, 3, strides=2), L.SeparableConv1D(4, 3),
        L.DepthwiseConv1D(2, depth_multiplier=2), L.AdaptiveAveragePooling1D(3),
        L.ThresholdedReLU(0.1), L.ActivityRegularization(l2=0.01), L.AlphaDropout(0.1),
        L.Reshape((3, 2, 4)), L.AdaptiveMaxPooling2D((2, 2)), L.Flatten(),
        L.SpectralNormalization(L.Dense(3))], name="conv_model")


def recurrent_model(keras):
    """A functional model: ConvLSTM2D, Conv3DTranspose, attention and RMS normalization."""
    L = keras.layers
    frames = keras.Input((3, 4, 4, 2), name="frames")
    seq = L.ConvLSTM2D(3, 2, padding="same", return_sequences=True)(frames)
    seq = L.Conv3DTranspose(2, 2, strides=(1, 2, 2))(seq)
    steps = L.Reshape((4, 18))(L.AdaptiveAveragePooling3D((4, 3, 3))(seq))
    query = L.RMSNormalization()(steps)
    att = L.AdditiveAttention()([query, steps])
    gqa = L.GroupQueryAttention(2, 4, 2)(query, att)
    out = L.dot([L.GlobalAveragePooling1D()(gqa), L.GlobalAveragePooling1D()(att)], axes=1)
    return keras.Model(frames, [out, gqa], name="recurrent_model")


MODELS = {"conv_model": (conv_model, (2, 6, 3)), "recurrent_model": (recurrent_model,
                                                                     (2, 3, 4, 4, 2))}

# Keras's errors for bad arguments and inputs: key -> a function of L that raises
ERRORS = {
    "conv1dT_output_padding": lambda L: L.Conv1DTranspose(2, 3, strides=2, output_padding=2),
    "conv3dT_strides_dilation": lambda L: L.Conv3DTranspose(2, 3, strides=2, dilation_rate=2),
    "conv2dT_groups": lambda L: L.Conv2DTranspose(2, 3, groups=2),
    "dw2d_groups": lambda L: L.DepthwiseConv2D(3, groups=2),
    "sep1d_filters": lambda L: L.SeparableConv1D(0, 3),
    "dw1d_multiplier": lambda L: L.DepthwiseConv1D(3, depth_multiplier=0),
    "dw1d_kernel_zero": lambda L: L.DepthwiseConv1D(0),
    "dw1d_rank": lambda L: L.DepthwiseConv1D(3)(np.zeros((1, 4, 4, 2), "float32")),
    "convlstm_strides_dilation": lambda L: L.ConvLSTM2D(2, 3, strides=2, dilation_rate=2),
    "convlstm_rank": lambda L: L.ConvLSTM2D(2, 3, name="clstm")(np.zeros((1, 2, 4, 4), "float32")),
    "convlstm_spatial_none": lambda L: L.ConvLSTM2D(2, 3).build((None, 2, None, 4, 3)),
    "convlstm_channels_none": lambda L: L.ConvLSTM1D(2, 3).build((None, 2, 4, None)),
    "convlstm_stateful_batch": lambda L: L.ConvLSTM1D(2, 3, stateful=True).build((None, 2, 4, 3)),
    "additive_not_list": lambda L: L.AdditiveAttention()(np.zeros((1, 2, 3), "float32")),
    "additive_one_input": lambda L: L.AdditiveAttention()([np.zeros((1, 2, 3), "float32")]),
    "gqa_heads": lambda L: L.GroupQueryAttention(2, 3, 2),
    "gqa_window": lambda L: L.GroupQueryAttention(2, 2, 2, sliding_window=0),
    "thresholded_relu_negative": lambda L: L.ThresholdedReLU(-1.0),
    "thresholded_relu_none": lambda L: L.ThresholdedReLU(None),
    "rms_axis": lambda L: L.RMSNormalization(axis=3)(np.zeros((1, 2), "float32")),
    "spectral_power": lambda L: L.SpectralNormalization(L.Dense(2), power_iterations=0),
    "spectral_no_kernel": lambda L: L.SpectralNormalization(L.Activation("relu"))(
        np.zeros((1, 2), "float32")),
    "wrapper_not_layer": lambda L: L.Wrapper("dense"),
    "adaptive1d_tuple": lambda L: L.AdaptiveAveragePooling1D((2, 2)),
    "adaptive2d_type": lambda L: L.AdaptiveMaxPooling2D("2"),
    "adaptive3d_tuple": lambda L: L.AdaptiveMaxPooling3D((2, 2)),
    "adaptive_data_format": lambda L: L.AdaptiveAveragePooling2D(2, data_format="nhwc"),
}


def error_of(L, key):
    try:
        ERRORS[key](L)
    except Exception as e:  # noqa: BLE001 - what the layer raises
        return [type(e).__name__, str(e)]
    return None
