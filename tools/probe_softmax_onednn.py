"""How TF 2.21's x86 CPU build computes float32 softmax (through oneDNN), emulated in NumPy, and
what the emulation would cost: the evidence behind docs/differences.md's softmax entry.

    /work/tfenv/bin/python tools/probe_softmax_onednn.py

oneDNN's exp: n = floor(x*log2(e) + 1/2), r = x - n*ln2 (an FMA), a degree-5 polynomial in r
evaluated with FMAs, times 2^(n-1) times 2; the row sum adds 16 SIMD lanes, then halves them;
each exp is multiplied by the reciprocal of the sum. An FMA is emulated in float64.
"""

import os
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

F32 = np.float32
POLY = [np.uint32(h).view(F32) for h in (0x3f7ffffb, 0x3efffee3, 0x3e2aad40, 0x3d2b9d0d,
                                         0x3c07cfce)]  # oneDNN's coefficients, r^1 .. r^5


def onednn_exp(x):
    x = np.clip(x, F32(-87.3365447504019), F32(88.3762626647949))
    n = np.floor(x * F32(1.44269502) + F32(0.5))
    r = (x - n.astype(np.float64) * np.float64(F32(0.693147182))).astype(F32).astype(np.float64)
    p = np.float64(POLY[4])
    for c in POLY[3::-1] + [F32(1)]:
        p = (p * r + np.float64(c)).astype(F32).astype(np.float64)
    scale = ((n.astype(np.int32) + 126) << 23).view(F32)
    return p.astype(F32) * scale * F32(2)


def lane_sum(e, lanes=16):
    n = e.shape[-1]
    m = -(-n // lanes) * lanes
    padded = np.zeros(e.shape[:-1] + (m,), F32)
    padded[..., :n] = e
    acc = padded[..., :lanes].copy()
    for k in range(lanes, m, lanes):
        acc += padded[..., k:k + lanes]
    while acc.shape[-1] > 1:
        half = acc.shape[-1] // 2
        acc = acc[..., :half] + acc[..., half:]
    return acc


def emulated(x):
    e = onednn_exp(x - x.max(-1, keepdims=True))
    return e * (F32(1) / lane_sum(e))


def plain(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def main():
    import tensorflow as tf
    rng = np.random.default_rng(0)
    for shape in [(2000, 10), (30, 17), (40, 37), (50, 1000)]:
        x = (rng.normal(size=shape) * 3).astype(F32)
        want = tf.nn.softmax(x).numpy()
        print(f"{shape}: values unlike TF's: emulation {int((emulated(x) != want).sum())}, "
              f"np.exp and divide {int((plain(x) != want).sum())}, of {want.size}")
    for shape in [(32, 10), (256, 1000)]:
        x = rng.normal(size=shape).astype(F32)
        times = {plain: [], emulated: []}
        for _ in range(5):  # interleaved, best of 5, CPU time
            for f in times:
                start = time.process_time()
                for _ in range(max(1, 200_000 // x.size)):
                    f(x)
                times[f].append((time.process_time() - start) / max(1, 200_000 // x.size))
        print(f"{shape}: np.exp and divide {min(times[plain]) * 1e6:.1f} us, emulation "
              f"{min(times[emulated]) * 1e6:.1f} us")


if __name__ == "__main__":
    main()
