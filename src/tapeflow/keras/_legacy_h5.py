"""Keras's legacy HDF5 weights (a ``.h5`` file not ending in ``.weights.h5``: what Keras 2's
``save_weights`` wrote, and the layout of the ImageNet weight files of
``tf.keras.applications``): the file's ``layer_names`` attribute lists the layers in order, each
layer's group its ``weight_names``; they load by position into the model's layers that have
weights, each layer's trainable weights first."""

import warnings


def _text(value):
    return value.decode("utf8") if isinstance(value, bytes) else str(value)


def _names(group, attr):
    """An attribute holding a list of names (Keras splits long ones into ``attr0``, ``attr1``)."""
    if attr in group.attrs:
        return [_text(n) for n in group.attrs[attr]]
    out, i = [], 0
    while f"{attr}{i}" in group.attrs:
        out += [_text(n) for n in group.attrs[f"{attr}{i}"]]
        i += 1
    return out


def _layer_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def load_weights(model, f, skip_mismatch=False):
    """Assign the weights in the open h5py file ``f`` (legacy layout) to ``model``."""
    if "layer_names" not in f.attrs and "model_weights" in f:
        f = f["model_weights"]
    layers = [layer for layer in model.layers if _layer_weights(layer)]
    names = [n for n in _names(f, "layer_names") if _names(f[n], "weight_names")]
    if len(names) != len(layers):
        raise ValueError("Layer count mismatch when loading weights from file. Model expected "
                         f"{len(layers)} layers, found {len(names)} saved layers.")
    for k, (name, layer) in enumerate(zip(names, layers)):
        group = f[name]
        values = [group[w][()] for w in _names(group, "weight_names")]
        targets = _layer_weights(layer)
        if len(values) != len(targets):
            raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name} in the "
                             f"current model, {name} in the save file). Layer expects "
                             f"{len(targets)} weight(s). Received {len(values)} saved weight(s)")
        where = f"layer #{k} (named {layer.name})"
        for var, value in zip(targets, values):
            expected = tuple(var.shape.as_list())
            if expected != tuple(value.shape):
                shapes = (f"Weight expects shape {expected}. Received saved weight with shape "
                          f"{tuple(value.shape)}")
                if not skip_mismatch:
                    raise ValueError(f"Shape mismatch in {where}for weight {var.path}. {shapes}")
                warnings.warn(f"Skipping loading weights for {where}due to mismatch in shape "
                              f"for weight {var.path}. {shapes}", stacklevel=3)
                continue
            var.assign(value)
