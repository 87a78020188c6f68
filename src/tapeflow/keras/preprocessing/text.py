"""``keras.preprocessing.text``: Keras 2's word tokenizing helpers, kept by TF 2.21's tf.keras.

``Tokenizer`` numbers words by falling frequency (ties in order of first appearance), index 1
going to ``oov_token`` when one is given; index 0 is never a word.
"""

import collections as _collections
import hashlib as _hashlib
import json as _json
import math as _math

import numpy as _np

_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=_FILTERS, lower=True, split=" "):
    """The words of ``input_text``: lower-cased, ``filters`` characters turned into ``split``."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [w for w in input_text.split(split) if w]


def hashing_trick(text, n, hash_function=None, filters=_FILTERS, lower=True, split=" ",
                  analyzer=None):
    """Each word as ``hash(word) % (n - 1) + 1`` (``hash_function``: ``hash``, ``"md5"`` or a
    function of a string)."""
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(w):
            return int(_hashlib.md5(w.encode()).hexdigest(), 16)
    words = analyzer(text) if analyzer is not None else \
        text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    return [hash_function(w) % (n - 1) + 1 for w in words]


def one_hot(input_text, n, filters=_FILTERS, lower=True, split=" ", analyzer=None):
    """``hashing_trick`` with Python's ``hash``: word indices in ``[1, n)``."""
    return hashing_trick(input_text, n, hash, filters, lower, split, analyzer)


class Tokenizer:
    """Learns a vocabulary from texts (``fit_on_texts``) and maps texts to word indices or to
    bag-of-words matrices."""

    def __init__(self, num_words=None, filters=_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, analyzer=None, **kwargs):
        document_count = kwargs.pop("document_count", 0)
        kwargs.pop("num_words", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.word_counts = _collections.OrderedDict()
        self.word_docs = _collections.defaultdict(int)
        self.filters, self.split, self.lower = filters, split, lower
        self.num_words, self.document_count = num_words, document_count
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer
        self.index_docs = _collections.defaultdict(int)
        self.word_index, self.index_word = {}, {}

    def _words(self, text):
        if self.char_level or isinstance(text, list):
            return [t.lower() for t in text] if self.lower and not isinstance(text, list) \
                else list(text)
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower,
                                     split=self.split)

    def fit_on_texts(self, texts):
        for text in texts:
            self.document_count += 1
            words = self._words(text)
            for w in words:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(words):
                self.word_docs[w] += 1
        ranked = sorted(self.word_counts.items(), key=lambda item: -item[1])
        vocabulary = ([self.oov_token] if self.oov_token is not None else []) + \
            [w for w, _ in ranked]
        self.word_index = {w: i for i, w in enumerate(vocabulary, start=1)}
        self.index_word = {i: w for w, i in self.word_index.items()}
        self.index_docs = _collections.defaultdict(int)
        for w, count in self.word_docs.items():
            self.index_docs[self.word_index[w]] = count

    def fit_on_sequences(self, sequences):
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def _index(self, word):
        """The word's index, or the OOV index, or None (dropped)."""
        i = self.word_index.get(word)
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        if i is not None and (not self.num_words or i < self.num_words):
            return i
        return oov

    def texts_to_sequences(self, texts):
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        for text in texts:
            yield [i for i in (self._index(w) for w in self._words(text)) if i is not None]

    def sequences_to_texts(self, sequences):
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        oov = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for seq in sequences:
            words = []
            for i in seq:
                word = self.index_word.get(i)
                if word is not None and (not self.num_words or i < self.num_words):
                    words.append(word)
                elif oov is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """``(len(sequences), num_words)`` rows: ``binary``, ``count``, ``freq`` or ``tfidf``
        (``(1 + log count) * log(1 + docs / (1 + docs with the word))``)."""
        width = self.num_words or (len(self.word_index) + 1 if self.word_index else None)
        if width is None:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text "
                             "data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError("Unknown vectorization mode:", mode)
        out = _np.zeros((len(sequences), width))
        for row, seq in enumerate(sequences):
            counts = _collections.Counter(j for j in seq if j < width)
            for j, c in counts.items():
                if mode == "binary":
                    out[row, j] = 1
                elif mode == "count":
                    out[row, j] = c
                elif mode == "freq":
                    out[row, j] = c / len(seq)
                else:
                    idf = _math.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    out[row, j] = (1 + _math.log(c)) * idf
        return out

    def get_config(self):
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower,
                "split": self.split, "char_level": self.char_level,
                "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": _json.dumps(self.word_counts),
                "word_docs": _json.dumps(self.word_docs),
                "index_docs": _json.dumps(self.index_docs),
                "index_word": _json.dumps(self.index_word),
                "word_index": _json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        return _json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                           **kwargs)


def tokenizer_from_json(json_string):
    config = dict(_json.loads(json_string)["config"])
    tables = {k: _json.loads(config.pop(k)) for k in ("word_counts", "word_docs", "index_docs",
                                                       "word_index", "index_word")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = _collections.OrderedDict(tables["word_counts"])
    tokenizer.word_docs = _collections.defaultdict(int, tables["word_docs"])
    tokenizer.index_docs = _collections.defaultdict(int, {int(k): v for k, v in
                                                           tables["index_docs"].items()})
    tokenizer.word_index = tables["word_index"]
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    return tokenizer
