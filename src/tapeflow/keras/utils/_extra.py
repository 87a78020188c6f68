"""``keras.utils``'s session, logging and functional-graph helpers."""

from ..config import (disable_interactive_logging, enable_interactive_logging,  # noqa: F401
                      is_interactive_logging_enabled)


def clear_session(free_memory=True):
    """Resets Keras's global state: the automatic layer names (``dense``, ``dense_1``...)."""
    from .. import backend
    backend.clear_session(free_memory)


def is_keras_tensor(x):
    from ..models.functional import KerasTensor
    return isinstance(x, KerasTensor)


def get_source_inputs(tensor):
    """The ``Input`` tensors a functional ``KerasTensor`` was computed from."""
    from ..layers.layer import _flatten
    from ..models.functional import KerasTensor
    if not isinstance(tensor, KerasTensor):
        return [tensor]
    found, todo, seen = [], [tensor], set()
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        layer, node_index, _ = t._history
        inbound = getattr(layer, "_inbound", None) if layer is not None else None
        if not inbound:
            found.append(t)
            continue
        args, kwargs, _ = inbound[node_index]
        parents = [p for p in _flatten([list(args), kwargs]) if isinstance(p, KerasTensor)]
        if not parents:
            found.append(t)
        todo += reversed(parents)
    return found
