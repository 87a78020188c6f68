"""``tapeflow.viz.draw_tape``: render a tape's picture to SVG or PNG with Graphviz."""

import pathlib

_INSTALL = ("drawing a tape needs the `graphviz` Python package and the Graphviz `dot` program: "
            "pip install 'tapeflow[viz]' and install Graphviz (e.g. apt-get install graphviz, "
            "brew install graphviz, or conda install graphviz)")


def draw_tape(tape, path, target=None):
    """Write the picture of what ``tape`` recorded to ``path`` (format from its suffix)."""
    try:
        import graphviz
    except ImportError:
        raise RuntimeError(_INSTALL) from None
    path = pathlib.Path(path)
    fmt = path.suffix.lstrip(".") or "svg"
    source = graphviz.Source(tape.to_dot(target))
    try:
        data = source.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise RuntimeError(_INSTALL) from None
    path.write_bytes(data)
    return path
