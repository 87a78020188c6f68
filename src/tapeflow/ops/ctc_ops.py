"""``tf.nn``'s CTC family (loss and the greedy/beam decoders, unique labels), the sparse
embedding lookups, ``tf.edit_distance`` and the fractional poolings.

``ctc_loss`` is the forward algorithm in log space written with tapeflow ops, so its gradient (and
higher ones) comes from their rules; it equals TF's CTC gradient. The decoders, edit distance
and the pooling sequences are NumPy (no gradient, as in TF).
"""

import collections

import numpy as np

from ..framework import errors
from ..framework.tensor import wrap
from . import _k
from ._helpers import tensor
from .array_extra_ops import positions, remap_tail
from .array_ops import transpose
from .composite_ops import SparseTensor
from .index_ops import gather, unsorted_segment_sum
from .manip_ops import concat, stack
from .math_ops import divide, sqrt, where
from .nn_ops import log_softmax, reduce_logsumexp
from .reduction_ops import reduce_max, reduce_sum

_NEG = -1e30  # log(0) stand-in: keeps logsumexp's gradient free of nan


def _ctc_one(logp, label, blank):
    """-log p(label | logp) for one sequence; ``logp`` is ``[T, classes]`` log-probabilities."""
    ext = [blank]
    for c in label:
        ext += [int(c), blank]
    s = len(ext)
    emit = gather(logp, np.asarray(ext, np.int64), axis=1)  # [T, S]
    skip = np.array([i >= 2 and ext[i] != blank and ext[i] != ext[i - 2] for i in range(s)])
    dtype = logp._value.dtype
    neg = wrap(np.full((1,), _NEG, dtype))
    neg2 = wrap(np.full((2,), _NEG, dtype))
    start = np.full(s, _NEG, dtype)
    start[:2] = 0
    alpha = wrap(start) + emit[0]
    alpha = where(np.arange(s) < 2, alpha, wrap(np.full(s, _NEG, dtype)))
    for t in range(1, logp._value.shape[0]):
        prev1 = concat([neg, alpha[:-1]], 0)
        prev2 = where(skip, concat([neg2, alpha[:-2]], 0), wrap(np.full(s, _NEG, dtype)))
        alpha = reduce_logsumexp(stack([alpha, prev1, prev2], 0), 0) + emit[t]
    tail = alpha[-2:] if s > 1 else alpha
    return -reduce_logsumexp(tail, 0)


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):
    """``tf.nn.ctc_loss`` with dense labels ``[batch, max_label]`` (or a SparseTensor):
    ``[batch]`` negative log-likelihoods, differentiable in ``logits``."""
    x = tensor(logits)
    if not logits_time_major:
        x = transpose(x, [1, 0, 2])
    num_classes = x._value.shape[-1]
    blank = 0 if blank_index is None else int(blank_index) % num_classes
    if isinstance(labels, SparseTensor):
        dense = np.zeros(tuple(labels.dense_shape._trace_value()), np.int64)
        dense[tuple(labels.indices._trace_value().T)] = labels.values._trace_value()
        lab = dense
        lengths = np.bincount(labels.indices._trace_value()[:, 0], minlength=dense.shape[0])
    else:
        lab = np.asarray(tensor(labels)._trace_value())
        lengths = np.asarray(tensor(label_length)._trace_value())
    steps = np.asarray(tensor(logit_length)._trace_value())
    logp = log_softmax(x)  # [T, B, C]
    losses = [_ctc_one(logp[:int(steps[b]), b, :], lab[b, :int(lengths[b])], blank)
              for b in range(lab.shape[0])]
    return stack(losses, 0)


def _decoded_sparse(paths, batch):
    idx = [[b, i] for b, p in enumerate(paths) for i in range(len(p))]
    vals = [v for p in paths for v in p]
    width = max((len(p) for p in paths), default=0)
    return SparseTensor(wrap(np.asarray(idx, np.int64).reshape(-1, 2)),
                        wrap(np.asarray(vals, np.int64)),
                        wrap(np.asarray([batch, width], np.int64)))


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """``tf.nn.ctc_greedy_decoder``: best class per step, repeats merged, blanks dropped;
    returns ([SparseTensor], -sum of the best logits ``[batch, 1]``)."""
    x = np.asarray(tensor(inputs)._trace_value())
    steps = np.asarray(tensor(sequence_length)._trace_value())
    classes = x.shape[-1]
    blank = classes - 1 if blank_index is None else int(blank_index) % classes
    paths, scores = [], []
    for b in range(x.shape[1]):
        best = x[:int(steps[b]), b].argmax(-1)
        scores.append(-x[:int(steps[b]), b].max(-1).sum())
        out, prev = [], None
        for c in best:
            if c != blank and not (merge_repeated and c == prev):
                out.append(int(c))
            prev = c
        paths.append(out)
    return [_decoded_sparse(paths, x.shape[1])], wrap(np.asarray(scores, x.dtype)[:, None])


def _logaddexp(a, b):
    return np.logaddexp(a, b)


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """``tf.nn.ctc_beam_search_decoder``: prefix beam search over log-softmax scores (blank is
    the last class); returns (``top_paths`` SparseTensors, log-probabilities)."""
    x = np.asarray(tensor(inputs), np.float64)  # read by value (guarded in a graph)
    steps = np.asarray(tensor(sequence_length))
    classes = x.shape[-1]
    blank = classes - 1
    logp = x - np.log(np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True)) \
        - x.max(-1, keepdims=True)
    all_paths = [[] for _ in range(int(top_paths))]
    all_scores = []
    for b in range(x.shape[1]):
        beams = {(): (0.0, -np.inf)}  # prefix: (log p ending in blank, log p ending in label)
        for t in range(int(steps[b])):
            nxt = collections.defaultdict(lambda: (-np.inf, -np.inf))
            for prefix, (pb, pnb) in beams.items():
                total = _logaddexp(pb, pnb)
                eb, enb = nxt[prefix]
                nxt[prefix] = (_logaddexp(eb, total + logp[t, b, blank]), enb)
                for c in range(classes - 1):
                    p = logp[t, b, c]
                    new = prefix + (c,)
                    eb, enb = nxt[new]
                    if prefix and prefix[-1] == c:
                        nxt[new] = (eb, _logaddexp(enb, pb + p))
                        sb, snb = nxt[prefix]
                        nxt[prefix] = (sb, _logaddexp(snb, pnb + p))
                    else:
                        nxt[new] = (eb, _logaddexp(enb, total + p))
            ranked = sorted(nxt.items(), key=lambda kv: -_logaddexp(*kv[1]))
            beams = dict(ranked[:int(beam_width)])
        ranked = sorted(beams.items(), key=lambda kv: -_logaddexp(*kv[1]))[:int(top_paths)]
        for k in range(int(top_paths)):
            all_paths[k].append(list(ranked[k][0]) if k < len(ranked) else [])
        all_scores.append([_logaddexp(*kv[1]) for kv in ranked])
    decoded = [_decoded_sparse(paths, x.shape[1]) for paths in all_paths]
    return decoded, wrap(np.asarray(all_scores, tensor(inputs)._value.dtype))


def ctc_unique_labels(labels, name=None):
    """``tf.nn.ctc_unique_labels``: each row's distinct labels in order (zero-padded) and every
    label's index among them."""
    lab = np.asarray(tensor(labels))  # read by value (guarded in a graph)
    uniq = np.zeros_like(lab)
    idx = np.zeros(lab.shape, np.int32)
    for r, row in enumerate(lab):
        seen = {}
        for i, v in enumerate(row):
            idx[r, i] = seen.setdefault(int(v), len(seen))
        uniq[r, :len(seen)] = list(seen)
    return [wrap(uniq.astype(np.int64)), wrap(idx)]


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """``tf.edit_distance``: Levenshtein distance over the last axis of two SparseTensors,
    divided by the truth's length with ``normalize`` (inf for an empty truth)."""
    def rows(sp):
        shape = tuple(int(d) for d in np.asarray(sp.dense_shape))  # read by value (guarded)
        out = collections.defaultdict(list)
        vals = np.asarray(sp.values)
        for k, i in enumerate(np.asarray(sp.indices)):
            out[tuple(int(v) for v in i[:-1])].append((int(i[-1]), vals[k]))
        return shape, {key: [v for _, v in sorted(seq, key=lambda p: p[0])]
                       for key, seq in out.items()}

    hs, hrows = rows(hypothesis)
    ts, trows = rows(truth)
    lead = tuple(max(a, b) for a, b in zip(hs[:-1], ts[:-1]))
    out = np.zeros(lead, np.float32)
    for key in np.ndindex(*lead):
        h, t = hrows.get(key, []), trows.get(key, [])
        d = np.arange(len(t) + 1)
        for i, hv in enumerate(h, 1):
            prev, d = d, np.zeros_like(d)
            d[0] = i
            for j, tv in enumerate(t, 1):
                d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (hv != tv))
        dist = float(d[-1])
        if normalize:
            dist = dist / len(t) if t else (np.inf if h else np.nan)
        out[key] = dist
    return wrap(out)


# --- sparse embedding lookups --------------------------------------------------------------------

def _combine(params, ids, weights, combiner, rows, n_rows):
    emb = gather(params, ids)
    w = weights if weights is not None else wrap(np.ones(len(ids._value), emb._value.dtype))
    seg = wrap(rows.astype(np.int32))
    summed = unsorted_segment_sum(emb * w[:, None], seg, n_rows)
    if combiner == "sum":
        return summed
    if combiner == "mean":
        denom = unsorted_segment_sum(w, seg, n_rows)
    elif combiner == "sqrtn":
        denom = sqrt(unsorted_segment_sum(w * w, seg, n_rows))
    else:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    safe = where(denom > 0, denom, _k.ones_like(denom))  # ops: a traced graph's values
    return divide(summed, safe[:, None])


def embedding_lookup_sparse(params, sp_ids, sp_weights, combiner="mean", max_norm=None,
                            name=None, allow_fast_lookup=False):
    """``tf.nn.embedding_lookup_sparse``: per row of ``sp_ids``, the (weighted) sum, mean or
    sqrt-n combination of the embeddings (differentiable in ``params`` and the weights)."""
    params = params[0] if isinstance(params, list | tuple) and len(params) == 1 else params
    rows = sp_ids.indices._trace_value()[:, 0]
    n_rows = int(rows.max()) + 1 if rows.size else 0  # rows up to the last one with ids
    weights = None if sp_weights is None else sp_weights.values
    return _combine(params, sp_ids.values, weights, combiner, rows, n_rows)


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, max_norm=None, name=None,
                                 allow_fast_lookup=False):
    """``tf.nn.safe_embedding_lookup_sparse``: invalid (negative) ids dropped, empty rows get
    zeros (or ``default_id``'s embedding)."""
    params = embedding_weights
    params = params[0] if isinstance(params, list | tuple) and len(params) == 1 else params
    ids = sparse_ids.values._trace_value()
    keep = np.flatnonzero(ids >= 0)
    rows = sparse_ids.indices._trace_value()[keep, 0]
    n_rows = int(sparse_ids.dense_shape._trace_value()[0])
    weights = None
    if sparse_weights is not None:
        weights = gather(sparse_weights.values, keep.astype(np.int64))
        good = np.asarray(weights._trace_value()) > 0  # read by value (guarded in a graph)
        keep, rows = keep[good], rows[good]
        weights = gather(weights, np.flatnonzero(good).astype(np.int64))
    out = _combine(params, wrap(ids[keep].astype(np.int64)), weights, combiner, rows, n_rows)
    empty = np.bincount(rows, minlength=n_rows)[:n_rows] == 0
    fill = (gather(params, np.full(n_rows, int(default_id), np.int64))
            if default_id is not None else wrap(np.zeros_like(out._value)))
    return where(np.broadcast_to(empty[:, None], out._value.shape), fill, out)


# --- fractional pooling --------------------------------------------------------------------------

def _pooling_sequence(n, ratio, pseudo_random, gen):
    out = int(n / ratio)
    if pseudo_random:
        alpha = n / out
        u = gen.uniform()
        seq = [int(np.ceil(alpha * (i + u))) - int(np.ceil(alpha * u)) for i in range(out + 1)]
        seq[-1] = n
        return np.asarray(seq, np.int64)
    small = n // out
    big_count = n - out * small
    steps = np.full(out, small)
    steps[gen.choice(out, size=big_count, replace=False)] += 1
    return np.concatenate([[0], np.cumsum(steps)]).astype(np.int64)


FractionalPool = collections.namedtuple("FractionalPool", ["output", "row_pooling_sequence",
                                                           "col_pooling_sequence"])


def _fractional(value, pooling_ratio, pseudo_random, overlapping, seed, kind):
    from .random_ops import _generator
    x = tensor(value)
    ratio = [float(r) for r in pooling_ratio]
    if len(ratio) != 4 or ratio[0] != 1 or ratio[3] != 1:
        raise errors.InvalidArgumentError(None, None, "pooling_ratio must be [1.0, r, c, 1.0]")
    gen = _generator(seed or None)
    h, w, c = x._value.shape[1:]
    rows = _pooling_sequence(h, ratio[1], pseudo_random, gen)
    cols = _pooling_sequence(w, ratio[2], pseudo_random, gen)
    extra = 1 if overlapping else 0

    def spans(seq, size):
        width = max(int(seq[i + 1] - seq[i]) + extra for i in range(len(seq) - 1))
        idx = seq[:-1, None] + np.arange(width)[None, :]
        ok = idx < np.minimum(seq[1:, None] + extra, size)
        return np.where(ok, idx, -1)

    ry, cx = spans(rows, h), spans(cols, w)
    pos = positions((h, w, c))  # one image's table: the batch carried along
    yy = ry[:, None, :, None]
    xx = cx[None, :, None, :]
    valid = (yy >= 0) & (xx >= 0)
    idx = pos[np.maximum(yy, 0), np.maximum(xx, 0), :]
    idx = np.where(valid[..., None], idx, -1)
    if kind == "MAX":
        patches = remap_tail(x, idx, 3, fill=-np.inf if x.dtype.is_floating else
                             np.iinfo(x._value.dtype).min)
        out = reduce_max(patches, [3, 4])
    else:
        patches = remap_tail(x, idx, 3, fill=0)
        counts = valid.sum((2, 3)).astype(x._value.dtype)[None, :, :, None]
        out = divide(reduce_sum(patches, [3, 4]), wrap(counts))
    return FractionalPool(out, wrap(rows), wrap(cols))


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0,
                        name=None):
    """``tf.nn.fractional_max_pool``: max over random-sized windows (NumPy's draws)."""
    return _fractional(value, pooling_ratio, pseudo_random, overlapping, seed, "MAX")


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0,
                        name=None):
    """``tf.nn.fractional_avg_pool``: the average over random-sized windows."""
    return _fractional(value, pooling_ratio, pseudo_random, overlapping, seed, "AVG")


EXPORTS = {
    "nn": ["ctc_loss", "ctc_greedy_decoder", "ctc_beam_search_decoder", "ctc_unique_labels",
           "embedding_lookup_sparse", "safe_embedding_lookup_sparse", "fractional_max_pool",
           "fractional_avg_pool"],
    "": ["edit_distance"],
}
