"""Gaps found running more of TensorFlow's guides (docs/guides-status.md). Each expectation is
what TensorFlow 2.21 prints or does for the same snippet (checked with it); no guide code is
copied."""

import tapeflow as tf


def test_setter_function_is_no_default_signature(tmp_path):
    # A module whose one input_signature function returns nothing: TF saves it without a
    # default signature instead of refusing it as one.
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def set_v(self, value):
            self.v.assign(value)

    m = M()
    tf.saved_model.save(m, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert list(loaded.signatures.keys()) == []
    loaded.set_v(tf.constant(4.0))
    assert float(loaded.v.numpy()) == 4.0


def test_symbolic_tensor_of_unknown_rank_prints_no_shape():
    seen = []

    @tf.function
    def f(x):
        seen.append((str(x), repr(x)))
        return x

    f.get_concrete_function(tf.TensorSpec(None, tf.float32))
    f.get_concrete_function(tf.TensorSpec([2], tf.int32))
    assert seen == [('Tensor("x:0", dtype=float32)', "<tf.Tensor 'x:0' shape=<unknown> "
                     "dtype=float32>"), ('Tensor("x:0", shape=(2,), dtype=int32)',
                                         "<tf.Tensor 'x:0' shape=(2,) dtype=int32>")]
