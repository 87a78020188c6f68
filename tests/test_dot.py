"""tape.to_dot (Graphviz DOT text) and tapeflow.viz.draw_tape."""

import builtins
import re
import shutil

import pytest

import tapeflow as tf
from tapeflow.viz import draw_tape

RED = 'color="#c0392b"'


def _model(persistent=True):
    w = tf.Variable(tf.ones((3, 2)), name="w")
    b = tf.Variable(tf.zeros(2), name="b")
    s = tf.Variable(1.0, name="side")
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape(persistent=persistent) as tape:
        h = tf.nn.relu(x @ w + b)
        tf.argmax(h, axis=1)
        loss = tf.reduce_mean(h ** 2)
        s * 2.0
    return tape, loss


def _nodes(dot):
    """node name -> its attribute text."""
    return {n: a for n, a in re.findall(r"^  (\w+) \[(.*)\];$", dot, re.M)
            if n not in ("node", "edge")}


def _label(attrs):
    return re.search(r'label="((?:[^"\\]|\\.)*)"', attrs).group(1)


def _edges(dot):
    return re.findall(r"^  (\w+) -> (\w+)(?: \[(.*)\])?;$", dot, re.M)


def test_dot_is_a_digraph_with_ops_shapes_and_dtypes():
    tape, loss = _model()
    dot = tape.to_dot()
    assert dot.startswith("digraph tape {\n") and dot.rstrip().endswith("}")
    labels = [_label(a) for a in _nodes(dot).values()]
    for op in ("ReadVariableOp", "MatMul", "AddV2", "Relu", "Pow", "Mean", "Mul"):
        assert op in labels
    assert "w:0\\n(3, 2) float32" in labels
    assert "b:0\\n(2,) float32" in labels
    assert "constant\\n(1, 3) float32" in labels
    assert "(1, 2) float32" in labels and "() float32" in labels
    assert RED not in dot  # no target: nothing highlighted


def test_watched_sources_are_marked():
    tape, _ = _model()
    nodes = _nodes(tape.to_dot())
    by_label = {_label(a): a for a in nodes.values()}
    for name in ("w:0\\n(3, 2) float32", "b:0\\n(2,) float32", "side:0\\n() float32"):
        assert 'fillcolor="#d6eaf8"' in by_label[name]
    assert 'fillcolor="#d6eaf8"' not in by_label["constant\\n(1, 3) float32"]


def test_watched_tensor_is_marked():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    labels = {_label(a): a for a in _nodes(tape.to_dot(y)).values()}
    assert 'fillcolor="#d6eaf8"' in labels["watched\\n(2,) float32"]
    assert "doubleoctagon" in labels["target\\n() float32"]


def test_path_to_target_is_highlighted():
    tape, loss = _model()
    dot = tape.to_dot(loss)
    nodes = _nodes(dot)
    red_ops = sorted(_label(a) for n, a in nodes.items() if n.startswith("op") and RED in a)
    assert red_ops == sorted(["ReadVariableOp", "ReadVariableOp", "MatMul", "AddV2", "Relu",
                              "Pow", "Mean"])
    labels = {n: _label(a) for n, a in nodes.items()}
    target = [n for n, a in nodes.items() if "doubleoctagon" in a]
    assert len(target) == 1 and labels[target[0]] == "target\\n() float32"
    # off the path: the unused variable, its Mul, the constants
    for n, a in nodes.items():
        if labels[n] in ("side:0\\n() float32", "Mul") or labels[n].startswith("constant"):
            assert RED not in a, labels[n]
    # every red edge joins two red nodes
    for a, b, attrs in _edges(dot):
        if attrs and RED in attrs:
            assert RED in nodes[a] and RED in nodes[b]
    # the path is connected: from the target back to both variables through red edges
    back = {target[0]}
    for _ in range(len(nodes)):
        back |= {a for a, b, attrs in _edges(dot) if b in back and attrs and RED in attrs}
    assert {labels[n] for n in back} >= {"w:0\\n(3, 2) float32", "b:0\\n(2,) float32"}


def test_cuts_are_drawn_dashed():
    tape, loss = _model()
    nodes = _nodes(tape.to_dot(loss))
    cuts = [a for n, a in nodes.items() if n.startswith("cut")]
    assert len(cuts) == 1 and "ArgMax\\n(no gradient)" in cuts[0] and "dashed" in cuts[0]


def test_dot_after_non_persistent_gradient_is_the_same():
    tape, loss = _model(persistent=False)
    before = tape.to_dot(loss)
    tape.gradient(loss, tape.watched_variables())
    assert tape._entries is None
    assert tape.to_dot(loss) == before


def test_dot_of_an_empty_tape():
    dot = tf.GradientTape().to_dot()
    assert dot.startswith("digraph tape {") and "->" not in dot


def test_names_are_quoted():
    v = tf.Variable(1.0, name='odd"name')
    with tf.GradientTape() as tape:
        v * 2
    assert 'label="odd\\"name:0\\n() float32"' in tape.to_dot()


def test_draw_tape_without_graphviz_package(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def no_graphviz(name, *args, **kwargs):
        if name == "graphviz":
            raise ImportError("No module named 'graphviz'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_graphviz)
    tape, loss = _model()
    with pytest.raises(RuntimeError) as e:
        draw_tape(tape, tmp_path / "tape.svg", loss)
    message = str(e.value)
    assert "graphviz" in message and "pip install 'tapeflow[viz]'" in message
    assert "apt-get install graphviz" in message
    assert not (tmp_path / "tape.svg").exists()


def test_draw_tape_without_dot_program(monkeypatch, tmp_path):
    graphviz = pytest.importorskip("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    tape, loss = _model()
    with pytest.raises(RuntimeError, match="`dot` program"):
        draw_tape(tape, tmp_path / "tape.png", loss)
    assert graphviz  # imported fine: only the program is missing


def test_draw_tape_rejects_unknown_suffix(tmp_path):
    tape, loss = _model()
    with pytest.raises(ValueError, match="svg, png"):
        draw_tape(tape, tmp_path / "tape.txt", loss)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("suffix, magic", [(".svg", b"<svg"), (".png", b"\x89PNG")])
def test_draw_tape_renders(tmp_path, suffix, magic):
    pytest.importorskip("graphviz")
    tape, loss = _model()
    out = draw_tape(tape, tmp_path / f"tape{suffix}", loss)
    data = out.read_bytes()
    assert magic in data[:400]
    if suffix == ".svg":
        assert "MatMul" in data.decode() and "w:0" in data.decode()
