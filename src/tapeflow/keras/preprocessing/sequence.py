"""``keras.preprocessing.sequence``: padding sequences to one length."""

from ..utils._data import pad_sequences  # noqa: F401
