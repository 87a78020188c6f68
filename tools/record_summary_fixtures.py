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


def main():
    with tempfile.TemporaryDirectory() as logdir:
        exec(SCENARIO, {"tf": tf, "np": np, "logdir": logdir})
        run = read_run(logdir)
    path = ROOT / "tests" / "fixtures" / "summary" / "run.json"
    path.write_text(json.dumps(run, indent=None, separators=(",", ":")) + "\n")
    print(f"recorded {len(run)} tags")
    with tempfile.TemporaryDirectory() as logdir:
        exec(GRAPH_SCENARIO, {"tf": tf, "np": np, "logdir": logdir})
        graphs = read_graphs(logdir)
    path = ROOT / "tests" / "fixtures" / "summary" / "graphs.json"
    path.write_text(json.dumps(graphs, indent=None, separators=(",", ":")) + "\n")
    print(f"recorded {sum(len(g['graphs']) for g in graphs.values())} graphs")


if __name__ == "__main__":
    main()
