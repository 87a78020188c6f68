"""Record what TensorFlow 2.21 gives ``a + b`` for every pair of dtypes (strong and weak) under
``experimental_enable_numpy_behavior(dtype_conversion_mode="all")`` and ``"safe"``, and a few
weak-tensor printings, into tests/fixtures/guides3/type_promotion.json.

    /work/tfenv/bin/python tools/record_type_promotion_fixtures.py
"""

import json
import pathlib

import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from tensorflow.python.framework import weak_tensor

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/guides3/type_promotion.json"
STRONG = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
          "bfloat16", "float16", "float32", "float64", "complex64", "complex128"]
WEAK = ["int32", "int64", "float32", "float64", "complex128"]
OPERANDS = [(n, False) for n in STRONG] + [(n, True) for n in WEAK]


def make(name, weak):
    t = tf.constant(True if name == "bool" else 1, getattr(tf, name))
    return weak_tensor.WeakTensor.from_tensor(t) if weak else t


def result(a, b):
    try:
        r = make(*a) + make(*b)
    except TypeError:  # safe mode's refusal (its message is tested on its own)
        return "refused"
    except Exception as e:  # noqa: BLE001 - the op's own error (bool + bool)
        return type(e).__name__
    return r.dtype.name + ("*" if isinstance(r, weak_tensor.WeakTensor) else "")


def main():
    tables = {}
    for mode in ("all", "safe"):
        tnp.experimental_enable_numpy_behavior(dtype_conversion_mode=mode)
        tables[mode] = {f"{a[0]}{'*' * a[1]} {b[0]}{'*' * b[1]}": result(a, b)
                        for a in OPERANDS for b in OPERANDS}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(tables, sort_keys=True) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
