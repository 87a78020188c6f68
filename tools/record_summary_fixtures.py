"""Record what TensorFlow's tf.summary writes for tests/tb_events.py's SCENARIO, as read back
by TensorBoard's EventAccumulator, into tests/fixtures/summary/run.json, and the graphs
``trace_export`` writes for GRAPH_SCENARIO into tests/fixtures/summary/graphs.json.

    /work/tfenv/bin/python tools/record_summary_fixtures.py
"""

import json
import os
import pathlib
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tb_events import GRAPH_SCENARIO, SCENARIO, read_graphs, read_run  # noqa: E402


def record(scenario, read, filename):
    """Run ``scenario`` under TF into a fresh log folder; store what ``read`` gets back."""
    with tempfile.TemporaryDirectory() as logdir:
        exec(scenario, {"tf": tf, "np": np, "logdir": logdir})
        found = read(logdir)
    path = ROOT / "tests" / "fixtures" / "summary" / filename
    path.write_text(json.dumps(found, indent=None, separators=(",", ":")) + "\n")
    print(f"recorded {len(found)} tags into {filename}")


def main():
    record(SCENARIO, read_run, "run.json")
    record(GRAPH_SCENARIO, read_graphs, "graphs.json")


if __name__ == "__main__":
    main()
