"""``tf.strings``: filled from the op families' EXPORTS lists (see tapeflow/ops/__init__.py)."""

from .ops import export as _export

_export("strings", globals())

import numpy as _np  # noqa: E402

from .framework.tensor import convert_to_tensor as _convert, wrap as _wrap  # noqa: E402
from .graph.script_ops import format_value as _format_value  # noqa: E402
from .graph.script_ops import is_symbolic_tensor as _symbolic  # noqa: E402
from .graph.script_ops import numpy_function as _numpy_function  # noqa: E402


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """``tf.strings.format``: ``template`` with each ``placeholder`` replaced by the next input
    as ``tf.print`` shows it (``summarize`` elements at each end of an axis)."""
    items = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
    expected = template.count(placeholder)
    if expected != len(items):
        raise ValueError(f"The template expects {expected} tensors, but the inputs only has "
                         f"{len(items)}. Please ensure the number of placeholders in template "
                         f"matches inputs length.")
    tensors = [_convert(x) for x in items]
    pieces = template.split(placeholder)

    def text(*arrays):
        out = pieces[0] + "".join(_format_value(_np.asarray(a), summarize, True) + rest
                                  for a, rest in zip(arrays, pieces[1:]))
        return _np.array(out.encode("utf-8"), object)
    if any(_symbolic(t) for t in tensors):
        from .framework import dtypes
        return _numpy_function(text, tensors, dtypes.string, stateful=False)
    return _wrap(text(*[t.numpy() for t in tensors]))
