"""``tf.keras.datasets.reuters``: 11,228 Reuters newswires labelled with one of 46 topics,
each a list of word indices ranked by word frequency (see ``get_word_index``)."""

import numpy as np

from ._common import ORIGIN, fetch, load_npz, shuffled
from ._sequences import as_objects, clip_vocabulary, drop_long, shift, word_index

_SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"

_TOPICS = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade reserves "
    "ship cotton carcass crude nat-gas cpi money-fx interest gnp meal-feed alum oilseed gold tin "
    "strategic-metal livestock retail ipi iron-steel rubber heat jobs lei bop zinc orange "
    "pet-chem dlr gas silver wpi hog lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """``(x_train, y_train), (x_test, y_test)``: object arrays of lists of word indices and
    the topic labels, shuffled by ``np.random.RandomState(seed)`` then split, the last
    ``test_split`` of them for testing. The sequence arguments work as in ``imdb.load_data``."""
    f = load_npz(fetch(path, _SHA256, origin=ORIGIN + "reuters.npz"))
    xs, labels = shuffled(seed, f["x"], f["y"])
    if start_char is not None or index_from:
        xs = shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = drop_long(maxlen, xs, labels)
    xs = clip_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((as_objects(xs[:cut]), np.array(labels[:cut])),
            (as_objects(xs[cut:]), np.array(labels[cut:])))


def get_word_index(path="reuters_word_index.json"):
    """The ``{word: index}`` dict of the Reuters newswires (before ``index_from`` is added)."""
    return word_index(path, "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921")


def get_label_names():
    """The 46 topic names, indexed by label."""
    return tuple(_TOPICS.split())
