"""Record what TensorFlow 2.21 prints for tests/guides3_cases.py into
tests/fixtures/guides3/cases.json (three virtual CPUs, as the random numbers guide makes).

    /work/tfenv/bin/python tools/record_guides3_fixtures.py
"""

import contextlib
import io
import json
import pathlib
import sys
import tempfile

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from guides3_cases import CASES  # noqa: E402


def main():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 3)
    out = {}
    for name, code in CASES.items():
        buf = io.StringIO()
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(buf):
            exec(code, {"tf": tf, "tmp": tmp, "__name__": "__main__"})
        out[name] = buf.getvalue()
    path = ROOT / "tests/fixtures/guides3/cases.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
