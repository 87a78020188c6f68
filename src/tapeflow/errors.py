"""``tf.errors``."""

from .framework.errors import *  # noqa: F401,F403
from .framework.errors import OpError, InvalidArgumentError  # noqa: F401
