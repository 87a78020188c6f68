"""``tf.Module`` (``tf.function`` and ``tf.TensorSpec`` live in ``tapeflow.tracing``)."""

import re

from .framework.tensor_spec import TensorSpec  # noqa: F401  (tf.TensorSpec; re-exported)
from .framework.variable import Variable

from .framework import trackable  # noqa: E402  (checkpoint hooks)


class Module:
    """A container that finds the Variables and sub-Modules stored in its attributes."""

    def __init__(self, name=None):
        self._name = _snake(type(self).__name__) if name is None else name

    @property
    def name(self):
        return self._name

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if trackable._waiting:  # a checkpoint restore waits for dependencies created later
            trackable.notify_dependency(self, name, value)

    def _trackable_children(self):
        """Checkpoint dependencies: trackable attributes, in the order first assigned."""
        return trackable.attribute_children(self)

    @property
    def variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable)))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and x.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and not x.trainable))

    @property
    def submodules(self):
        return tuple(self._flatten(lambda x: isinstance(x, Module)))

    def _flatten(self, predicate):
        """Matching objects among the attributes (in name order), then those of each sub-Module
        found, in the order found: TF's walk, which lists a module's own variables first."""
        seen, out = {id(self)}, []

        def leaves(value):
            if isinstance(value, dict):
                for key in sorted(value, key=str):
                    yield from leaves(value[key])
            elif isinstance(value, list | tuple):
                for item in value:
                    yield from leaves(item)
            elif isinstance(value, Module | Variable):
                yield value

        def visit(module, depth):
            found = []
            for key in sorted(vars(module)):
                if key.startswith("_module_"):
                    continue
                for leaf in leaves(getattr(module, key)):
                    if id(leaf) in seen:
                        continue
                    seen.add(id(leaf))
                    if predicate(leaf):
                        out.append(leaf)
                    if isinstance(leaf, Module):
                        found.append(leaf)
            if depth < 100:
                for sub in found:
                    visit(sub, depth + 1)

        visit(self, 0)
        return out


def _snake(name):
    """``MyMLPBlock`` -> ``my_mlp_block``: an underscore before each capital that follows a
    lower-case letter or digit, or that starts a capitalised word."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


def function(*args, **kwargs):
    """``tf.function`` (see :mod:`tapeflow.tracing`)."""
    from .tracing.polymorphic_function import function as make
    return make(*args, **kwargs)
