"""Differential sweep of the API-breadth ops against real TensorFlow 2.21: values and first
derivatives of every op-table row of the breadth spec files, evaluated in both libraries.

    .venv/bin/python tools/breadth_sweep.py          # runs TF itself through /work/tfenv

The rows' functions are written against the ``tf`` API only, so the TF side imports the same
spec files with ``tapeflow`` aliased to ``tensorflow``; rows that use tapeflow internals are
skipped there. (Forward results, dtypes and errors of the 470-odd snippets of
tests/breadth_cases.py are compared by tests/test_breadth_fixtures.py.)
"""

import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPEC_FILES = ["op_specs_breadth", "op_specs_signal", "op_specs_image", "op_specs_conv",
              "op_specs_linalg_extra", "op_specs_random", "op_specs_misc", "op_specs_composite"]
TF_PYTHON = os.environ.get("TF_PYTHON", "/work/tfenv/bin/python")


class _Internals:
    """Stands in for a tapeflow-internal module on the TF side: its functions raise."""

    def __init__(self, name):
        self.__name__ = name

    def __getattr__(self, attr):
        def unavailable(*args, **kwargs):
            raise NotImplementedError("tapeflow internal")
        return unavailable


def rows():
    import importlib
    out = []
    for name in SPEC_FILES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # uses tapeflow internals: not runnable in TF
            continue
        out += [(name, spec) for spec in module.SPECS]
    return out


def evaluate(tf):
    """{row key: (value, gradients)} of sum(f(x) * weights) for every row and shape case."""
    results = {}
    for module, spec in rows():
        for shapes in spec.shapes:
            key = f"{module}:{spec.name}:{'x'.join(map(str, shapes))}"
            xs = [tf.constant(a) for a in spec.args(shapes)]
            try:
                with tf.GradientTape() as tape:
                    tape.watch(xs)
                    y = spec.fn(*xs)
                    y = next(v for v in tf.nest.flatten(y) if v is not None)
                    w = np.random.default_rng(1).uniform(0.5, 1.5, np.shape(y))
                    loss = tf.reduce_sum(tf.cast(y, tf.float64) * w)
                grads = tape.gradient(loss, xs, unconnected_gradients="zero")
                results[key] = (np.asarray(y), [np.asarray(tf.convert_to_tensor(g))
                                                for g in grads])
            except Exception as e:  # noqa: BLE001 - reported as the row's outcome
                results[key] = (f"{type(e).__name__}: {str(e)[:120]}", [])
    return results


def save(results, path):
    flat = {}
    for key, (value, grads) in results.items():
        flat[key + "|value"] = np.asarray(value)
        for i, g in enumerate(grads):
            flat[f"{key}|grad{i}"] = g
    np.savez(path, **flat)


def load(path):
    data = np.load(path, allow_pickle=False)
    out = {}
    for name in data.files:
        key, part = name.split("|")
        value, grads = out.setdefault(key, [None, {}])
        if part == "value":
            out[key][0] = data[name]
        else:
            grads[int(part[4:])] = data[name]
    return {k: (v, [g[i] for i in sorted(g)]) for k, (v, g) in out.items()}


def main():
    sys.path.insert(0, str(ROOT / "tests"))
    if "--tf" in sys.argv:
        import types
        import tensorflow
        sys.modules["tapeflow"] = tensorflow
        tensorflow.testing = types.SimpleNamespace()
        for name in ("tapeflow.ops", "tapeflow.ops.conv_ops", "tapeflow.ops.image_ops",
                     "tapeflow.ops.misc_extra_ops", "tapeflow.ops.array_extra_ops",
                     "tapeflow.ops.random_extra_ops", "tapeflow.engine",
                     "tapeflow.engine.core"):
            sys.modules[name] = _Internals(name)
        save(evaluate(tensorflow), sys.argv[-1])
        return
    sys.path.insert(0, str(ROOT / "src"))
    import tapeflow
    mine = evaluate(tapeflow)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tf.npz")
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        subprocess.run([TF_PYTHON, __file__, "--tf", path], check=True, env=env)
        theirs = load(path)
    same, differ, skipped = 0, [], []
    for key, (value, grads) in sorted(mine.items()):
        tv, tg = theirs.get(key, (np.asarray("missing"), []))
        if tv.dtype.kind in "US" and "tapeflow internal" in str(tv) or key not in theirs:
            skipped.append(key)
            continue
        if isinstance(value, str) or tv.dtype.kind in "US":
            differ.append(f"{key}: tapeflow {value if isinstance(value, str) else 'ok'}, "
                          f"TF {tv if tv.dtype.kind in 'US' else 'ok'}")
            continue
        ok = np.allclose(value, tv, rtol=1e-6, atol=1e-9) and len(grads) == len(tg) and all(
            np.allclose(g, t, rtol=1e-6, atol=1e-9) for g, t in zip(grads, tg))
        if ok:
            same += 1
        else:
            worst = max((float(np.max(np.abs(g - t))) for g, t in zip(grads, tg)), default=0)
            differ.append(f"{key}: value max diff {float(np.max(np.abs(value - tv))):.3g}, "
                          f"gradient max diff {worst:.3g}")
    print(f"{len(mine)} row cases: {same} match TF (values and gradients, rtol 1e-6), "
          f"{len(differ)} differ, {len(skipped)} use tapeflow internals (float64 cores of ops "
          "whose TF kernels are float32-only)")
    for line in differ:
        print("  differs:", line)


if __name__ == "__main__":
    main()
