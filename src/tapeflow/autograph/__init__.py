"""``tf.autograph``."""

from ..tracing.autograph import to_code  # noqa: F401
from . import experimental  # noqa: F401
