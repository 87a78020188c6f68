"""Names a module fetches from another only when first asked for (PEP 562): for what costs
import time or lives a tier above (``tf.linalg``'s LinearOperators, ``keras.wrappers``)."""


def lazy_names(namespace, names, load):
    """The ``__getattr__`` and ``__dir__`` of the module whose globals are ``namespace``: each of
    ``names`` comes from the module ``load()`` returns, and is kept once fetched."""

    def __getattr__(name):
        if name in names:
            value = namespace[name] = getattr(load(), name)
            return value
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
