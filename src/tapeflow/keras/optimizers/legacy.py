"""``tf.keras.optimizers.legacy``: Keras 2's optimizers, which Keras 3 refuses with an error."""

_MESSAGE = ("`keras.optimizers.legacy` is not supported in Keras 3. When using `tf.keras`, to "
            "continue using a `tf.keras.optimizers.legacy` optimizer, you can install the "
            "`tf_keras` package (Keras 2) and set the environment variable "
            "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use `tf_keras` when accessing "
            "`tf.keras`.")


class _Legacy:
    def __init__(self, *args, **kwargs):
        raise ImportError(_MESSAGE)


class Optimizer(_Legacy):
    pass


class Adagrad(_Legacy):
    pass


class Adam(_Legacy):
    pass


class Ftrl(_Legacy):
    pass


class RMSprop(_Legacy):
    pass


class SGD(_Legacy):
    pass
