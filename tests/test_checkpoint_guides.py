"""What the modules and checkpoint guides show of tf.train, as our own cases; each expected text
is what TensorFlow 2.21 prints for the same snippet."""

import os

import pytest

pytest.importorskip("google.protobuf")
pytest.importorskip("crc32c")

import tapeflow as tf  # noqa: E402


class Affine(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.kernel = tf.Variable(tf.reshape(tf.range(n_in * n_out, dtype=tf.float32),
                                             [n_in, n_out]) / 10, name="kernel")
        self.offset = tf.Variable(tf.ones([n_out]), name="offset")

    def __call__(self, x):
        return tf.nn.relu(x @ self.kernel + self.offset)


class Stack(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.first = Affine(3, 2, name="first")
        self.second = Affine(2, 1, name="second")

    def __call__(self, x):
        return self.second(self.first(x))


def test_module_write_list_and_restore(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    model = Stack(name="stack")
    print(model(tf.constant([[2.0, 2.0, 2.0]])))
    print(tf.train.Checkpoint(model=model).write("stack_ckpt"))
    print(sorted(os.listdir(".")))
    for row in tf.train.list_variables("stack_ckpt"):
        print(row)
    again = Stack()
    for v in again.variables:
        v.assign(tf.zeros_like(v))
    tf.train.Checkpoint(model=again).read("stack_ckpt").assert_consumed()
    print(again(tf.constant([[2.0, 2.0, 2.0]])))
    assert capsys.readouterr().out == """\
tf.Tensor([[1.28]], shape=(1, 1), dtype=float32)
stack_ckpt
['stack_ckpt.data-00000-of-00001', 'stack_ckpt.index']
('_CHECKPOINTABLE_OBJECT_GRAPH', [])
('model/first/kernel/.ATTRIBUTES/VARIABLE_VALUE', [3, 2])
('model/first/offset/.ATTRIBUTES/VARIABLE_VALUE', [2])
('model/second/kernel/.ATTRIBUTES/VARIABLE_VALUE', [2, 1])
('model/second/offset/.ATTRIBUTES/VARIABLE_VALUE', [1])
tf.Tensor([[1.28]], shape=(1, 1), dtype=float32)
"""


def test_lists_and_dicts_restore_items_added_later(tmp_path, capsys):
    saved = tf.train.Checkpoint()
    saved.items = [tf.Variable(1.)]
    saved.items.append(tf.Variable(2.))
    saved.names = {'a': saved.items[0]}
    saved.names['b'] = saved.items[1]
    path = saved.save(str(tmp_path / "lists"))
    print(os.path.basename(path))
    target = tf.train.Checkpoint()
    b = tf.Variable(0.)
    target.names = {'b': b}
    target.restore(path)
    assert b.numpy() == 2.0
    target.items = []
    print(target.items)
    first = tf.Variable(0.)
    target.items.append(first)
    assert first.numpy() == 1.0
    print(target.items, target.names)
    print(tf.train.list_variables(path))
    assert capsys.readouterr().out == """\
lists-1
ListWrapper([])
ListWrapper([<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>]) \
{'b': <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>}
[('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('items/0/.ATTRIBUTES/VARIABLE_VALUE', []), \
('items/1/.ATTRIBUTES/VARIABLE_VALUE', []), ('save_counter/.ATTRIBUTES/VARIABLE_VALUE', [])]
"""


def test_reader_maps_and_partial_restore(tmp_path, capsys):
    layer = tf.train.Checkpoint(bias=tf.Variable([0.5, -0.5]), kernel=tf.Variable([[1.0, 2.0]]))
    path = tf.train.Checkpoint(net=tf.train.Checkpoint(l1=layer), step=tf.Variable(7)).save(
        str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    shapes, types = reader.get_variable_to_shape_map(), reader.get_variable_to_dtype_map()
    print(sorted(shapes))
    key = 'net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE'
    print("Shape:", shapes[key], "Dtype:", types[key].name, reader.get_tensor(key))
    bias = tf.Variable(tf.zeros([2]))
    partial = tf.train.Checkpoint(bias=bias)
    status = tf.train.Checkpoint(net=tf.train.Checkpoint(l1=partial)).restore(path)
    print(bias.numpy())
    status.assert_existing_objects_matched()
    kernel = tf.Variable(tf.zeros([1, 2]))
    partial.kernel = kernel
    print(kernel.numpy())
    assert capsys.readouterr().out == """\
['_CHECKPOINTABLE_OBJECT_GRAPH', 'net/l1/bias/.ATTRIBUTES/VARIABLE_VALUE', \
'net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE', 'save_counter/.ATTRIBUTES/VARIABLE_VALUE', \
'step/.ATTRIBUTES/VARIABLE_VALUE']
Shape: [1, 2] Dtype: float32 [[1. 2.]]
[ 0.5 -0.5]
[[1. 2.]]
"""
