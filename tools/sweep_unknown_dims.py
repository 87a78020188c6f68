"""Measure (not a test): which op-table rows fail to trace when every input dim is unknown.

    .venv/bin/python tools/sweep_unknown_dims.py

Each row (tests/op_specs*.py) with its gradient is traced from an input signature that keeps
the inputs' ranks and makes every dim None, as ``get_concrete_function()`` does from specs. TF
traces nearly all of them; a failure here is an op whose public function checks or computes
something from the stand-in example sizes (docs/function.md, "Static shapes").
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import tapeflow as tf  # noqa: E402

from op_specs import SPECS  # noqa: E402
from test_function_op_table import _value_and_grads  # noqa: E402


def main():
    failed = []
    rows = [s for s in SPECS if s.name != "dropout"]
    for spec in rows:
        xs = [tf.constant(a) for a in spec.args(spec.shapes[-1])]
        signature = [tf.TensorSpec([None] * x.shape.rank, x.dtype) for x in xs]
        traced = tf.function(_value_and_grads(spec.fn), input_signature=signature)
        try:
            traced.get_concrete_function()
        except Exception as e:  # noqa: BLE001 - the failure is what is measured
            last = str(e).strip().splitlines()[-1].strip()
            failed.append(f"{spec.name}: {type(e).__name__}: {last[:120]}")
    print(f"{len(rows) - len(failed)} of {len(rows)} rows trace with every dim unknown")
    print("\n".join(failed))


if __name__ == "__main__":
    main()
