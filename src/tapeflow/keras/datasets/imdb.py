"""``tf.keras.datasets.imdb``: 25,000 + 25,000 movie reviews labelled by sentiment (1 positive,
0 negative), each a list of word indices ranked by how often the word occurs (index 1 is the
most frequent word; ``get_word_index`` maps words to these ranks)."""

import numpy as np

from ._common import ORIGIN, fetch, load_npz
from ._sequences import as_objects, clip_vocabulary, drop_long, shift, word_index

_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
              oov_char=2, index_from=3, **kwargs):
    """``(x_train, y_train), (x_test, y_test)``: object arrays of lists of word indices and
    the label arrays, each split shuffled by ``np.random.RandomState(seed)``.

    Indices are raised by ``index_from`` and prefixed with ``start_char`` (None: no prefix);
    reviews of ``maxlen`` words or more are dropped; indices below ``skip_top`` or not below
    ``num_words`` become ``oov_char`` (None: they are removed)."""
    f = load_npz(fetch(path, _SHA256, origin=ORIGIN + "imdb.npz"))
    rng = np.random.RandomState(seed)
    parts = []
    for name in ("train", "test"):
        order = np.arange(len(f[f"x_{name}"]))
        rng.shuffle(order)  # one generator for both splits, train first
        parts.append([f[f"x_{name}"][order], f[f"y_{name}"][order]])
    for part in parts:
        part[0] = shift(part[0], start_char, index_from)
    if maxlen:
        for part in parts:
            part[:] = drop_long(maxlen, *part)
        if not parts[0][0] or not parts[1][0]:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no "
                             "sequence was kept. Increase maxlen.")
    xs = clip_vocabulary(parts[0][0] + parts[1][0], num_words, skip_top, oov_char)
    labels = np.concatenate([parts[0][1], parts[1][1]])
    cut = len(parts[0][0])
    return (as_objects(xs[:cut]), labels[:cut]), (as_objects(xs[cut:]), labels[cut:])


def get_word_index(path="imdb_word_index.json"):
    """The ``{word: index}`` dict of the IMDB reviews (before ``index_from`` is added)."""
    return word_index(path, "imdb_word_index.json", "bfafd718b763782e994055a2d397834f")
