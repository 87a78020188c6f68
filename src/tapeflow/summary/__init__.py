"""``tf.summary``: TensorBoard event files (needs the extra ``tapeflow[tensorboard]``)."""

from .graph import graph, trace_export, trace_off, trace_on  # noqa: F401
from .ops import audio, histogram, image, scalar, text, write  # noqa: F401
from .writer import (  # noqa: F401
    SummaryWriter, create_file_writer, create_noop_writer, flush, record_if,
    should_record_summaries)
from . import experimental  # noqa: F401
