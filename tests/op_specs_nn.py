"""Op-table rows for the neural-network family (tf.nn): activations, softmax and losses,
normalization, convolution and pooling. Draws keep clear of kinks and pooling ties."""

import numpy as np

import tapeflow as tf
from tapeflow.ops.nn_ops import CONV2D_BACKPROP_INPUT_LIKE

from op_spec_base import UNARY, OpSpec, away_from_zero, per_arg, uniform


def _probabilities(rng, shape, i):
    p = rng.uniform(0.1, 1.0, size=shape)
    return p / p.sum(axis=-1, keepdims=True)


def _tie_free(rng, shape, i):
    """A random permutation of well-separated values: no two pooled entries tie."""
    return rng.permutation(np.arange(int(np.prod(shape)))).reshape(shape) * 0.1 - 1.0


def _seeded_dropout(x):
    """The same mask on every call, so finite differences see one function."""
    tf.random.set_seed(5)
    return tf.nn.dropout(x, 0.4, seed=3)


_LABELS = [1, 0, 2]

SPECS = [
    OpSpec("relu6", tf.nn.relu6, draw=per_arg(lambda rng, s, i: rng.choice(
        [-1.0, 1.0, 3.0, 5.5, 7.0], size=s) + rng.uniform(-0.3, 0.3, size=s))),
    OpSpec("leaky_relu", tf.nn.leaky_relu, draw=away_from_zero()),
    OpSpec("leaky_relu_alpha", lambda x: tf.nn.leaky_relu(x, alpha=0.5), draw=away_from_zero()),
    OpSpec("elu", tf.nn.elu, draw=away_from_zero()),
    OpSpec("selu", tf.nn.selu, draw=away_from_zero()),
    OpSpec("gelu", tf.nn.gelu, draw=uniform(-3.0, 3.0)),
    OpSpec("gelu_approximate", lambda x: tf.nn.gelu(x, approximate=True), draw=uniform(-3.0, 3.0)),
    OpSpec("silu", tf.nn.silu, draw=uniform(-4.0, 4.0)),
    OpSpec("swish_beta", lambda x, b: tf.nn.swish(x, beta=b), [((2, 3), ())]),
    OpSpec("softsign", tf.nn.softsign, draw=away_from_zero()),
    OpSpec("log_sigmoid", tf.math.log_sigmoid, draw=uniform(-4.0, 4.0)),
    OpSpec("softmax", tf.nn.softmax, [((3,),), ((2, 3),)]),
    OpSpec("softmax_axis0", lambda x: tf.nn.softmax(x, axis=0), [((3, 2),)]),
    OpSpec("log_softmax", tf.nn.log_softmax, [((3,),), ((2, 3),)]),
    OpSpec("log_softmax_axis", lambda x: tf.nn.log_softmax(x, axis=1), [((2, 3, 2),)]),
    OpSpec("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x), [((3,),), ((2, 3),)]),
    OpSpec("reduce_logsumexp_axis", lambda x: tf.reduce_logsumexp(x, axis=1, keepdims=True),
           [((2, 3, 2),)]),
    OpSpec("softmax_xent", lambda z, p: tf.nn.softmax_cross_entropy_with_logits(p, z),
           [((2, 3), (2, 3)), ((4,), (4,))], draw=per_arg(uniform(-2, 2), _probabilities)),
    OpSpec("softmax_xent_axis0", lambda z, p: tf.nn.softmax_cross_entropy_with_logits(
        tf.transpose(p), z, axis=0), [((3, 2), (2, 3))],
        draw=per_arg(uniform(-2, 2), _probabilities)),
    OpSpec("sparse_softmax_xent", lambda z: tf.nn.sparse_softmax_cross_entropy_with_logits(
        _LABELS, z), [((3, 4),)]),
    OpSpec("sigmoid_xent", lambda z, p: tf.nn.sigmoid_cross_entropy_with_logits(labels=p, logits=z),
           [((2, 3), (2, 3))], draw=per_arg(away_from_zero(0.2, 3.0), uniform(0.0, 1.0))),
    OpSpec("l2_loss", tf.nn.l2_loss, UNARY),
    OpSpec("l2_normalize", lambda x: tf.math.l2_normalize(x, axis=-1), [((3,),), ((2, 3),)]),
    OpSpec("dropout", _seeded_dropout, [((4, 5),)]),
    # TF stops the mean inside the variance: right at first order, not at second (as in TF).
    OpSpec("moments", lambda x: tf.nn.moments(x, axes=[0]), [((4, 3),)], order=1),
    OpSpec("batch_normalization", lambda x, m, v, o, s: tf.nn.batch_normalization(
        x, m, v, o, s, 1e-3), [((4, 3), (3,), (3,), (3,), (3,))],
        draw=per_arg(uniform(-2, 2), uniform(-1, 1), uniform(0.5, 2), uniform(-1, 1),
                     uniform(0.5, 2))),
    OpSpec("bias_add", tf.nn.bias_add, [((2, 3), (3,)), ((2, 2, 2, 3), (3,))]),
    OpSpec("bias_add_nchw", lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW"),
           [((2, 3, 2, 2), (3,))]),
    OpSpec("conv2d_same", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"),
           [((1, 4, 4, 2), (3, 3, 2, 2))]),
    OpSpec("conv2d_valid_strided", lambda x, w: tf.nn.conv2d(x, w, [2, 1], "VALID"),
           [((2, 5, 4, 1), (2, 2, 1, 3))]),
    OpSpec("conv2d_one_channel_dilated", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", dilations=2),
           [((2, 4, 5, 1), (2, 3, 1, 2))]),
    OpSpec("conv2d_dilated_explicit", lambda x, w: tf.nn.conv2d(
        x, w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]], dilations=2), [((1, 4, 4, 2), (2, 2, 2, 1))]),
    OpSpec("conv2d_transpose", lambda x, w: tf.nn.conv2d_transpose(x, w, [1, 5, 4, 2], 2, "SAME"),
           [((1, 3, 2, 3), (3, 2, 2, 3))]),
    OpSpec("conv1d", lambda x, w: tf.nn.conv1d(x, w, 2, "SAME"), [((2, 5, 2), (3, 2, 2))]),
    # the input gradient a traced conv uses when the input's height or width is unknown: the
    # sizes come from its third operand (which gets no gradient)
    OpSpec("conv2d_backprop_input_like", lambda dy, w: CONV2D_BACKPROP_INPUT_LIKE(
        w, dy, tf.zeros([2, 5, 4, 2]), strides=(2, 1), padding="SAME", dilations=(1, 1)),
        [((2, 3, 4, 3), (3, 2, 2, 3))]),
    OpSpec("max_pool2d", lambda x: tf.nn.max_pool2d(x, 2, 1, "SAME"), [((1, 3, 4, 2),)],
           draw=_tie_free),
    OpSpec("max_pool2d_strided", lambda x: tf.nn.max_pool2d(x, [2, 3], 2, "VALID"),
           [((2, 4, 5, 1),)], draw=_tie_free),
    # Squared so that the cotangent reaching MaxPoolGrad depends on x: MaxPoolGradGrad runs.
    OpSpec("max_pool2d_squared", lambda x: tf.square(tf.nn.max_pool2d(x, 2, 2, "SAME")),
           [((1, 3, 3, 2),)], draw=_tie_free),
    OpSpec("avg_pool2d", lambda x: tf.nn.avg_pool2d(x, 3, 2, "SAME"), [((1, 4, 5, 2),)]),
]
