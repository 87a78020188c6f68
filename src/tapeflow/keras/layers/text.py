"""The lookup and text preprocessing layers: ``StringLookup``, ``IntegerLookup`` and
``TextVectorization``. Tokens are handled in Python (strings as UTF-8 bytes, as TF's string
tensors hold them); the outputs are tensors, as Keras's: int64 indices or counts, float32 TF-IDF.

The vocabulary an ``adapt`` learns is Keras's: the special tokens first (the mask token, then one
OOV token per OOV index), then the tokens by decreasing count, equal counts by decreasing token."""

import collections
import math
import os
import string

import numpy as np

import tapeflow as tf

from ...framework import errors
from ...ops import string_ops
from .hashing import check_string_arg, salt_keys
from .layer import Layer, base_config

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_PUNCTUATION = string.punctuation.encode()


def _as_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, np.bytes_ | np.str_):
        return _as_bytes(value.item())
    raise TypeError(f"Expected a string, got {value!r} of type {type(value).__name__}")


def _numpy(data):
    """Tensors, NumPy arrays and (nested) lists as a NumPy array (strings as an object array of
    bytes)."""
    if isinstance(data, tf.Tensor | tf.Variable):
        return data.numpy()
    array = np.asarray(data)
    if array.dtype.kind in "USO":
        flat = [_as_bytes(v) for v in array.reshape(-1)]
        out = np.empty(len(flat), object)
        out[:] = flat
        return out.reshape(array.shape)
    return array


def _batches(data):
    """``adapt``'s data as NumPy batches: a Dataset batch by batch, anything else at once."""
    if isinstance(data, tf.data.Dataset):
        return (_numpy(batch) for batch in data)
    return iter([_numpy(data)])


def _numpy_call(layer, inputs):
    """``layer._compute`` on the input's values; inside a ``tf.function``, a ``numpy_function``
    that does it when the graph runs."""
    if tf.is_symbolic_tensor(inputs):
        return tf.numpy_function(lambda values: layer._compute(values).numpy(), [inputs],
                                 layer._output_dtype(), stateful=False)
    return layer._compute(inputs.numpy())


class _IndexLookup(Layer):
    """What StringLookup and IntegerLookup share: the vocabulary, ``adapt`` and the encodings."""

    _vocabulary_dtype = "string"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, oov_method="floormod", salt=None,
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        caller = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"`num_oov_indices` must be greater than or equal to 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        check_string_arg(oov_method, ("floormod", "farmhash"), caller, "oov_method")
        if salt is not None:
            if self._vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. "
                                 f"Received: oov_method={oov_method}")
            salt = salt_keys(salt, "IndexLookup", "2")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_string_arg(output_mode, _MODES, caller, "output_mode")
        if invert and output_mode != "int":
            raise ValueError(f"`output_mode` must be `'int'` when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `'one_hot'`, "
                             f"`'multi_hot'`, `'count'` or `'tf_idf'`. Received: sparse={sparse} "
                             f"and output_mode={output_mode}")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
                             f"Received: idf_weights={idf_weights} and "
                             f"output_mode={output_mode}")
        if sparse:
            raise NotImplementedError("tapeflow's lookup layers return dense tensors: use "
                                      "sparse=False")
        self.max_tokens, self.num_oov_indices = max_tokens, num_oov_indices
        self.oov_method, self.salt = oov_method, salt
        self.mask_token, self.oov_token = mask_token, oov_token
        self.invert, self.output_mode = invert, output_mode
        self.pad_to_max_tokens, self.sparse = pad_to_max_tokens, sparse
        self._tokens = None  # the learned (or given) tokens, without the special ones
        self._index = {}
        self._idf = None
        self._has_input_vocabulary = vocabulary is not None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if `vocabulary` is also set.")

    # --- tokens ----------------------------------------------------------------------------
    def _key(self, value):
        """A token as the lookup table keys it (bytes for strings, int for integers)."""
        return _as_bytes(value)

    def _out(self, key):
        """A token as ``get_vocabulary`` lists it (a NumPy string, as Keras's)."""
        return np.str_(key.decode("utf-8"))

    @property
    def _mask_slot(self):
        """Whether the mask token has an index (0): in "int" mode only; the other modes leave
        it out of the vocabulary and their counts."""
        return self.mask_token is not None and self.output_mode == "int"

    def _special(self):
        out = [self._key(self.mask_token)] if self._mask_slot else []
        return out + [self._key(self.oov_token)] * self.num_oov_indices

    def _token_start(self):
        return self._mask_slot + self.num_oov_indices

    def set_vocabulary(self, vocabulary, idf_weights=None):
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line.rstrip("\n") for line in f]
        tokens = [self._key(v) for v in _numpy(vocabulary).reshape(-1)]
        special = self._special()
        if tokens[:len(special)] == special:
            tokens = tokens[len(special):]  # a vocabulary as get_vocabulary() gave it
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            shown = [self._out(t) for t in repeated]
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please "
                             f"uniquify your dataset. The repeated terms are: {shown}")
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output "
                                 "mode, the `idf_weights` argument must also be provided.")
            idf = np.asarray(idf_weights, np.float32).reshape(-1)
            if len(idf) == len(tokens):  # the OOV weight is the mean, as after adapt
                idf = np.concatenate([np.full(self.num_oov_indices, idf.mean(), np.float32),
                                      idf])
            self._idf = idf
        self._set_tokens(tokens)
        self._has_input_vocabulary = True

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}

    def get_vocabulary(self, include_special_tokens=True):
        tokens = [self._out(t) for t in (self._tokens or [])]
        if not include_special_tokens:
            return tokens
        special = [t.decode("utf-8") if isinstance(t, bytes) else t for t in self._special()]
        return special + tokens

    def vocabulary_size(self):
        return self._token_start() + len(self._tokens or [])

    @property
    def idf_weights(self):
        return None if self._idf is None else tf.constant(self._idf)

    # --- .keras assets: a learned vocabulary is a file, as Keras writes it ----------------------
    def save_assets(self, dir_path):
        if self._has_input_vocabulary or self._tokens is None:
            return  # a given vocabulary is in the config
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary()))

    def load_assets(self, dir_path):
        if self._has_input_vocabulary:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        tokens = [self._key(v) for v in lines]
        special = self._special()
        self._set_tokens(tokens[len(special):] if tokens[:len(special)] == special else tokens)

    # --- adapt -----------------------------------------------------------------------------
    def adapt(self, data, steps=None, documents=None):
        """Learn the vocabulary (and the IDF weights) from ``data``; ``documents`` turns a batch
        into token lists (TextVectorization's tokenizer; by default the batch's rows)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             f"vocabulary via `vocabulary` argument or `set_vocabulary()` method.")
        counts, docs, n_docs = collections.Counter(), collections.Counter(), 0
        for i, batch in enumerate(_batches(data)):
            if steps is not None and i >= steps:
                break
            for doc in (documents or self._documents)(batch):
                keys = [self._key(t) for t in doc]
                counts.update(keys)
                docs.update(set(keys))
                n_docs += 1
        self._learn(counts, docs, n_docs)

    def _documents(self, batch):
        """The token lists ``adapt`` counts: a 1-D batch is one document, else one per row."""
        batch = np.asarray(batch, object)
        if batch.ndim <= 1:
            return [list(batch.reshape(-1))]
        return [list(row.reshape(-1)) for row in batch]

    def _learn(self, counts, docs, n_docs):
        for token in self._special():
            counts.pop(token, None)
        ranked = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens:
            ranked = ranked[:self.max_tokens - self._token_start()]
        self._set_tokens(ranked)
        if self.output_mode == "tf_idf":
            idf = np.array([math.log(1 + n_docs / (1 + docs[t])) for t in ranked], np.float32)
            oov = np.full(self.num_oov_indices, idf.mean() if len(idf) else 0.0, np.float32)
            idf = np.concatenate([oov, idf]).astype(np.float32)
            if self.pad_to_max_tokens and self.max_tokens:
                idf = np.pad(idf, (0, self.max_tokens - len(idf)))
            self._idf = idf

    # --- calling ---------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | str | bytes | int | np.ndarray):
            inputs = tf.convert_to_tensor(_numpy(inputs))
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, x):
        return x

    def _check_ready(self):
        if self._tokens is None:
            raise errors.FailedPreconditionError(
                None, None, "Table not initialized. (call `adapt()` or pass a `vocabulary`)")

    def _lookup(self, values):
        """Indices of the tokens in ``values`` (an array), the mask token at 0, OOV at the OOV
        index. (Without a vocabulary, only empty strings, as a model's symbolic build passes.)"""
        mask = None if self.mask_token is None else self._key(self.mask_token)
        if self._tokens is None and all(v in (b"", mask) for v in values.reshape(-1)):
            return np.zeros(values.shape, np.int64)
        self._check_ready()
        masked = 0 if self._mask_slot else -1  # -1: left out of the counts
        index = self._index
        keys = [self._key(v) for v in values.reshape(-1)]
        flat = np.fromiter((masked if k == mask else index.get(k, -2) for k in keys), np.int64,
                           values.size)  # -2: out of the vocabulary
        oov = flat == -2
        if self.num_oov_indices and oov.any():
            flat[oov] = int(self._mask_slot) + self._oov_buckets(
                [k for k, o in zip(keys, oov) if o])
        if not self.num_oov_indices and oov.any():
            tokens = [self._out(self._key(v)) for v in values.reshape(-1)[flat == -2]]
            found = " ".join(f'"{t}"' if isinstance(t, str) else str(t) for t in tokens)
            raise errors.InvalidArgumentError(
                None, None, f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                f"Summarized data: b'When `num_oov_indices=0` all inputs should be in "
                f"vocabulary, found OOV values [{found}], consider setting "
                f"`num_oov_indices=1`.'")
        return flat.reshape(values.shape)

    def _oov_buckets(self, keys):
        """The OOV index (from 0) of each out-of-vocabulary token, as Keras picks it: integers
        by floor modulo (unless ``oov_method="farmhash"``), strings and the decimal text of
        integers by FarmHash, or by SipHash keyed by ``salt``."""
        count = self.num_oov_indices
        if count == 1:
            return np.zeros(len(keys), np.int64)
        if self._vocabulary_dtype != "string":
            if self.oov_method == "floormod":
                return np.array(keys, np.int64) % count
            keys = [str(k).encode() for k in keys]
        if self.salt is not None:
            return string_ops.buckets(keys, count, string_ops.siphash, key=self.salt)
        return string_ops.buckets(keys, count)

    def _invert(self, ids):
        self._check_ready()
        vocab = self._special() + self._tokens
        out = np.empty(ids.size, object)
        for i, j in enumerate(ids.reshape(-1)):
            out[i] = vocab[j] if 0 <= j < len(vocab) else self._key(self.oov_token)
        return out.reshape(ids.shape)

    def _output_dtype(self):
        if self.invert:
            return tf.string if self._vocabulary_dtype == "string" else tf.int64
        return tf.float32 if self.output_mode == "tf_idf" else tf.int64

    def call(self, inputs):
        return _numpy_call(self, inputs)

    def _compute(self, values):
        values = _numpy(values)
        if self.invert:
            return tf.constant(self._invert(values.astype(np.int64)))
        return self._encode(self._lookup(values))

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _encode(self, ids, rows=None):
        """``ids`` in the output mode. ``rows``: for the bag modes, the per-sample index lists
        (``ids``' rows otherwise; a 1-D ``ids`` is one sample but for one_hot)."""
        if self.output_mode == "int":
            return tf.constant(ids.astype(np.int64))
        depth = self._depth()
        if self.output_mode == "one_hot":
            squeeze = ids.ndim > 1 and ids.shape[-1] == 1
            flat = ids[..., 0] if squeeze else ids
            out = np.zeros(flat.shape + (depth,), np.int64)
            valid = (flat >= 0) & (flat < depth)
            np.put_along_axis(out, np.where(valid, flat, 0)[..., None], valid[..., None], -1)
            return tf.constant(out)
        single = rows is None and ids.ndim <= 1
        if rows is None:
            rows = [ids.reshape(-1)] if single else list(ids.reshape(-1, ids.shape[-1]))
        out = np.zeros((len(rows), depth), np.float32 if self.output_mode == "tf_idf" else
                       np.int64)
        for r, row in enumerate(rows):
            row = np.asarray(row, np.int64)
            row = row[(row >= 0) & (row < depth)]
            np.add.at(out[r], row, 1)
        if self.output_mode == "multi_hot":
            out = np.minimum(out, 1)
        elif self.output_mode == "tf_idf":
            if self._idf is None and out.any():
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                                 "provided.")
            idf = np.zeros(depth, np.float32)
            known = np.zeros(0, np.float32) if self._idf is None else self._idf[:depth]
            idf[:len(known)] = known
            out = out * idf
        if single:
            return tf.constant(out[0])
        if rows is not None and ids is not None and ids.ndim > 2:
            out = out.reshape(ids.shape[:-1] + (depth,))
        return tf.constant(out)

    def _vocabulary_config(self):
        if not self._has_input_vocabulary:
            return None
        return [t.item() for t in self.get_vocabulary(include_special_tokens=False)]

    def get_config(self):
        config = base_config(self)
        config.update(invert=self.invert, max_tokens=self.max_tokens,
                      num_oov_indices=self.num_oov_indices, oov_token=self.oov_token,
                      mask_token=self.mask_token, output_mode=self.output_mode,
                      sparse=self.sparse, pad_to_max_tokens=self.pad_to_max_tokens)
        return config

    def _lookup_config(self):
        """What StringLookup's and IntegerLookup's configs add to the shared part."""
        return {"idf_weights": None, "vocabulary": self._vocabulary_config(),
                "vocabulary_size": self.vocabulary_size(), "oov_method": self.oov_method,
                "salt": self.salt}


class StringLookup(_IndexLookup):
    """Strings to indices (or back, with ``invert``)."""

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", vocabulary_size=None,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse, oov_method,
                         salt, name=name, **kwargs)

    def get_config(self):
        return {**super().get_config(), **self._lookup_config(), "encoding": self.encoding}


class IntegerLookup(_IndexLookup):
    """Integers to indices (or back, with ``invert``)."""

    _vocabulary_dtype = "int64"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False, vocabulary_size=None,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse, oov_method,
                         salt, name=name, **kwargs)

    def _key(self, value):
        return int(value)

    def _out(self, key):
        return np.int64(key)

    def _invert(self, ids):
        return super()._invert(ids).astype(np.int64)

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype,
                **self._lookup_config()}


_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")


class TextVectorization(Layer):
    """Strings to token indices, bags of tokens or TF-IDF vectors: ``standardize`` (ASCII
    lower-casing and punctuation stripping, as TF's string ops do), ``split``, ``ngrams``, then a
    StringLookup."""

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8",
                 vocabulary_size=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if output_mode not in _MODES:
            raise ValueError(f"Unknown value for `output_mode` argument of TextVectorization. "
                             f"Allowed values are: {_MODES}. Received: output_mode={output_mode}")
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(f"Unknown value for `standardize` argument of TextVectorization. "
                             f"Allowed values are: {_STANDARDIZE}. Received: "
                             f"standardize={standardize}")
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(f"Unknown value for `split` argument of TextVectorization. Allowed "
                             f"values are: {_SPLIT}. Received: split={split}")
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError(f"`output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received output_sequence_length={output_sequence_length}.")
        if isinstance(ngrams, int) and ngrams < 1 or isinstance(ngrams, list | tuple) and not (
                ngrams and all(isinstance(n, int) and n >= 1 for n in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if ragged and output_mode != "int":
            raise ValueError(f"`ragged` must not be true if `output_mode` is `'int'`. Received: "
                             f"ragged={ragged} and output_mode={output_mode}")
        if output_mode == "one_hot":
            raise NotImplementedError(
                "tapeflow's TextVectorization has no output_mode='one_hot' (whose output Keras "
                "makes ragged)")
        self.max_tokens, self.standardize, self.split = max_tokens, standardize, split
        self.ngrams = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self.output_mode, self.output_sequence_length = output_mode, output_sequence_length
        self.pad_to_max_tokens, self.sparse, self.ragged = pad_to_max_tokens, sparse, ragged
        self.encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, mask_token="" if output_mode == "int" else None,
            vocabulary=vocabulary, idf_weights=idf_weights, output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, encoding=encoding)
        self.built = True

    # --- text to tokens ---------------------------------------------------------------------
    def _standardized(self, texts):
        """``texts`` (an object array of bytes) after ``standardize``."""
        mode = self.standardize
        if mode is None:
            return texts
        if callable(mode):
            return _numpy(mode(tf.constant(texts)))
        out = np.empty(texts.shape, object)
        for i, t in enumerate(texts.reshape(-1)):
            if mode in ("lower_and_strip_punctuation", "lower"):
                t = t.lower()  # bytes.lower changes ASCII letters only, as tf.strings.lower
            if mode in ("lower_and_strip_punctuation", "strip_punctuation"):
                t = t.translate(None, _PUNCTUATION)
            out.reshape(-1)[i] = t
        return out

    def _split(self, texts):
        """One token list per text."""
        if self.split is None:
            return [[t] for t in texts.reshape(-1)]
        if callable(self.split):
            pieces = self.split(tf.constant(texts))
            rows = pieces.numpy() if isinstance(pieces, tf.Tensor) else pieces
            return [[_as_bytes(v) for v in np.asarray(row, object).reshape(-1)] for row in rows]
        if self.split == "whitespace":
            return [t.split() for t in texts.reshape(-1)]
        return [[c.encode("utf-8") for c in t.decode("utf-8")] for t in texts.reshape(-1)]

    def _with_ngrams(self, tokens):
        if self.ngrams is None:
            return tokens
        widths = range(1, self.ngrams + 1) if isinstance(self.ngrams, int) else self.ngrams
        return [b" ".join(tokens[i:i + n]) for n in widths for i in range(len(tokens) - n + 1)]

    def _token_lists(self, texts):
        texts = _numpy(texts)
        if texts.ndim == 2 and texts.shape[-1] == 1:
            texts = texts[:, 0]
        if texts.ndim > 1:
            raise ValueError(f"When using TextVectorization to tokenize strings, the input rank "
                             f"must be 1 or the last shape dimension must be 1. Received: "
                             f"inputs.shape={texts.shape} with rank={texts.ndim}")
        return [self._with_ngrams(t) for t in self._split(self._standardized(texts))]

    # --- vocabulary -------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        def documents(batch):
            if batch.ndim == 2 and batch.shape[-1] == 1:
                batch = batch.reshape(-1)
            return self._token_lists(np.atleast_1d(batch))
        self._lookup_layer.adapt(data, steps, documents)

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    # --- calling ---------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple | str | bytes | np.ndarray):
            inputs = tf.convert_to_tensor(_numpy(inputs))
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, x):
        return x

    def _output_dtype(self):
        return tf.float32 if self.output_mode == "tf_idf" else tf.int64

    def call(self, inputs):
        if self.ragged and tf.is_symbolic_tensor(inputs):
            raise NotImplementedError("TextVectorization(ragged=True) runs eagerly only in "
                                      "tapeflow (its RaggedTensor holds NumPy values)")
        return _numpy_call(self, inputs)

    def _compute(self, texts):
        lookup = self._lookup_layer
        texts = np.asarray(_numpy(texts), object)
        if self.split is None and self.output_mode == "int" and \
                self.output_sequence_length is None:  # one token per string: the input's shape
            return lookup._encode(lookup._lookup(self._standardized(texts)))
        scalar = texts.ndim == 0
        rows = self._token_lists(texts.reshape(1) if scalar else texts)
        ids = [lookup._lookup(np.array(row + [b""], object)[:-1]) for row in rows]
        if self.output_mode != "int":
            out = lookup._encode(None, rows=ids)
            return out[0] if scalar else out
        length = self.output_sequence_length
        if self.ragged and not scalar:  # eager only: tapeflow's RaggedTensor holds values
            rows = [r[:length] for r in ids]
            return tf.RaggedTensor.from_row_lengths(
                np.concatenate(rows + [np.zeros(0, np.int64)]).astype(np.int64),
                [len(r) for r in rows])
        if length is None:
            length = max((len(r) for r in ids), default=0)
        out = np.zeros((len(ids), length), np.int64)
        for r, row in enumerate(ids):
            out[r, :min(length, len(row))] = row[:length]
        return tf.constant(out[0] if scalar else out)

    def _symbolic_output_shape(self, input_shape):
        """The output shape a call on inputs of ``input_shape`` has (the token count varies)."""
        batch = input_shape[0] if input_shape else None
        if self.split is None and self.output_mode == "int" and \
                self.output_sequence_length is None:
            return tuple(input_shape)
        if self.output_mode == "int":
            return (batch, self.output_sequence_length)
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return (batch, depth)

    def compute_output_shape(self, input_shape):
        return self._symbolic_output_shape(tuple(input_shape))

    def get_config(self):
        config = base_config(self)
        lookup = self._lookup_layer
        config.update(
            max_tokens=self.max_tokens, standardize=self.standardize, split=self.split,
            ngrams=self.ngrams, output_mode=self.output_mode,
            output_sequence_length=self.output_sequence_length,
            pad_to_max_tokens=self.pad_to_max_tokens, sparse=self.sparse, ragged=self.ragged,
            vocabulary=lookup._vocabulary_config(),
            idf_weights=None if lookup._idf is None or not lookup._has_input_vocabulary else
            lookup._idf[lookup.num_oov_indices:].tolist(),
            encoding=self.encoding, vocabulary_size=self.vocabulary_size())
        return config
