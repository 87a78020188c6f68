"""Cases shared by tools/record_keras_preprocessing_fixtures.py (run under real TensorFlow) and
tests/test_keras_preprocessing.py (run under tapeflow): each case is a function of the ``tf``
module that returns a value (a tensor, an array, a config) or raises."""

import re
import string

import numpy as np


def _pattern(n, step=37, start=11):
    return bytes((i * step + start) % 256 for i in range(n))


# Every length 0..200 (each code path of the three hashes, and 1..3 blocks of the long loops),
# longer strings, bytes above 0x7f, UTF-8 text.
STRINGS = ([_pattern(n) for n in range(201)] + [_pattern(n, 101, 3) for n in range(0, 70, 3)]
           + [_pattern(n) for n in (255, 256, 257, 511, 1000)]
           + [s.encode("utf-8") for s in ("héllo", "日本語のテキスト", "😀 emoji", "\x00\x00",
                                          "[UNK]", "-1", "42", "hello world")])


def _hashes_in_function(tf):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def hashes(x):
        return tf.stack([tf.strings.to_hash_bucket_fast(x, 11),
                         tf.strings.to_hash_bucket_strong(x, 11, [3, 4]),
                         tf.strings.to_hash_bucket(x, 11)])
    return hashes(tf.constant(STRINGS[:70]))


def _hash_cases():
    def buckets(fn, *args, **kwargs):
        return lambda tf: fn(tf)(tf.constant(STRINGS), *args, **kwargs)

    fast = lambda tf: tf.strings.to_hash_bucket_fast  # noqa: E731
    strong = lambda tf: tf.strings.to_hash_bucket_strong  # noqa: E731
    legacy = lambda tf: tf.strings.to_hash_bucket  # noqa: E731
    return {
        "fingerprint_strings": lambda tf: tf.fingerprint(tf.constant(STRINGS)),
        "fast_big": buckets(fast, 2 ** 63 - 1),
        "fast_7": buckets(fast, 7),
        "strong_big": buckets(strong, 2 ** 63 - 1, key=[1, 2]),
        "strong_negative_key": buckets(strong, 2 ** 40 + 3, key=[-5, 2 ** 63 - 1]),
        "strong_zero_key": buckets(strong, 1000, key=[0, 0]),
        "legacy_big": buckets(legacy, 2 ** 63 - 1),
        "legacy_3": buckets(legacy, 3),
        "fast_scalar": lambda tf: tf.strings.to_hash_bucket_fast("abc", 10),
        "fast_2d": lambda tf: tf.strings.to_hash_bucket_fast([["a", "b"], ["c", ""]], 5),
        "fingerprint_rows": lambda tf: tf.fingerprint(tf.constant([["a", "b"], ["c", "d"]])),
        "fingerprint_rows3": lambda tf: tf.fingerprint(tf.reshape(tf.constant(STRINGS[:24]),
                                                                  [2, 3, 4])),
        "fingerprint_int32": lambda tf: tf.fingerprint(tf.constant([[1, 2], [3, 4]])),
        "fingerprint_float": lambda tf: tf.fingerprint(
            tf.constant(np.linspace(-3, 3, 60, dtype=np.float32).reshape(3, 20))),
        "fingerprint_int64_1d": lambda tf: tf.fingerprint(tf.constant([7, 8, 9], tf.int64)),
        "fingerprint_uint8_long": lambda tf: tf.fingerprint(
            tf.constant(np.frombuffer(_pattern(600), np.uint8).reshape(2, 300))),
        "err_buckets": lambda tf: tf.strings.to_hash_bucket_fast(["a"], 0),
        "err_buckets_negative": lambda tf: tf.strings.to_hash_bucket_strong(["a"], -2, [1, 2]),
        "err_not_string": lambda tf: tf.strings.to_hash_bucket_fast(tf.constant([1]), 3),
        "err_legacy_not_string": lambda tf: tf.strings.to_hash_bucket(tf.constant([1.0]), 3),
        "err_key": lambda tf: tf.strings.to_hash_bucket_strong(["a"], 3, key=[1]),
        "err_fingerprint_scalar": lambda tf: tf.fingerprint(tf.constant(1)),
        "err_fingerprint_method": lambda tf: tf.fingerprint(tf.constant(["a"]), method="md5"),
        "hashes_in_function": _hashes_in_function,
    }


CASES = {**_hash_cases()}


def to_record(value):
    """A case's result as JSON: tensors and arrays as dtype, shape and values."""
    if hasattr(value, "dense_shape"):  # a SparseTensor
        return {"sparse": [np.asarray(value.indices).tolist(), np.asarray(value.values).tolist(),
                           np.asarray(value.dense_shape).tolist()], "dtype": value.dtype.name}
    if hasattr(value, "to_list"):  # a RaggedTensor
        return {"ragged": _decoded(value.to_list()), "dtype": value.dtype.name}
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, bytes):  # a string scalar's numpy()
        value = np.array(value, object)
    if isinstance(value, np.ndarray | np.generic):
        values = [v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else v
                  for v in np.asarray(value).reshape(-1).tolist()]
        return {"dtype": str(value.dtype), "shape": list(np.shape(value)), "values": values}
    return {"value": value}


def _decoded(value):
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value


def run(tf, name):
    """A case's record: its result, or its exception's type and message."""
    try:
        return to_record(CASES[name](tf))
    except Exception as e:  # noqa: BLE001 - the error is what the case records
        return {"error": type(e).__name__, "message": str(e)}


# --- layers ------------------------------------------------------------------------------------

WORDS = ["a", "b", "cat", "dog", "", "日本", "fish", "a", "[UNK]", "zebra", "b", "x" * 40]
INTS = np.array([0, 1, -1, 7, 42, 2 ** 40, -(2 ** 33), 5, 1, 99, 3, 1000], np.int64)


def _layer(layer_class, *args, **kwargs):
    """A case calling a fresh ``keras.layers.<layer_class>(**kwargs)`` on ``args``."""
    def case(tf):
        return getattr(tf.keras.layers, layer_class)(**kwargs)(*args)
    return case


def _config(name, **kwargs):
    def case(tf):
        config = getattr(tf.keras.layers, name)(**kwargs).get_config()
        config.pop("name")
        return config
    return case


def _output_shape(name, shape, **kwargs):
    def case(tf):
        return list(getattr(tf.keras.layers, name)(**kwargs).compute_output_shape(shape))
    return case


def _hashing_cases():
    words = np.array(WORDS)
    cases = {
        "hashing_strings": _layer("Hashing", words, num_bins=3),
        "hashing_strings_col": _layer("Hashing", words[:, None], num_bins=1000),
        "hashing_list": _layer("Hashing", WORDS, num_bins=17),
        "hashing_scalar": _layer("Hashing", "cat", num_bins=17),
        "hashing_mask": _layer("Hashing", words, num_bins=5, mask_value=""),
        "hashing_mask_one_bin": _layer("Hashing", words, num_bins=1, mask_value="a"),
        "hashing_salt": _layer("Hashing", words, num_bins=7, salt=133),
        "hashing_salt_pair": _layer("Hashing", words, num_bins=7, salt=(1, 2 ** 40)),
        "hashing_salt_mask": _layer("Hashing", words, num_bins=7, salt=[3, 4], mask_value="b"),
        "hashing_ints": _layer("Hashing", INTS, num_bins=10),
        "hashing_int32": _layer("Hashing", INTS.astype(np.int32)[:5], num_bins=10),
        "hashing_ints_mask": _layer("Hashing", INTS.reshape(3, 4), num_bins=10, mask_value=1),
        "hashing_ints_salt": _layer("Hashing", INTS, num_bins=10, salt=5),
        "hashing_floats": _layer("Hashing", np.array([1.5, -2.7, 3.0, 0.2]), num_bins=10),
        "hashing_float32": _layer("Hashing", np.array([1.5, -2.7, 3.0], np.float32),
                                  num_bins=10),
        "hashing_int32_dtype": _layer("Hashing", words, num_bins=9, dtype="int32"),
        "hashing_one_hot_1d": _layer("Hashing", words[:4], num_bins=4, output_mode="one_hot"),
        "hashing_one_hot_col": _layer("Hashing", words[:4, None], num_bins=4,
                                      output_mode="one_hot"),
        "hashing_one_hot_2d": _layer("Hashing", words[:6].reshape(2, 3), num_bins=4,
                                     output_mode="one_hot"),
        "hashing_multi_hot_1d": _layer("Hashing", words, num_bins=6, output_mode="multi_hot"),
        "hashing_multi_hot_2d": _layer("Hashing", words.reshape(3, 4), num_bins=6,
                                       output_mode="multi_hot"),
        "hashing_multi_hot_3d": _layer("Hashing", words.reshape(2, 2, 3), num_bins=6,
                                       output_mode="multi_hot"),
        "hashing_count_1d": _layer("Hashing", words, num_bins=3, output_mode="count"),
        "hashing_count_2d": _layer("Hashing", words.reshape(4, 3), num_bins=3,
                                   output_mode="count"),
        "hashing_count_3d": _layer("Hashing", words.reshape(2, 3, 2), num_bins=3,
                                   output_mode="count"),
        "hashing_count_scalar": _layer("Hashing", "dog", num_bins=3, output_mode="count"),
        "hashing_count_int32": _layer("Hashing", words.reshape(4, 3), num_bins=3,
                                      output_mode="count", dtype="int32"),
        "hashing_count_mask": _layer("Hashing", INTS.reshape(2, 6), num_bins=4,
                                     output_mode="count", mask_value=1),
        "hashing_config": _config("Hashing", num_bins=3),
        "hashing_config_full": _config("Hashing", num_bins=4, mask_value="", salt=7,
                                       output_mode="multi_hot"),
        "hashing_config_pair": _config("Hashing", num_bins=4, salt=(1, 2)),
        "hashing_shape_int": _output_shape("Hashing", (None, 3), num_bins=4),
        "hashing_shape_multi": _output_shape("Hashing", (None, 3), num_bins=4,
                                             output_mode="multi_hot"),
        "hashing_shape_one_hot": _output_shape("Hashing", (5,), num_bins=4,
                                               output_mode="one_hot"),
        "hashing_err_bins": _config("Hashing", num_bins=0),
        "hashing_err_bins_none": _config("Hashing", num_bins=None),
        "hashing_err_mode": _config("Hashing", num_bins=3, output_mode="tf_idf"),
        "hashing_err_dtype": _config("Hashing", num_bins=3, dtype="float32"),
        "hashing_err_sparse": _config("Hashing", num_bins=3, sparse=True),
        "hashing_err_salt": _config("Hashing", num_bins=3, salt="pepper"),
        "hashing_err_salt3": _config("Hashing", num_bins=3, salt=(1, 2, 3)),
    }
    feat_s, feat_i = np.array(["A", "B", "A", "B", "A", "日本"]), np.array([101, 101, 101, 102,
                                                                        102, -7])
    cases.update({
        "crossing_int": _layer("HashedCrossing", (feat_s, feat_i), num_bins=5),
        "crossing_big": _layer("HashedCrossing", (feat_s, feat_i), num_bins=2 ** 40),
        "crossing_strings": _layer("HashedCrossing", (feat_s, feat_s[::-1]), num_bins=100),
        "crossing_ints": _layer("HashedCrossing", (feat_i, feat_i * 3), num_bins=100),
        "crossing_three": _layer("HashedCrossing", (feat_s, feat_i, feat_s), num_bins=100),
        "crossing_int32": _layer("HashedCrossing", (feat_i.astype(np.int32), feat_s),
                                 num_bins=100),
        "crossing_one_hot": _layer("HashedCrossing", (feat_s, feat_i), num_bins=5,
                                   output_mode="one_hot"),
        "crossing_col": _layer("HashedCrossing", (feat_s[:, None], feat_i[:, None]),
                               num_bins=50),
        "crossing_col_one_hot": _layer("HashedCrossing", (feat_s[:, None], feat_i[:, None]),
                                       num_bins=5, output_mode="one_hot"),
        "crossing_scalar": _layer("HashedCrossing", ("A", 101), num_bins=50),
        "crossing_dtype": _layer("HashedCrossing", (feat_s, feat_i), num_bins=5,
                                 output_mode="one_hot", dtype="float64"),
        "crossing_config": _config("HashedCrossing", num_bins=5, output_mode="one_hot"),
        "crossing_shape": _output_shape("HashedCrossing", ((None, 1), (None, 1)), num_bins=5),
        "crossing_shape_one_hot": _output_shape("HashedCrossing", ((None,), (None,)),
                                                num_bins=5, output_mode="one_hot"),
        "crossing_err_one": _layer("HashedCrossing", (feat_s,), num_bins=5),
        "crossing_err_not_list": _layer("HashedCrossing", feat_s, num_bins=5),
        "crossing_err_shapes": _layer("HashedCrossing", (feat_s, feat_i[:3]), num_bins=5),
        "crossing_err_float": _layer("HashedCrossing", (feat_s, feat_i * 0.5), num_bins=5),
        "crossing_err_rank": _layer("HashedCrossing", (feat_s.reshape(2, 3),
                                                       feat_i.reshape(2, 3)), num_bins=5),
        "crossing_err_mode": _config("HashedCrossing", num_bins=5, output_mode="multi_hot"),
    })
    return cases


CASES.update(_hashing_cases())


def _vocabulary(name, **kwargs):
    def case(tf):
        layer = getattr(tf.keras.layers, name)(**kwargs)
        return {"vocabulary": [v.item() if hasattr(v, "item") else v
                               for v in layer.get_vocabulary()],
                "size": layer.vocabulary_size()}
    return case


def _adapted(name, data, inputs, **kwargs):
    def case(tf):
        layer = getattr(tf.keras.layers, name)(**kwargs)
        layer.adapt(data)
        return layer(inputs)
    return case


def _lookup_cases():
    vocab, ivocab = ["a", "b", "cat"], [1, 7, 42]
    words, ints = np.array(WORDS), INTS
    return {
        "lookup_oov3": _layer("StringLookup", words, vocabulary=vocab, num_oov_indices=3),
        "lookup_oov2_mask": _layer("StringLookup", words, vocabulary=vocab, num_oov_indices=2,
                                   mask_token=""),
        "lookup_oov4_salt": _layer("StringLookup", words, vocabulary=vocab, num_oov_indices=4,
                                   salt=5),
        "lookup_oov4_salt_pair": _layer("StringLookup", words, vocabulary=vocab,
                                        num_oov_indices=4, salt=(5, -6)),
        "lookup_oov3_farmhash": _layer("StringLookup", words.reshape(3, 4), vocabulary=vocab,
                                       num_oov_indices=3, oov_method="farmhash"),
        "lookup_oov2_one_hot": _layer("StringLookup", words[:5], vocabulary=vocab,
                                      num_oov_indices=2, output_mode="one_hot"),
        "lookup_oov2_multi_hot": _layer("StringLookup", words.reshape(3, 4), vocabulary=vocab,
                                        num_oov_indices=2, output_mode="multi_hot"),
        "lookup_oov2_count": _layer("StringLookup", words.reshape(2, 6), vocabulary=vocab,
                                    num_oov_indices=2, output_mode="count"),
        "lookup_oov2_tf_idf": _layer("StringLookup", words.reshape(2, 6), vocabulary=vocab,
                                     idf_weights=[0.5, 1.0, 2.0], num_oov_indices=2,
                                     output_mode="tf_idf"),
        "lookup_oov2_invert": _layer("StringLookup", np.array([0, 1, 2, 3, 4, 5, 9]),
                                     vocabulary=vocab, num_oov_indices=2, invert=True),
        "lookup_oov3_vocabulary": _vocabulary("StringLookup", vocabulary=vocab,
                                              num_oov_indices=3, mask_token="[MASK]"),
        "lookup_oov2_adapt": _adapted("StringLookup", words, words, num_oov_indices=2,
                                      max_tokens=6),
        "lookup_oov2_adapt_tf_idf": _adapted("StringLookup", words.reshape(3, 4),
                                             words.reshape(2, 6), num_oov_indices=2,
                                             output_mode="tf_idf"),
        "lookup_config_oov": _config("StringLookup", vocabulary=vocab, num_oov_indices=3,
                                     oov_method="farmhash", salt=9),
        "ilookup_oov3": _layer("IntegerLookup", ints, vocabulary=ivocab, num_oov_indices=3),
        "ilookup_oov3_mask": _layer("IntegerLookup", ints.reshape(3, 4), vocabulary=ivocab,
                                    num_oov_indices=3, mask_token=0),
        "ilookup_oov3_farmhash": _layer("IntegerLookup", ints, vocabulary=ivocab,
                                        num_oov_indices=3, oov_method="farmhash"),
        "ilookup_oov3_farmhash_salt": _layer("IntegerLookup", ints, vocabulary=ivocab,
                                             num_oov_indices=3, oov_method="farmhash",
                                             salt=[2, 3]),
        "ilookup_oov2_int32": _layer("IntegerLookup", ints.astype(np.int32)[:5],
                                     vocabulary=ivocab, num_oov_indices=2,
                                     oov_method="farmhash"),
        "ilookup_oov3_vocabulary": _vocabulary("IntegerLookup", vocabulary=ivocab,
                                               num_oov_indices=3),
        "ilookup_oov2_adapt": _adapted("IntegerLookup", ints, ints, num_oov_indices=2),
        "ilookup_config_oov": _config("IntegerLookup", vocabulary=ivocab, num_oov_indices=3,
                                      oov_method="farmhash", salt=[1, 2]),
        "lookup_err_oov_negative": _config("StringLookup", num_oov_indices=-1),
        "lookup_err_oov_method": _config("StringLookup", oov_method="murmur"),
        "lookup_err_salt": _config("StringLookup", salt="x"),
        "ilookup_err_salt_floormod": _config("IntegerLookup", salt=3),
        "lookup_err_invert": _config("StringLookup", invert=True, output_mode="count"),
        "lookup_err_sparse": _config("StringLookup", sparse=True),
        "lookup_err_idf": _config("StringLookup", vocabulary=vocab, idf_weights=[1, 2, 3]),
        "lookup_binary": _layer("StringLookup", words.reshape(3, 4), vocabulary=vocab,
                                output_mode="binary"),
        "lookup_config_binary": _config("StringLookup", vocabulary=vocab, output_mode="binary"),
    }


CASES.update(_lookup_cases())


_SAMPLE = np.random.RandomState(3).standard_normal((300,)).astype(np.float32)
_VALUES = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])


def _discretization_adapt(data, inputs, batched=False, **kwargs):
    def case(tf):
        layer = tf.keras.layers.Discretization(**kwargs)
        layer.adapt(tf.data.Dataset.from_tensor_slices(data).batch(64) if batched else data)
        config = layer.get_config()
        config.pop("name")
        return {"boundaries": [float(b) for b in layer.bin_boundaries], "config": config,
                "output": to_record(layer(inputs))}
    return case


def _discretization_cases():
    bounds = [0.0, 1.0, 2.0]
    return {
        "disc_int": _layer("Discretization", _VALUES, bin_boundaries=bounds),
        "disc_float32": _layer("Discretization", _VALUES.astype(np.float32),
                               bin_boundaries=[-0.5, 0.1, 1.3]),
        "disc_ints_in": _layer("Discretization", np.array([[-1, 0, 1, 2, 5]]),
                               bin_boundaries=bounds),
        "disc_scalar": _layer("Discretization", 1.5, bin_boundaries=bounds),
        "disc_one_hot": _layer("Discretization", _VALUES[0], bin_boundaries=bounds,
                               output_mode="one_hot"),
        "disc_one_hot_2d": _layer("Discretization", _VALUES, bin_boundaries=bounds,
                                  output_mode="one_hot"),
        "disc_multi_hot": _layer("Discretization", _VALUES, bin_boundaries=bounds,
                                 output_mode="multi_hot"),
        "disc_count": _layer("Discretization", _VALUES, bin_boundaries=bounds,
                             output_mode="count"),
        "disc_count_1d": _layer("Discretization", _VALUES[1], bin_boundaries=bounds,
                                output_mode="count"),
        "disc_count_float64": _layer("Discretization", _VALUES, bin_boundaries=bounds,
                                     output_mode="count", dtype="float64"),
        "disc_adapt": _discretization_adapt(_SAMPLE, _VALUES, num_bins=4),
        "disc_adapt_eps": _discretization_adapt(_SAMPLE, _VALUES, num_bins=5, epsilon=0.1),
        "disc_adapt_dataset": _discretization_adapt(_SAMPLE, _VALUES, batched=True, num_bins=4,
                                                    epsilon=0.05),
        "disc_adapt_2d": _discretization_adapt(_SAMPLE.reshape(100, 3), _VALUES, num_bins=3,
                                               output_mode="multi_hot"),
        "disc_adapt_small": _discretization_adapt(np.array([3.0, 1.0, 2.0]), _VALUES,
                                                  num_bins=6),
        "disc_config": _config("Discretization", bin_boundaries=bounds),
        "disc_config_bins": _config("Discretization", num_bins=3, epsilon=0.02,
                                    output_mode="count"),
        "disc_shape_int": _output_shape("Discretization", (None, 4), bin_boundaries=bounds),
        "disc_shape_one_hot": _output_shape("Discretization", (None, 4), bin_boundaries=bounds,
                                            output_mode="one_hot"),
        "disc_shape_count": _output_shape("Discretization", (None, 4, 2), num_bins=3,
                                          output_mode="count"),
        "disc_err_both": _config("Discretization", bin_boundaries=bounds, num_bins=3),
        "disc_err_neither": _config("Discretization"),
        "disc_err_negative": _config("Discretization", num_bins=-1),
        "disc_err_mode": _config("Discretization", num_bins=3, output_mode="tf_idf"),
        "disc_err_sparse": _config("Discretization", num_bins=3, sparse=True),
        "disc_err_adapt_bounds": lambda tf: tf.keras.layers.Discretization(
            bin_boundaries=bounds).adapt(_SAMPLE),
        "disc_err_not_adapted": _layer("Discretization", _VALUES, num_bins=3),
    }


CASES.update(_discretization_cases())


def _audio(batch=2, samples=2000):
    t = np.arange(samples) / 8000.0
    rs = np.random.RandomState(5)
    tones = [np.sin(2 * np.pi * f * t) + 0.1 * rs.standard_normal(samples) for f in
             (440.0, 1250.0, 97.0)[:batch]]
    return np.array(tones, np.float32)


def _mel_cases():
    audio = _audio()
    small = dict(fft_length=256, sequence_stride=128, num_mel_bins=20, sampling_rate=8000)
    return {
        "mel_batch": _layer("MelSpectrogram", audio, **small),
        "mel_single": _layer("MelSpectrogram", audio[1], **small),
        "mel_power": _layer("MelSpectrogram", audio, power_to_db=False, mag_exp=1.0, **small),
        "mel_window": _layer("MelSpectrogram", audio, sequence_length=200, window="hamming",
                             min_freq=100.0, max_freq=3000, top_db=40.0, ref_power=2.0,
                             **small),
        "mel_float64_in": _layer("MelSpectrogram", audio.astype(np.float64), **small),
        "mel_default": _layer("MelSpectrogram", _audio(1, 1536)),
        "mel_config": _config("MelSpectrogram", **small),
        "mel_shape": _output_shape("MelSpectrogram", (None, 2000), **small),
        "mel_shape_single": _output_shape("MelSpectrogram", (2000,), **small),
        "mel_err_fft": _config("MelSpectrogram", fft_length=128, sequence_length=256),
    }


CASES.update(_mel_cases())


def _swap_ema(swap_on_epoch, loss_scale=False):
    """Training with use_ema and SwapEMAWeights: the history (val_loss is computed with the
    averages), the kernel after fit, after evaluate and after predict, all in one array."""
    def case(tf):
        keras = tf.keras
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
            2, kernel_initializer=keras.initializers.Constant(0.1))])
        optimizer = keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
        if loss_scale:
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        model.compile(optimizer=optimizer, loss="mse")
        x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
        y = np.stack([x.sum(1), x[:, 0] - x[:, 2]], 1)
        history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0,
                            validation_data=(x, y),
                            callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch)])
        pieces = [history.history["loss"], history.history["val_loss"],
                  model.get_weights()[0].ravel()]
        pieces.append([model.evaluate(x, y, verbose=0,
                                      callbacks=[keras.callbacks.SwapEMAWeights()])])
        pieces.append(model.get_weights()[0].ravel())
        model.predict(x, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
        pieces.append(model.get_weights()[0].ravel())
        return np.concatenate([np.asarray(p, np.float64).ravel() for p in pieces])
    return case


def _ema_error(tf):
    keras = tf.keras
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0,
              callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True)])


CASES.update({"ema_swap": _swap_ema(False), "ema_swap_on_epoch": _swap_ema(True),
              "ema_loss_scale": _swap_ema(True, loss_scale=True), "ema_err_no_ema": _ema_error})


def _stft(x, **kwargs):
    """An STFTSpectrogram's output and its kernels' first values."""
    def case(tf):
        layer = tf.keras.layers.STFTSpectrogram(**kwargs)
        out = np.asarray(layer(x))
        return np.concatenate([np.asarray(w).ravel()[:40] for w in layer.weights] +
                              [out.ravel(), np.array(out.shape, np.float32)])
    return case


def _stft_cases():
    signal = _audio(2, 128).reshape(2, 128, 1)
    stereo = np.concatenate([signal, signal[:, ::-1] * 0.5], -1)
    first = np.transpose(stereo, (0, 2, 1))
    small = dict(frame_length=32, frame_step=16)
    cases = {f"stft_{mode}": _stft(stereo, mode=mode, **small) for mode in
             ("log", "magnitude", "psd", "real", "imag", "angle", "stft")}
    cases.update({
        "stft_same": _stft(signal, padding="same", fft_length=64, window="hamming", **small),
        "stft_periodic": _stft(signal, periodic=True, scaling="spectrum", **small),
        "stft_no_window": _stft(signal, window=None, scaling=None, frame_length=25,
                                frame_step=12),
        "stft_blackman": _stft(signal, window="blackman", frame_length=20, frame_step=10),
        "stft_expand": _stft(stereo, expand_dims=True, **small),
        "stft_first": _stft(first, data_format="channels_first", **small),
        "stft_first_expand": _stft(first, data_format="channels_first", expand_dims=True,
                                   **small),
        "stft_default": _stft(_audio(1, 600).reshape(1, 600, 1)),
        "stft_config": _config("STFTSpectrogram", mode="psd", frame_length=64,
                               window="hamming"),
        "stft_shape": _output_shape("STFTSpectrogram", (None, 128, 2), **small),
        "stft_shape_same": _output_shape("STFTSpectrogram", (None, 2, 128), padding="same",
                                         data_format="channels_first", expand_dims=True,
                                         mode="stft", **small),
        "stft_err_step": _config("STFTSpectrogram", frame_length=64, frame_step=65),
        "stft_err_fft": _config("STFTSpectrogram", frame_length=64, fft_length=32),
        "stft_err_mode": _config("STFTSpectrogram", mode="phase"),
        "stft_err_scaling": _config("STFTSpectrogram", scaling="power"),
        "stft_err_padding": _config("STFTSpectrogram", padding="causal"),
        "stft_err_window": _config("STFTSpectrogram", window="unknown"),
        "stft_err_rank": _layer("STFTSpectrogram", signal[:, :, 0], name="stft", **small),
        "stft_initializer": lambda tf: tf.keras.initializers.STFT("imag", "hann", "spectrum",
                                                                   True)((16, 1, 9)),
        "stft_initializer_config": lambda tf: tf.keras.initializers.get(
            "STFT").get_config(),
    })
    return cases


CASES.update(_stft_cases())


TEXTS = ["Hello World", "  padded\t\n", "ÉCOLE Straße", "<br />A movie, great!", "", "1.5",
         "-42", "abc123def", "a.b.c", "UPPER lower"]


def _text_cases():
    texts = np.array(TEXTS)
    s = lambda tf: tf.strings  # noqa: E731
    return {
        "str_lower": lambda tf: s(tf).lower(texts),
        "str_lower_utf8": lambda tf: s(tf).lower(texts, encoding="utf-8"),
        "str_upper": lambda tf: s(tf).upper(texts.reshape(2, 5)),
        "str_upper_utf8": lambda tf: s(tf).upper(texts, encoding="utf-8"),
        "str_strip": lambda tf: s(tf).strip(texts),
        "str_length": lambda tf: s(tf).length(texts),
        "str_length_chars": lambda tf: s(tf).length(texts, unit="UTF8_CHAR"),
        "str_regex_html": lambda tf: s(tf).regex_replace(texts, "<br />", " "),
        "str_regex_punct": lambda tf: s(tf).regex_replace(
            s(tf).lower(texts), "[%s]" % re.escape(string.punctuation), ""),
        "str_regex_groups": lambda tf: s(tf).regex_replace(texts, r"(\w)(\w*)", r"\2\1"),
        "str_regex_whole": lambda tf: s(tf).regex_replace(texts, r"[aeiou]", r"<\0>",
                                                          replace_global=False),
        "str_full_match": lambda tf: s(tf).regex_full_match(texts, r"[a-z0-9.]+"),
        "str_join": lambda tf: s(tf).join([texts, texts[::-1]], separator="|"),
        "str_join_scalar": lambda tf: s(tf).join(["<", texts.reshape(5, 2), ">"]),
        "str_to_float": lambda tf: s(tf).to_number(["1.5", "-2", "1e3", " 7 ", "inf"]),
        "str_to_int": lambda tf: s(tf).to_number(["12", "-7", "0"], out_type=tf.int64),
        "str_as_string": lambda tf: s(tf).as_string([1.5, 2.0]),
        "str_err_number": lambda tf: s(tf).to_number(["1.5", "abc"]),
        "str_err_int": lambda tf: s(tf).to_number(["1.5"], out_type=tf.int32),
        "str_err_lower": lambda tf: s(tf).lower(tf.constant([1])),
        "str_err_join": lambda tf: s(tf).join([texts, texts[:3]]),
        "str_in_function": _text_in_function,
        "str_split": lambda tf: s(tf).split(texts),
        "str_split_sep": lambda tf: s(tf).split(["a,b,,c", ",x,", ""], sep=","),
        "str_split_max": lambda tf: s(tf).split(["a b c d", "e"], maxsplit=2),
        "str_split_scalar": lambda tf: s(tf).split("one two  three"),
        "str_split_2d": lambda tf: s(tf).split(texts.reshape(5, 2)),
        "str_bytes_split": lambda tf: s(tf).bytes_split(["abc", "", "é"]),
        "str_unicode_split": lambda tf: s(tf).unicode_split(texts, "UTF-8"),
        "str_unicode_join": lambda tf: s(tf).reduce_join(
            s(tf).unicode_split(texts, "UTF-8"), axis=-1),
        "str_reduce_join": lambda tf: s(tf).reduce_join(texts.reshape(2, 5), axis=1,
                                                        separator=" "),
        "str_reduce_join_all": lambda tf: s(tf).reduce_join(texts.reshape(2, 5)),
        "str_reduce_join_keep": lambda tf: s(tf).reduce_join(texts.reshape(2, 5), axis=0,
                                                             keepdims=True, separator="+"),
        "str_substr": lambda tf: s(tf).substr(texts, 1, 4),
        "str_substr_negative": lambda tf: s(tf).substr(["hello", "ab"], -2, 5),
        "str_substr_chars": lambda tf: s(tf).substr(["ÉCOLE"], 0, 2, unit="UTF8_CHAR"),
        "str_err_substr": lambda tf: s(tf).substr(["hello", "ab"], 3, 1),
        "text_vectorization_custom": _custom_standardization,
    }


def _text_in_function(tf):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def clean(x):
        return tf.strings.join([tf.strings.regex_replace(tf.strings.lower(x), "[^a-z ]", ""),
                                tf.strings.as_string(tf.strings.length(x))], separator="#")
    return clean(tf.constant(TEXTS))


def _custom_standardization(tf):
    """TF's text classification tutorial's TextVectorization with a custom standardize."""
    def standardize(data):
        lowercase = tf.strings.lower(data)
        stripped = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped, "[%s]" % re.escape(string.punctuation), "")
    layer = tf.keras.layers.TextVectorization(max_tokens=20, standardize=standardize,
                                              output_sequence_length=6)
    layer.adapt(np.array(TEXTS))
    return layer(np.array(TEXTS[:4]))


CASES.update(_text_cases())


def _structured_data(tf):
    """TF's structured-data tutorial's flow on a made-up table: features adapted from a Dataset
    of dicts, encoded by Normalization, IntegerLookup, StringLookup + CategoryEncoding, Hashing,
    HashedCrossing and Discretization, a model on named Inputs fed dicts of (batch,) features;
    its predictions before and after one epoch of fit."""
    keras = tf.keras
    rs = np.random.RandomState(0)
    n = 64
    table = {"Age": rs.randint(1, 100, n), "Fee": (rs.rand(n) * 100).astype("float32"),
             "Type": rs.choice(["Cat", "Dog"], n).tolist(),
             "Breed": rs.choice(["A", "B", "C", "D", "E"], n).tolist()}
    target = rs.randint(0, 2, n)
    train = tf.data.Dataset.from_tensor_slices((table, target)).batch(16)

    def column(name):
        return train.map(lambda x, y: x[name])

    normalizer = keras.layers.Normalization(axis=None)
    normalizer.adapt(column("Fee"))
    inputs = {"Fee": keras.Input(shape=(1,), name="Fee"),
              "Age": keras.Input(shape=(1,), name="Age", dtype="int64"),
              "Type": keras.Input(shape=(1,), name="Type", dtype="string"),
              "Breed": keras.Input(shape=(1,), name="Breed", dtype="string")}
    encoded = [normalizer(inputs["Fee"])]
    for name, lookup in (("Age", keras.layers.IntegerLookup(max_tokens=5)),
                         ("Type", keras.layers.StringLookup(max_tokens=5)),
                         ("Breed", keras.layers.StringLookup(max_tokens=5,
                                                             num_oov_indices=2))):
        lookup.adapt(column(name))
        encode = keras.layers.CategoryEncoding(num_tokens=lookup.vocabulary_size())
        encoded.append(encode(lookup(inputs[name])))
    encoded.append(keras.layers.Hashing(num_bins=8, output_mode="one_hot")(inputs["Breed"]))
    encoded.append(keras.layers.HashedCrossing(num_bins=6, output_mode="one_hot")(
        (inputs["Type"], inputs["Breed"])))
    encoded.append(keras.layers.Discretization(bin_boundaries=[20.0, 50.0],
                                               output_mode="one_hot")(inputs["Fee"]))
    features = keras.layers.concatenate(encoded)
    hidden = keras.layers.Dense(8, activation="relu", kernel_initializer="ones")(features)
    model = keras.Model(list(inputs.values()),
                        keras.layers.Dense(1, kernel_initializer="ones")(hidden))
    sample = {k: tf.constant(np.asarray(v)[:4, None].tolist()) for k, v in table.items()}
    before = model.predict(sample, verbose=0).ravel()
    model.compile(keras.optimizers.SGD(0.001), "mse")
    model.fit(train, epochs=1, verbose=0, shuffle=False)
    return np.concatenate([before, model.predict(sample, verbose=0).ravel()])


def _ragged_vectorization(**kwargs):
    def case(tf):
        layer = tf.keras.layers.TextVectorization(ragged=True, **kwargs)
        layer.adapt(np.array(TEXTS))
        return layer(np.array(TEXTS))
    return case


CASES["tutorial_structured_data"] = _structured_data
CASES.update({
    "text_ragged": _ragged_vectorization(),
    "text_ragged_length": _ragged_vectorization(output_sequence_length=2, max_tokens=8),
    "text_ragged_chars": _ragged_vectorization(split="character", standardize="lower"),
    "text_err_ragged": _config("TextVectorization", ragged=True, output_mode="count"),
})
CASES.update({
    "hashing_sparse": _layer("Hashing", [["a", "b"], ["c", "a"]], num_bins=4,
                             output_mode="multi_hot", sparse=True),
    "disc_sparse": _layer("Discretization", [[1.0, -1.0, 2.0]], bin_boundaries=[0.0],
                          output_mode="count", sparse=True),
    "crossing_sparse": _layer("HashedCrossing", (["a", "b"], [1, 2]), num_bins=3,
                              output_mode="one_hot", sparse=True),
})


def _guide_cases():
    """The tf.strings cells of TF's tensor, ragged_tensor and data guides."""
    words = [["So", "long"], ["thanks", "for", "all", "the", "fish"]]
    return {
        "guide_split_scalar": lambda tf: tf.strings.split(tf.constant("Gray wolf"), sep=" "),
        "guide_split_tensor": lambda tf: tf.strings.split(
            tf.constant(["Gray wolf", "Quick brown fox", "Lazy dog"])),
        "guide_to_number": lambda tf: tf.strings.to_number(tf.strings.split(
            tf.constant("1 10 100"), " ")),
        "guide_bytes_split": lambda tf: tf.strings.bytes_split(tf.constant("Duck")),
        "guide_unicode_split": lambda tf: tf.strings.unicode_split(tf.constant("アヒル 🦆"),
                                                                   "UTF-8"),
        "guide_unicode_decode": lambda tf: tf.strings.unicode_decode(tf.constant("アヒル 🦆"),
                                                                     "UTF-8"),
        "guide_unicode_decode_rows": lambda tf: tf.strings.unicode_decode(
            ["a\x01é", "", "\xff"], "UTF-8", replace_control_characters=True),
        "guide_ragged_substr": lambda tf: tf.strings.substr(tf.ragged.constant(words), 0, 2),
        "guide_ragged_hash": lambda tf: tf.strings.to_hash_bucket_fast(
            tf.strings.split(tf.constant(["What makes you think she is a witch?",
                                          "She turned me into a newt."]), " "), 1000),
        "guide_ragged_lower": lambda tf: tf.strings.lower(tf.ragged.constant(words)),
        "guide_filter_substr": _survivors,
    }


def _survivors(tf):
    lines = tf.data.Dataset.from_tensor_slices(["survived,x", "1,a", "0,b", "1,c", "0,d"])

    def survived(line):
        return tf.not_equal(tf.strings.substr(line, 0, 1), "0")
    return tf.constant([line for line in lines.skip(1).filter(survived).as_numpy_iterator()])


CASES.update(_guide_cases())


def _more_text_cases():
    tokens = np.array([["a", "b", "c", "d"], ["e", "f", "g", "h"]])
    ragged = [["a", "b", "c"], ["d"], []]
    return {
        "ngrams_1d": lambda tf: tf.strings.ngrams(tokens[0], 2),
        "ngrams_2d": lambda tf: tf.strings.ngrams(tokens, 3, separator="_"),
        "ngrams_widths": lambda tf: tf.strings.ngrams(tokens, [1, 2]),
        "ngrams_pad": lambda tf: tf.strings.ngrams(tokens[0], 3, pad_values=("<s>", "</s>")),
        "ngrams_pad_width": lambda tf: tf.strings.ngrams(tokens[0], 3, pad_values="#",
                                                         padding_width=1),
        "ngrams_ragged": lambda tf: tf.strings.ngrams(tf.ragged.constant(ragged), 2),
        "ngrams_short": lambda tf: tf.strings.ngrams(tf.ragged.constant(ragged), 2,
                                                     preserve_short_sequences=True),
        "unicode_encode": lambda tf: tf.strings.unicode_encode(
            tf.constant([[72, 233, 108], [12450, 32, 33]]), "UTF-8"),
        "unicode_encode_ragged": lambda tf: tf.strings.unicode_encode(
            tf.ragged.constant([[72, 105], [129414], []]), "UTF-8"),
        "unicode_encode_16": lambda tf: tf.strings.unicode_encode([72, 233, 129414],
                                                                  "UTF-16-BE"),
        "unicode_encode_bad": lambda tf: tf.strings.unicode_encode([72, -5, 0x110000],
                                                                   "UTF-8"),
        "segment_join": lambda tf: tf.strings.unsorted_segment_join(
            ["a", "b", "c", "d", "e"], [1, 0, 1, 3, 1], 4, separator="+"),
        "segment_join_2d": lambda tf: tf.strings.unsorted_segment_join(
            tokens, [1, 1], 2, separator="|"),
    }


CASES.update(_more_text_cases())
CASES.update({
    "transcode_16": lambda tf: tf.strings.unicode_transcode(["Hé", "🦆 x", ""], "UTF-8",
                                                            "UTF-16-BE"),
    "transcode_back": lambda tf: tf.strings.unicode_transcode(
        tf.strings.unicode_transcode(["Hé", "🦆"], "UTF-8", "UTF-32-BE"), "UTF-32-BE", "UTF-8"),
    "transcode_controls": lambda tf: tf.strings.unicode_transcode(
        ["a\x01b", "c"], "UTF-8", "UTF-8", replace_control_characters=True,
        replacement_char=63),
    "transcode_ragged": lambda tf: tf.strings.unicode_transcode(
        tf.ragged.constant([["a", "é"], []]), "UTF-8", "UTF-16-BE"),
})


def _formatted_in_function(tf):
    fn = tf.function(lambda x: tf.strings.format("f {} {}", (x, tf.strings.length(x))),
                     input_signature=[tf.TensorSpec([None], tf.string)])
    return fn(tf.constant(["ab", "c"]))


CASES.update({
    "format_summarize": lambda tf: tf.strings.format(
        "x: {}, y: {}", (tf.constant([1, 2, 3, 4, 5, 6, 7]), tf.constant([[1.5, 2.0]]))),
    "format_strings": lambda tf: tf.strings.format("s={} p={}", (tf.constant(["a", "b"]), 3),
                                                   summarize=1),
    "format_scalars": lambda tf: tf.strings.format("v {} {}", [tf.constant(2.5),
                                                               tf.constant("txt")]),
    "format_3d_bool": lambda tf: tf.strings.format(
        "b {} {}", [tf.constant([True, False]), tf.zeros([2, 2, 2])], summarize=1),
    "format_placeholder": lambda tf: tf.strings.format("a=%s", [tf.constant([1.25])],
                                                       placeholder="%s"),
    "format_in_function": _formatted_in_function,
    "format_err_count": lambda tf: tf.strings.format("{} {}", [1]),
})
