"""Record TF 2.21's keras.optimizers.Muon steps for tests/test_keras_muon.py.

    /work/tfenv/bin/python tools/record_muon_fixtures.py

Writes tests/fixtures/muon/cases.json from the test module's own ``run`` and ``SETTINGS``.
"""

import json
import pathlib
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_keras_muon import SETTINGS, run  # noqa: E402


def main():
    rec = {name: run(tf, settings) for name, settings in SETTINGS.items()}
    out = ROOT / "tests" / "fixtures" / "muon" / "cases.json"
    out.write_text(json.dumps(rec) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
