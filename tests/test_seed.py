"""Every code block of the seed tutorial runs with tapeflow and prints what the post shows."""

import ast
import contextlib
import io

from seed_blocks import BLOCKS


def run_cell(code, namespace):
    """Run a notebook cell: statements, then the repr of a trailing bare expression."""
    tree = ast.parse(code)
    last = tree.body[-1] if tree.body else None
    shown = isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call)
    body = tree.body[:-1] if shown else tree.body
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(ast.Module(body=body, type_ignores=[]), "<seed>", "exec"), namespace)
        if shown:
            value = eval(compile(ast.Expression(last.value), "<seed>", "eval"), namespace)
            print(repr(value))
    return out.getvalue().splitlines()


def test_seed_blocks_print_what_the_post_shows():
    namespace = {}
    for code, expected in BLOCKS:
        lines = run_cell(code, namespace)
        assert len(lines) == len(expected), (code, lines)
        for got, want in zip(lines, expected):
            if want is not None:
                assert got == want, code


def test_persistent_example_prints_tensors_and_variables():
    namespace = {}
    for code, _ in BLOCKS[:5]:
        lines = run_cell(code, namespace)
    assert lines[0].startswith("loss: tf.Tensor(") and lines[0].endswith(", shape=(), dtype=float32)")
    assert lines[1] == "w: <tf.Variable 'w:0' shape=(4, 2) dtype=float32, numpy="
    assert lines[2].startswith("array([[") and lines[5].endswith("]], dtype=float32)>")
    w = namespace["w"].numpy()
    x = [[1.0, 2.0, 3.0, 4.0]]
    y = (x @ w)[0]
    assert abs(float(namespace["loss"]) - float((y ** 2).mean())) < 1e-4


def test_sigmoid_figure_data():
    namespace = {}
    for code, _ in BLOCKS[:7]:
        run_cell(code, namespace)
    import numpy as np
    x, y, d = (np.asarray(namespace[k]) for k in ("x", "y", "dy_dx"))
    assert x.shape == y.shape == d.shape == (201,)
    np.testing.assert_allclose(d, y * (1 - y), rtol=1e-6)
