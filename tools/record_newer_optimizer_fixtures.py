"""Record TF 2.21's Muon and ScheduleFreeAdamW steps for tests/test_keras_newer_optimizers.py.

    /work/tfenv/bin/python tools/record_newer_optimizer_fixtures.py

Writes tests/fixtures/newer_optimizers/cases.json from the test module's ``run`` and
``SETTINGS``.
"""

import json
import pathlib
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_keras_newer_optimizers import SETTINGS, run, run_multi  # noqa: E402


def main():
    rec = {name: run(tf, kind, settings) for name, (kind, settings) in SETTINGS.items()}
    rec["multi"] = run_multi(tf)
    out = ROOT / "tests" / "fixtures" / "newer_optimizers" / "cases.json"
    out.write_text(json.dumps(rec) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
