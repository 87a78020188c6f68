"""Cases shared by tools/record_keras_preprocessing_fixtures.py (run under real TensorFlow) and
tests/test_keras_preprocessing.py (run under tapeflow): each case is a function of the ``tf``
module that returns a value (a tensor, an array, a config) or raises."""

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
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray | np.generic):
        return {"dtype": str(value.dtype), "shape": list(np.shape(value)),
                "values": np.asarray(value).reshape(-1).tolist()}
    return {"value": value}


def run(tf, name):
    """A case's record: its result, or its exception's type and message."""
    try:
        return to_record(CASES[name](tf))
    except Exception as e:  # noqa: BLE001 - the error is what the case records
        return {"error": type(e).__name__, "message": str(e)}
