"""tf.experimental.ExtensionType's core: fields, conversion, defaults, custom constructors,
validation, immutability, repr, ==, Spec and type_spec_from_value. Expected texts are what
TensorFlow 2.21 prints for the same snippets (written afresh, not the guide's code)."""

from typing import List, Mapping, Optional, Tuple, Union

import pytest

import tapeflow as tf


class Pair(tf.experimental.ExtensionType):
    left: tf.Tensor
    right: tf.Tensor


class Item(tf.experimental.ExtensionType):
    label: str = "none"
    count: tf.Tensor = 2
    extra: Optional[tf.Tensor] = None


def test_fields_are_converted_and_shown():
    p = Pair([1, 2], [True, False])
    assert str(p.left) == "tf.Tensor([1 2], shape=(2,), dtype=int32)"
    assert repr(p) == (
        "Pair(left=<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>, "
        "right=<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>)")
    assert repr(Item()) == ("Item(label='none', count=<tf.Tensor: shape=(), dtype=int32, "
                            "numpy=2>, extra=None)")
    with pytest.raises(TypeError, match="^right: expected a Tensor, got 'NoneType'$"):
        Pair([1], None)


def test_equality_is_a_tensor():
    a, b = Pair([1, 2], [3, 4]), Pair([[1, 2]], [[3, 4]])
    assert f"{a == a}" == "True"
    assert f"{a == b}" == "False"  # other shapes: other spec
    assert (a == a.left) is False
    assert f"{a != Pair([1, 5], [3, 4])}" == "True"


def test_immutable_outside_the_constructor():
    p = Pair([1], [2])
    for action in (lambda: setattr(p, "left", [3]), lambda: delattr(p, "left")):
        with pytest.raises(AttributeError, match="^Cannot mutate attribute `left` outside the "
                           "custom constructor of ExtensionType.$"):
            action()


class Checked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    def __validate__(self):
        self.values.shape.assert_is_compatible_with(self.mask.shape)
        assert self.mask.dtype.is_bool, "mask must be bool"


def test_validate_runs_after_conversion():
    with pytest.raises(AssertionError, match="^mask must be bool"):
        Checked([1, 2], [0, 1])
    with pytest.raises(ValueError, match=r"^Shapes \(3,\) and \(2,\) are incompatible$"):
        Checked([1, 2, 3], [True, False])


class Priced(tf.experimental.ExtensionType):
    name: str
    price: tf.Tensor

    def __init__(self, name, price, off=0):
        self.name = name
        self.price = price * (1 - off)


class Tree(tf.experimental.ExtensionType):
    value: tf.Tensor
    kids: Tuple[Pair, ...] = ()
    tags: Mapping[str, tf.Tensor] = {}


def test_custom_constructor_nested_fields_and_subclass_fields():
    assert repr(Priced("ball", 5.0, off=0.2)) == (
        "Priced(name='ball', price=<tf.Tensor: shape=(), dtype=float32, numpy=4.0>)")
    t = Tree(1, [Pair(1, 2)], {"a": 1.5})
    assert isinstance(t.kids, tuple) and isinstance(t.kids[0], Pair)
    assert repr(t.tags) == ("ImmutableDict({'a': <tf.Tensor: shape=(), dtype=float32, "
                            "numpy=1.5>})")

    class Wider(Pair):
        extra: tf.Tensor

    w = Wider(1, 2, 3)  # the base's fields first
    assert (int(w.left), int(w.right), int(w.extra)) == (1, 2, 3)
    assert ".<locals>.Wider(left=<tf.Tensor" in repr(w)

    class Node(tf.experimental.ExtensionType):
        kids: Tuple["Node", ...] = ()

    leaf = Node()  # nothing to convert yet
    with pytest.raises(TypeError, match=r"^kids\[0\]: Unsupported type annotation "
                       r"ForwardRef\('Node'\)$"):
        Node([leaf])


def test_spec():
    t = Tree(1, [], {"h": 2.0, "s": 3.0})
    spec = tf.type_spec_from_value(t)
    assert repr(spec.value) == "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    assert repr(spec.tags) == (
        "ImmutableDict({'h': TensorSpec(shape=(), dtype=tf.float32, name=None), "
        "'s': TensorSpec(shape=(), dtype=tf.float32, name=None)})")
    assert spec == tf.type_spec_from_value(Tree(5, [], {"h": 1.0, "s": 1.0}))
    assert spec != tf.type_spec_from_value(Tree(5, [], {"h": 1.0}))
    built = Pair.Spec(tf.TensorSpec([2]), tf.TensorSpec([2]))
    assert built.left == tf.TensorSpec([2]) and built.value_type is Pair


class Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor


def _masked(x):
    return x if isinstance(x, Masked) else Masked(x, tf.ones_like(x, tf.bool))


def test_dispatch_for_api_and_unregister():
    @tf.experimental.dispatch_for_api(tf.stack)
    def stack_masked(values: List[Union[Masked, tf.Tensor]], axis=0):
        values = [_masked(v) for v in values]  # tf.stack of plain tensors: not dispatched
        return Masked(tf.stack([v.values for v in values], axis),
                      tf.stack([v.mask for v in values], axis))

    try:
        out = tf.stack([Masked([1, 2], [True, False]), tf.constant([3, 4])])
        assert isinstance(out, Masked)
        assert out.mask.numpy().tolist() == [[True, False], [True, True]]
        assert str(tf.stack([[1], [2]])) == "tf.Tensor(\n[[1]\n [2]], shape=(2, 1), dtype=int32)"
    finally:
        tf.experimental.unregister_dispatch_for(stack_masked)
    with pytest.raises(ValueError, match="Attempt to convert a value"):
        tf.stack([Masked([1, 2], [True, False])])


def test_elementwise_dispatch():
    @tf.experimental.dispatch_for_unary_elementwise_apis(Masked)
    def unary(api_func, x):
        return Masked(api_func(x.values), x.mask)

    @tf.experimental.dispatch_for_binary_elementwise_apis(Masked, Masked)
    def binary(api_func, x, y):
        return Masked(api_func(x.values, y.values), x.mask & y.mask)

    try:
        x = Masked([1, -2, -3], [True, False, True])
        assert tf.abs(x).values.numpy().tolist() == [1, 2, 3]
        assert tf.math.abs(x).mask.numpy().tolist() == [True, False, True]
        total = tf.math.add(x, Masked([[4], [5]], [[True], [False]]))
        assert total.values.numpy().tolist() == [[5, 2, 1], [6, 3, 2]]
        assert total.mask.numpy().tolist() == [[True, False, True], [False, False, False]]
        assert tf.abs(tf.constant(-1)).numpy() == 1
    finally:
        tf.experimental.unregister_dispatch_for(unary)
        tf.experimental.unregister_dispatch_for(binary)
    from tapeflow.ops import _helpers, math_ops
    assert tf.abs is tf.math.abs is _helpers.exported(math_ops.abs)  # the plain API again
