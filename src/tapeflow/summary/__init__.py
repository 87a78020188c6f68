"""``tf.summary``: TensorBoard event files (needs the extra ``tapeflow[tensorboard]``)."""

from .ops import histogram, image, scalar, text  # noqa: F401
from .writer import (  # noqa: F401
    SummaryWriter, create_file_writer, create_noop_writer, flush, record_if,
    should_record_summaries)
from . import experimental  # noqa: F401
