"""``keras.layers.TFSMLayer``: a SavedModel's endpoint as a layer (inference, or training
through its variables), as Keras 3 offers for models exported with ``model.export``."""

import tapeflow as tf

from .layer import Layer, base_config


class TFSMLayer(Layer):
    """Calls ``call_endpoint`` (an attribute of the loaded SavedModel or one of its signatures)
    of the SavedModel at ``filepath``; ``call_training_endpoint`` when called with
    ``training=True``. Its weights are the SavedModel's variables."""

    def __init__(self, filepath, call_endpoint="serve", call_training_endpoint=None,
                 trainable=True, name=None, dtype=None):
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        self._reloaded_obj = tf.saved_model.load(filepath)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self._call_fn = self._endpoint(call_endpoint, "call_endpoint")
        self._training_fn = (None if call_training_endpoint is None else
                             self._endpoint(call_training_endpoint, "call_training_endpoint"))
        self._made_trainable = list(self._reloaded_obj.trainable_variables)
        self.trainable = trainable
        self.built = True

    def _endpoint(self, name, argument):
        obj = self._reloaded_obj
        found = getattr(obj, name, None)
        if found is None:
            found = obj.signatures.get(name)
        if found is None:
            available = list(dict.fromkeys(
                [a for a in ("serve",) if hasattr(obj, a)] + list(obj.signatures.keys())))
            raise ValueError(f"The endpoint '{name}' is neither an attribute of the reloaded "
                             "SavedModel, nor an entry in the `signatures` field of the reloaded "
                             f"SavedModel. Select another endpoint via the `{argument}` "
                             f"argument. Available endpoints for this SavedModel: {available}")
        return found

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freezing the layer freezes the SavedModel's trainable variables (as Keras's
        setter does for a layer's weights)."""
        self._trainable = bool(value)
        for v in getattr(self, "_made_trainable", ()):
            v._handle.trainable = self._trainable

    # the SavedModel's variables are the layer's weights
    @property
    def weights(self):
        return list(self._reloaded_obj.variables)

    variables = weights

    def call(self, inputs, training=False, **kwargs):
        fn = self._training_fn if training and self._training_fn is not None else self._call_fn
        return fn(inputs, **kwargs)

    def get_config(self):
        return {**base_config(self), "filepath": self.filepath,
                "call_endpoint": self.call_endpoint,
                "call_training_endpoint": self.call_training_endpoint}
