"""The examples run and print what they promise (each in its own process, in a scratch folder)."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_example(name, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / name)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    return result


def test_seed_tour(tmp_path):
    result = run_example("seed_tour.py", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "x = 4.0, dx = 0.00" in result.stdout
    assert "dy/dx1: 0.9999546" in result.stdout
    assert (tmp_path / "sigmoid.png").stat().st_size > 0


def test_hessian_three_ways_agree(tmp_path):
    result = run_example("hessian.py", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "agree" in result.stdout
    assert (tmp_path / "hessian.png").stat().st_size > 0


def test_jacobian(tmp_path):
    result = run_example("jacobian.py", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "jacobian" in result.stdout


def test_why_none_explains_every_cause(tmp_path):
    result = run_example("why_none.py", tmp_path)
    assert result.returncode == 0, result.stderr
    explained = [line for line in result.stdout.splitlines() if line.startswith("explain:")]
    assert len(explained) >= 10 and all("None" != line.split(":", 1)[1].strip()
                                        for line in explained)


def test_draw_tape(tmp_path):
    pytest.importorskip("graphviz")
    result = run_example("draw_tape.py", tmp_path)
    assert result.returncode == 0, result.stderr
    if shutil.which("dot") is None:  # no Graphviz program: the DOT text, and how to get it
        assert "could not render" in result.stdout and "install" in result.stdout
        assert (tmp_path / "tape.dot").read_text().startswith("digraph tape {")
    else:
        assert (tmp_path / "tape.png").stat().st_size > 0


def test_train_digits_reaches_97_percent_and_writes_a_tensorboard_run(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing import event_accumulator
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "train_digits.py"),
                             "--logdir", "run"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    accuracy = float(result.stdout.split("test accuracy:")[1].split()[0])
    assert accuracy >= 0.97
    run = event_accumulator.EventAccumulator(str(tmp_path / "run"), size_guidance={"tensors": 0})
    run.Reload()
    tags = run.Tags()["tensors"]
    assert {"loss", "accuracy/test", "batch_loss", "w0", "digits", "config"} <= set(tags)
    assert [e.step for e in run.Tensors("accuracy/test")] == list(range(1, 31))
