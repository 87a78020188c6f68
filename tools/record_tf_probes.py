"""Record what real TensorFlow gives for each snippet in tests/tf_probes.py.

Run with the TF yardstick environment: /work/tfenv/bin/python tools/record_tf_probes.py
It writes tests/fixtures/defects/probes.json: label -> {"result": repr} or {"error": [type, msg]}.
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main():
    import tensorflow as tf
    import tf_probes
    out = tf_probes.run_probes(tf)
    path = ROOT / "tests" / "fixtures" / "defects" / "probes.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} probes to {path}")


if __name__ == "__main__":
    main()
