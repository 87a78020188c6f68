"""The layer configurations whose forward values tests/fixtures/keras_features/layers.npz holds,
made the same way for Keras (tools/record_keras_feature_fixtures.py) and for tapeflow
(tests/test_keras_rnn_features.py, tests/test_keras_conv_features.py).

Each case: ``key: (make, input_shapes, call_kwargs, calls)``; ``make(L)`` builds the layer from a
``keras.layers`` module; an ``initial_state`` in ``call_kwargs`` is a list of state shapes;
``calls`` is how many times the layer is called on the same inputs (a stateful layer carries its
state from one call to the next)."""

CF = {"data_format": "channels_first"}

RNN_CASES = {
    "srnn_back": (lambda L: L.SimpleRNN(3, go_backwards=True, return_sequences=True),
                  [(2, 4, 5)], {}, 1),
    "lstm_unroll_back": (lambda L: L.LSTM(3, unroll=True, go_backwards=True),
                         [(2, 4, 5)], {}, 1),
    "lstm_init": (lambda L: L.LSTM(3, return_state=True), [(2, 4, 5)],
                  {"initial_state": [(2, 3), (2, 3)]}, 1),
    "gru_init": (lambda L: L.GRU(3, return_sequences=True), [(2, 4, 5)],
                 {"initial_state": [(2, 3)]}, 1),
    "gru_noreset_init": (lambda L: L.GRU(3, reset_after=False, return_state=True),
                         [(2, 4, 5)], {"initial_state": [(2, 3)]}, 1),
    "gru_stateful": (lambda L: L.GRU(3, stateful=True, return_state=True), [(2, 4, 5)], {}, 3),
    "lstm_stateful": (lambda L: L.LSTM(2, stateful=True, return_sequences=True), [(3, 4, 5)],
                      {}, 2),
    "srnn_stateful_back": (lambda L: L.SimpleRNN(2, stateful=True, go_backwards=True),
                           [(2, 3, 4)], {}, 2),
    "lstm_dropout_infer": (lambda L: L.LSTM(3, dropout=0.5, recurrent_dropout=0.5),
                           [(2, 4, 5)], {"training": False}, 1),
    "gru_dropout0_train": (lambda L: L.GRU(3, dropout=0.0, recurrent_dropout=0.0),
                           [(2, 4, 5)], {"training": True}, 1),
    "bi_init": (lambda L: L.Bidirectional(L.LSTM(2, return_state=True)), [(2, 4, 5)],
                {"initial_state": [(2, 2)] * 4}, 1),
    "bi_stateful": (lambda L: L.Bidirectional(L.GRU(2, stateful=True, return_sequences=True)),
                    [(2, 3, 4)], {}, 2),
    "stacked": (lambda L: L.RNN([L.LSTMCell(3), L.GRUCell(2)], return_state=True,
                                return_sequences=True), [(2, 3, 4)], {}, 1),
    "stacked_back": (lambda L: L.RNN([L.SimpleRNNCell(2), L.LSTMCell(3)], go_backwards=True),
                     [(2, 3, 4)], {}, 1),
}

CONV_CASES = {
    "conv2d_groups": (lambda L: L.Conv2D(4, 3, groups=2), [(2, 6, 6, 4)], {}, 1),
    "conv1d_groups": (lambda L: L.Conv1D(6, 2, groups=3, padding="causal"), [(2, 7, 3)], {}, 1),
    "conv3d_groups": (lambda L: L.Conv3D(4, 2, groups=2), [(1, 4, 4, 4, 2)], {}, 1),
    "conv2d_cf": (lambda L: L.Conv2D(4, 3, strides=2, padding="same", **CF), [(2, 3, 7, 9)],
                  {}, 1),
    "conv2d_cf_groups": (lambda L: L.Conv2D(4, 2, groups=2, **CF), [(2, 2, 5, 6)], {}, 1),
    "conv1d_cf": (lambda L: L.Conv1D(3, 2, **CF), [(2, 4, 6)], {}, 1),
    "conv3d_cf": (lambda L: L.Conv3D(2, 2, **CF), [(1, 3, 4, 4, 4)], {}, 1),
    "conv2dT_cf": (lambda L: L.Conv2DTranspose(2, 3, strides=2, **CF), [(1, 3, 4, 4)], {}, 1),
    "depthwise_cf": (lambda L: L.DepthwiseConv2D(3, **CF), [(1, 2, 5, 5)], {}, 1),
    "separable_cf": (lambda L: L.SeparableConv2D(3, 2, **CF), [(1, 2, 5, 5)], {}, 1),
    "maxpool2d_cf": (lambda L: L.MaxPooling2D(2, **CF), [(2, 3, 6, 5)], {}, 1),
    "avgpool2d_cf_same": (lambda L: L.AveragePooling2D(3, strides=2, padding="same", **CF),
                          [(2, 3, 7, 7)], {}, 1),
    "maxpool1d_cf": (lambda L: L.MaxPooling1D(2, **CF), [(2, 3, 7)], {}, 1),
    "avgpool1d_same": (lambda L: L.AveragePooling1D(3, strides=2, padding="same"), [(2, 7, 3)],
                       {}, 1),
    "maxpool3d": (lambda L: L.MaxPooling3D(2), [(1, 4, 4, 5, 2)], {}, 1),
    "avgpool3d_cf": (lambda L: L.AveragePooling3D(2, **CF), [(1, 2, 4, 4, 4)], {}, 1),
    "gap2d_cf": (lambda L: L.GlobalAveragePooling2D(**CF), [(2, 3, 4, 5)], {}, 1),
    "gmp2d_cf_keep": (lambda L: L.GlobalMaxPooling2D(keepdims=True, **CF), [(2, 3, 4, 5)], {},
                      1),
    "gap1d_cf": (lambda L: L.GlobalAveragePooling1D(**CF), [(2, 3, 4)], {}, 1),
    "gmp1d_keep": (lambda L: L.GlobalMaxPooling1D(keepdims=True), [(2, 4, 3)], {}, 1),
    "gap3d": (lambda L: L.GlobalAveragePooling3D(), [(2, 3, 3, 3, 2)], {}, 1),
    "gmp3d_cf": (lambda L: L.GlobalMaxPooling3D(**CF), [(2, 2, 3, 3, 3)], {}, 1),
    "upsample2d_cf": (lambda L: L.UpSampling2D((2, 3), **CF), [(1, 2, 2, 3)], {}, 1),
    "upsample1d": (lambda L: L.UpSampling1D(3), [(1, 2, 3)], {}, 1),
    "upsample2d_bilinear_cf": (lambda L: L.UpSampling2D((2, 3), interpolation="bilinear", **CF),
                               [(1, 2, 3, 4)], {}, 1),
    "upsample2d_bicubic": (lambda L: L.UpSampling2D(2, interpolation="bicubic"),
                           [(1, 4, 3, 2)], {}, 1),
    "upsample3d_cf": (lambda L: L.UpSampling3D((1, 2, 2), **CF), [(1, 2, 2, 2, 2)], {}, 1),
    "zeropad2d_cf": (lambda L: L.ZeroPadding2D(((1, 2), (0, 1)), **CF), [(1, 2, 3, 3)], {}, 1),
    "zeropad1d": (lambda L: L.ZeroPadding1D((2, 1)), [(1, 3, 2)], {}, 1),
    "zeropad3d": (lambda L: L.ZeroPadding3D(1), [(1, 2, 2, 2, 1)], {}, 1),
    "crop2d_cf": (lambda L: L.Cropping2D(((1, 0), (1, 2)), **CF), [(1, 2, 5, 5)], {}, 1),
    "crop1d": (lambda L: L.Cropping1D((1, 2)), [(1, 6, 2)], {}, 1),
    "crop3d_cf": (lambda L: L.Cropping3D(1, **CF), [(1, 2, 4, 4, 4)], {}, 1),
    "bn_axis1_train": (lambda L: L.BatchNormalization(axis=1), [(4, 3, 2, 2)],
                       {"training": True}, 1),
    "bn_axis1_infer": (lambda L: L.BatchNormalization(axis=1), [(4, 3, 2, 2)], {}, 1),
}

CONFIG_CASES = {
    "lstm": lambda L: L.LSTM(3, stateful=True, dropout=0.25, recurrent_dropout=0.5, seed=3,
                             go_backwards=True, unroll=True),
    "gru": lambda L: L.GRU(2, reset_after=False, return_state=True),
    "simple_rnn": lambda L: L.SimpleRNN(2, dropout=0.1),
    "lstm_cell": lambda L: L.LSTMCell(2, recurrent_dropout=0.5, unit_forget_bias=False),
    "gru_cell": lambda L: L.GRUCell(2, reset_after=False, seed=1),
    "simple_rnn_cell": lambda L: L.SimpleRNNCell(2, activation="relu", dropout=0.2),
    "bidirectional": lambda L: L.Bidirectional(L.GRU(2, stateful=True), merge_mode="ave"),
    "stacked": lambda L: L.RNN([L.LSTMCell(3), L.GRUCell(2)], return_sequences=True),
    "conv2d": lambda L: L.Conv2D(4, 3, groups=2, data_format="channels_first"),
    "maxpool3d": lambda L: L.MaxPooling3D(2, data_format="channels_first"),
    "gap3d": lambda L: L.GlobalAveragePooling3D(keepdims=True),
    "zeropad1d": lambda L: L.ZeroPadding1D(2),
    "zeropad3d": lambda L: L.ZeroPadding3D(((1, 2), (0, 1), (3, 0))),
    "crop1d": lambda L: L.Cropping1D((1, 2)),
    "crop3d": lambda L: L.Cropping3D(1),
    "upsample1d": lambda L: L.UpSampling1D(3),
    "upsample3d": lambda L: L.UpSampling3D(2),
}


def run_case(L, case, arrays, key, np):
    """Build the case's layer, give it the fixture's weights, and return its outputs per call
    (``[[y0_0, y0_1, ...], ...]``). ``arrays`` holds ``key/x*``, ``key/s*``, ``key/w*``."""
    make, shapes, kwargs, calls = case
    layer = make(L)
    xs = [arrays[f"{key}/x{i}"] for i in range(len(shapes))]
    kw = dict(kwargs)
    if "initial_state" in kw:
        kw["initial_state"] = [arrays[f"{key}/s{i}"] for i in range(len(kw["initial_state"]))]
    layer(*xs, **kw)
    ws = []
    i = 0
    while f"{key}/w{i}" in arrays:
        ws.append(arrays[f"{key}/w{i}"])
        i += 1
    layer.set_weights(ws)
    if getattr(layer, "stateful", False):
        layer.reset_state()
    out = []
    for _ in range(calls):
        out.append([np.asarray(t) for t in _leaves(layer(*xs, **kw))])
    return out


def _leaves(value):
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]

CORPUS = ["The cat sat on the mat.", "The dog ate my homework!",
          "Cats and dogs, cats AND DOGS?", "é À naïve café", "  tabs\tand\nnew-lines  "]
PROBES = [["the cat and the unknownword", "dogs", ""], [["a cat"], ["the dog dog"]],
          "the cat"]

# TextVectorization / StringLookup / IntegerLookup: (class name, kwargs, adapt data or None,
# how adapt gets it: "list" / "array" (a (n, 1) array) / "dataset" (batches of 2), inputs)
TEXT_CASES = {
    "tv_int": ("TextVectorization", {}, CORPUS, "list", PROBES),
    "tv_multi_hot": ("TextVectorization", {"output_mode": "multi_hot"}, CORPUS, "dataset",
                     PROBES[:2]),
    "tv_count_bigrams": ("TextVectorization", {"output_mode": "count", "ngrams": 2}, CORPUS,
                         "list", PROBES[:2]),
    "tv_ngrams_1_3": ("TextVectorization", {"ngrams": (1, 3)}, ["a b c d", "a b"], "list",
                      [["a b c", "d c b a"]]),
    "tv_tf_idf": ("TextVectorization", {"output_mode": "tf_idf"}, CORPUS, "array", PROBES[:2]),
    "tv_tf_idf_pad": ("TextVectorization", {"output_mode": "tf_idf", "max_tokens": 30,
                                            "pad_to_max_tokens": True}, CORPUS, "list",
                      PROBES[:1]),
    "tv_max_len": ("TextVectorization", {"max_tokens": 5, "output_sequence_length": 4}, CORPUS,
                   "list", PROBES),
    "tv_chars": ("TextVectorization", {"split": "character", "max_tokens": 8}, CORPUS, "list",
                 PROBES[:1]),
    "tv_raw": ("TextVectorization", {"standardize": None}, CORPUS, "list", PROBES[:2]),
    "tv_lower_nosplit": ("TextVectorization", {"standardize": "lower", "split": None},
                         ["A b", "a B", "c"], "list", [["A B", "c", "x"]]),
    "tv_strip": ("TextVectorization", {"standardize": "strip_punctuation"}, CORPUS, "list",
                 PROBES[:1]),
    "tv_multi_hot_pad": ("TextVectorization", {"output_mode": "multi_hot", "max_tokens": 10,
                                               "pad_to_max_tokens": True}, CORPUS, "list",
                         PROBES[:2]),
    "tv_vocab": ("TextVectorization", {"vocabulary": ["b", "a", "c"]}, None, None,
                 [["a b c d", "b"]]),
    "tv_vocab_idf": ("TextVectorization", {"output_mode": "tf_idf", "vocabulary": ["b", "a"],
                                           "idf_weights": [0.5, 0.25]}, None, None,
                     [["a b c c"]]),
    "sl_adapt": ("StringLookup", {}, ["a", "b", "b", "c", "c", "c", "d"], "list",
                 [["a", "z", "c"], [["a", "b"], ["q", "d"]]]),
    "sl_max_tokens": ("StringLookup", {"max_tokens": 3}, ["a", "b", "b", "c", "c", "c"],
                      "list", [["a", "b", "c"]]),
    "sl_mask": ("StringLookup", {"vocabulary": ["a", "b"], "mask_token": ""}, None, None,
                [["a", "", "b", "x"]]),
    "sl_one_hot": ("StringLookup", {"vocabulary": ["a", "b"], "output_mode": "one_hot"},
                   None, None, [["a", "c"], [["a"], ["b"]]]),
    "sl_multi_hot": ("StringLookup", {"vocabulary": ["a", "b"], "output_mode": "multi_hot"},
                     None, None, [["a", "c"], [["a", "c"], ["b", "b"]]]),
    "sl_mask_multi_hot": ("StringLookup", {"vocabulary": ["a", "b"], "mask_token": "",
                                           "output_mode": "multi_hot"}, None, None,
                          [[["a", ""], ["b", "z"]]]),
    "sl_count_pad": ("StringLookup", {"vocabulary": ["a", "b"], "output_mode": "count",
                                      "pad_to_max_tokens": True, "max_tokens": 5}, None, None,
                     [[["a", "c"], ["b", "b"]]]),
    "sl_tf_idf": ("StringLookup", {"output_mode": "tf_idf"},
                  [["a", "b"], ["a", "c"], ["a", "a"]], "list", [[["a", "b", "z"]]]),
    "sl_invert": ("StringLookup", {"vocabulary": ["a", "b"], "invert": True, "mask_token": ""},
                  None, None, [[0, 1, 2, 3]]),
    "il_adapt": ("IntegerLookup", {}, [3, 3, 1, 7, 7, 7], "list", [[3, 5, 7], [[1], [2]]]),
    "il_mask": ("IntegerLookup", {"vocabulary": [5, 6], "mask_token": 0}, None, None,
                [[[5, 0, 9]]]),
    "il_multi_hot": ("IntegerLookup", {"vocabulary": [5, 6], "output_mode": "multi_hot"},
                     None, None, [[[5, 9]]]),
    "il_invert": ("IntegerLookup", {"vocabulary": [5, 6], "invert": True}, None, None,
                  [[0, 1, 2]]),
}

# (class name, kwargs, adapt data or None, call input or None): Keras's error type and message
TEXT_ERRORS = {
    "seq_len_not_int": ("TextVectorization", {"output_mode": "multi_hot",
                                              "output_sequence_length": 3}, None, None),
    "bad_mode": ("TextVectorization", {"output_mode": "bad"}, None, None),
    "max_tokens_1": ("TextVectorization", {"max_tokens": 1}, None, None),
    "bad_standardize": ("TextVectorization", {"standardize": "x"}, None, None),
    "pad_without_max": ("TextVectorization", {"pad_to_max_tokens": True,
                                              "output_mode": "multi_hot"}, None, None),
    "idf_missing": ("TextVectorization", {"output_mode": "tf_idf", "vocabulary": ["b", "a"]},
                    None, None),
    "adapt_static": ("TextVectorization", {"vocabulary": ["a"]}, ["x"], None),
    "repeated": ("StringLookup", {"vocabulary": ["a", "b", "a"]}, None, None),
    "sl_bad_mode": ("StringLookup", {"output_mode": "bad"}, None, None),
    "sl_no_oov": ("StringLookup", {"vocabulary": ["a", "b"], "num_oov_indices": 0}, None,
                  ["a", "z", "b"]),
    "il_no_oov": ("IntegerLookup", {"vocabulary": [4, 5], "num_oov_indices": 0}, None,
                  [[4, 9], [7, 5]]),
}


def _text_lstm(keras):
    L = keras.layers
    vectorize = L.TextVectorization(max_tokens=20)
    vectorize.adapt(["a b c", "b c"])
    return keras.Sequential([keras.Input(shape=(1,), dtype="string"), vectorize,
                             L.Embedding(20, 4), L.Bidirectional(L.LSTM(3, dropout=0.2)),
                             L.Dense(1)], name="text")


def _text_bag(keras):
    L = keras.layers
    inputs = keras.Input(shape=(), dtype="string", name="text")
    counts = L.TextVectorization(max_tokens=10, output_mode="tf_idf",
                                 pad_to_max_tokens=True)(inputs)
    ids = L.TextVectorization(max_tokens=20, output_sequence_length=6)(inputs)
    seq = L.GRU(4, return_sequences=True)(L.Embedding(20, 3)(ids))
    merged = L.Concatenate()([counts, L.GlobalMaxPooling1D()(seq)])
    return keras.Model(inputs, L.Dense(2)(merged))


def _stateful_cf(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(batch_shape=(4, 3, 8, 8)),
        L.Conv2D(6, 3, groups=3, padding="same", data_format="channels_first"),
        L.BatchNormalization(axis=1),
        L.MaxPooling2D(data_format="channels_first"),
        L.ZeroPadding2D(1, data_format="channels_first"),
        L.Cropping2D(((1, 0), (0, 1)), data_format="channels_first"),
        L.UpSampling2D(data_format="channels_first"),
        L.Reshape((6, 100)),
        L.SimpleRNN(5, stateful=True, return_sequences=True),
        L.GRU(4, stateful=True, go_backwards=True),
        L.Dense(1)], name="features")


SUMMARY_CASES = {"text_lstm": _text_lstm, "text_bag": _text_bag, "stateful_cf": _stateful_cf}


def assert_matches(L, case, arrays, key, np):
    """The case's outputs in tapeflow equal Keras's (``key/y{call}_{output}``) to 1e-5."""
    for c, ys in enumerate(run_case(L, case, arrays, key, np)):
        for i, y in enumerate(ys):
            want = arrays[f"{key}/y{c}_{i}"]
            assert y.shape == want.shape
            np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)
