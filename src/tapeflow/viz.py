"""``tapeflow.viz.draw_tape``: render a tape's picture to SVG or PNG with Graphviz."""

import pathlib

_HOW = ("pip install 'tapeflow[viz]' (the `graphviz` Python package) and install the Graphviz "
        "program (apt-get install graphviz, brew install graphviz or conda install graphviz)")
_NO_PACKAGE = "draw_tape needs the `graphviz` Python package, which is not installed: " + _HOW
_NO_PROGRAM = ("draw_tape needs the Graphviz `dot` program, which was not found on PATH: " + _HOW)
_FORMATS = ("svg", "png", "pdf")


def draw_tape(tape, path, target=None):
    """Write the picture of what ``tape`` recorded to ``path`` (SVG, PNG or PDF, from its suffix;
    SVG when it has none), with the path to ``target`` highlighted. Returns the path written.

    Needs the optional ``graphviz`` package and the Graphviz ``dot`` program; without them it
    raises RuntimeError saying how to install them. ``tape.to_dot()`` needs neither.
    """
    path = pathlib.Path(path)
    fmt = path.suffix.lstrip(".").lower() or "svg"
    if fmt not in _FORMATS:
        raise ValueError(f"draw_tape writes {', '.join(_FORMATS)}; got a path ending in "
                         f"{path.suffix!r}")
    try:
        import graphviz
    except ImportError:
        raise RuntimeError(_NO_PACKAGE) from None
    source = graphviz.Source(tape.to_dot(target))
    try:
        data = source.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise RuntimeError(_NO_PROGRAM) from None
    path.write_bytes(data)
    return path
