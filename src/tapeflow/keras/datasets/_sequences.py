"""The word-index sequence processing the IMDB and Reuters loaders share: shifted indices with
a start marker, dropping long reviews, and mapping rare or too-frequent words to ``oov_char``."""

import json

import numpy as np

from ._common import ORIGIN, fetch


def shift(xs, start_char, index_from):
    """Each sequence as a list, its word indices raised by ``index_from``, ``start_char`` first."""
    head = [] if start_char is None else [start_char]
    return [head + [w + index_from for w in x] for x in xs]


def drop_long(maxlen, xs, labels):
    """The sequences shorter than ``maxlen`` (lists) and their labels (a list)."""
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def clip_vocabulary(xs, num_words, skip_top, oov_char):
    """Words outside ``[skip_top, num_words)`` become ``oov_char`` (dropped when it is None);
    ``num_words`` defaults to the largest index present."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is None:
        return [[w for w in x if skip_top <= w < num_words] for x in xs]
    return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]


def word_index(path, name, file_hash):
    """The ``{word: index}`` dict of a dataset's word-index JSON file."""
    with open(fetch(path, file_hash, origin=ORIGIN + name)) as f:
        return json.load(f)


def as_objects(xs):
    return np.array(xs, dtype="object")
