"""Sequential, functional and subclassed models: structure, calls and summary() as Keras 3
prints it (fixtures recorded by tools/record_keras_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_summary_cases import CASES

keras = tf.keras
L = keras.layers
SUMMARIES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras" /
                        "summaries.json").read_text())


@pytest.fixture(autouse=True)
def fresh_names():
    """Each test leaves Keras's automatic names (dense_1, adam_2, ...) as it found them at the
    start of a session, for tests that compare names with TF's."""
    yield
    keras.backend.clear_session()


def summary_of(model, capsys):
    capsys.readouterr()
    model.summary()
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CASES))
def test_summary_prints_what_keras_prints(name, capsys):
    keras.backend.clear_session()
    assert summary_of(CASES[name](keras), capsys) == SUMMARIES[name]


def test_a_built_sequential_takes_a_functional_name():
    """Keras 3 builds a Functional model inside a Sequential each time the Sequential is built
    (recorded with TF 2.21): the next Functional model is named after it."""
    keras.backend.clear_session()

    def functional():
        i = keras.Input((8,))
        return keras.Model(i, L.Dense(1)(i)).name

    keras.Sequential([keras.Input((8,)), L.Dense(6)], name="base")  # built: takes 'functional'
    assert functional() == "functional_1"
    later = keras.Sequential([L.Dense(6)])  # not built yet
    assert functional() == "functional_2"
    later.build((None, 8))
    assert functional() == "functional_4"
    later(np.zeros((2, 8), np.float32))  # built already
    assert functional() == "functional_5"


def test_keras_tensor_and_functional_calls():
    keras.backend.clear_session()
    inp = keras.Input(shape=[3])
    assert repr(inp) == ("<KerasTensor shape=(None, 3), dtype=float32, sparse=False, "
                         "ragged=False, name=keras_tensor>")
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = L.Dense(2)
    out1 = L.Add()([shared(a), shared(b)])
    out2 = L.Dense(1)(L.Concatenate()([a, b]))
    m = keras.Model(inputs=[a, b], outputs=[out1, out2])
    assert m.name == "functional" and [x.shape for x in m.outputs] == [(None, 2), (None, 1)]
    xa, xb = np.ones((5, 4), np.float32), np.zeros((5, 4), np.float32)
    y1, y2 = m([xa, xb])
    np.testing.assert_allclose(np.asarray(y1), np.asarray(shared(xa)) + np.asarray(shared(xb)),
                               rtol=1e-6)
    assert tuple(y2.shape) == (5, 1)
    assert len(m.weights) == 4 and [type(x).__name__ for x in m.layers] == [
        "InputLayer", "InputLayer", "Dense", "Concatenate", "Add", "Dense"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(m([xa, xb])[0])
    assert all(g is not None for g in tape.gradient(loss, m.trainable_variables)[:2])


def test_sequential_add_pop_build_and_paths():
    keras.backend.clear_session()
    m = keras.Sequential()
    m.add(L.Dense(4, activation="relu"))
    m.add(L.Dense(2))
    assert not m.built and m.weights == []
    out = m(np.zeros((5, 3), np.float32))
    assert tuple(out.shape) == (5, 2) and m.built
    assert [w.path for w in m.weights] == ["sequential/dense/kernel", "sequential/dense/bias",
                                           "sequential/dense_1/kernel", "sequential/dense_1/bias"]
    assert m.input_shape == (5, 3) and [layer.name for layer in m.layers] == ["dense", "dense_1"]
    popped = m.pop()
    assert popped.name == "dense_1" and len(m.layers) == 1
    m2 = keras.Sequential([L.Dense(3)])
    m2.build((None, 7))
    assert m2.layers[0].kernel.shape == (7, 3) and m2.output_shape == (None, 3)
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added"):
        m2.add(3)
    config = m2.get_config()
    assert [entry["class_name"] for entry in config["layers"]] == ["InputLayer", "Dense"]


def test_subclassed_model_tracks_layers_and_variables():
    keras.backend.clear_session()

    class FlexibleDense(L.Layer):
        def __init__(self, out_features, **kwargs):
            super().__init__(**kwargs)
            self.out_features = out_features

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.out_features), name="w")

        def call(self, inputs):
            return tf.matmul(inputs, self.w)

    class MySequentialModel(keras.Model):
        def __init__(self, name=None, **kwargs):
            super().__init__(**kwargs)
            self.dense_1 = FlexibleDense(out_features=3)
            self.dense_2 = FlexibleDense(out_features=2)

        def call(self, x):
            return self.dense_2(self.dense_1(x))

    m = MySequentialModel(name="the_model")
    assert m.name == "my_sequential_model"
    assert tuple(m(tf.constant([[2.0, 2.0, 2.0]])).shape) == (1, 2)
    assert [v.path for v in m.variables] == ["my_sequential_model/flexible_dense/w",
                                             "my_sequential_model/flexible_dense_1/w"]
    assert [layer.name for layer in m.layers] == ["flexible_dense", "flexible_dense_1"]
    m.set_weights([np.ones((3, 3)), np.ones((3, 2))])
    assert np.asarray(m(tf.constant([[1.0, 1.0, 1.0]]))).tolist() == [[9.0, 9.0]]


def test_sequential_built_by_fit_has_no_batch_size_and_functional_fits_two_inputs(capsys):
    m = keras.Sequential([L.Dense(3), L.Dense(2)])
    m.compile("sgd", "mse")
    m.fit(np.ones((10, 4)), np.ones((10, 2)), batch_size=4, verbose=0)
    assert m.layers[0].output.shape == (None, 3) and "(None, 2)" in summary_of(m, capsys)
    a, b = keras.Input((3,)), keras.Input((2,))
    f = keras.Model([a, b], L.Dense(1)(L.Concatenate()([a, b])))
    f.compile("sgd", "mse")
    h = f.fit([np.ones((8, 3)), np.ones((8, 2))], np.ones((8, 1)), epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2


def test_inputs_take_the_input_layers_dtype():
    """As Keras: a model converts what it is given to its Input's dtype (uint8 images become
    float32, floats given to an int32 Input are truncated), and a float64 layer casts."""
    keras = tf.keras
    seq = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda x: x)])
    assert seq(np.array([[1, 2]], np.uint8)).dtype == tf.float32
    assert seq(tf.constant([[1, 2]])).dtype == tf.float32
    assert seq.predict(np.array([[1, 2]], np.uint8), verbose=0).dtype == np.float32
    inp = keras.Input((2,), dtype="int32")
    fn = keras.Model(inp, keras.layers.Lambda(lambda x: x)(inp))
    out = fn(np.array([[1.7, 2.0]], np.float32))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [[1, 2]]
    dense = keras.layers.Dense(3, dtype="float64")
    assert dense(keras.Input((3,))).dtype == tf.float64
    assert dense(tf.ones([1, 3])).dtype == tf.float64


def test_a_subclassed_model_takes_no_positional_arguments():
    """As Keras 3 (effective_tf2.ipynb's DynamicRNN passes ``self`` to ``super().__init__``)."""
    class Passing(tf.keras.Model):
        def __init__(self):
            super().__init__(self)
    with pytest.raises(TypeError, match=r"^Layer.__init__\(\) takes 1 positional argument but 2 "
                                        r"were given$"):
        Passing()


def test_operators_on_keras_tensors_take_keras_op_names():
    """The operation each Python operator (and keras.ops.abs) records is named as Keras 3 names
    it (TF 2.21: ``true_divide``, ``floor_divide``, ``absolute``, ``logical_and``...)."""
    keras.backend.clear_session()
    a = keras.Input((3,))
    made = [1.0 / a, a ** 2, a // 2, a % 2, a > 0, abs(a), a < 1, (a > 0) & (a < 1), ~(a > 0),
            a != 1, 2 ** a, a >= 0, a <= 0, (a > 0) | (a < 1), (a > 0) ^ (a < 1),
            keras.ops.abs(a), a / 2]
    assert [t._history[0].name for t in made] == [  # as TF 2.21 names them
        "true_divide", "power", "floor_divide", "mod", "greater", "absolute", "less",
        "logical_and", "logical_not", "not_equal", "power_1", "greater_equal", "less_equal",
        "logical_or", "logical_xor", "absolute_1", "true_divide_1"]
    assert (a == a) is True  # == stays identity, as in Keras
