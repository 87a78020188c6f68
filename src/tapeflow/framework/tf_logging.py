"""The ``tensorflow`` logger, so warnings print as ``WARNING:tensorflow:<text>`` like TF's."""

import logging
import sys

logger = logging.getLogger("tensorflow")
if not logger.handlers:  # real TensorFlow may share the process and own the handler already
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
    logger.addHandler(_handler)
    logger.propagate = False

_counts = {}


def warning(msg):
    logger.warning(msg)


def log_first_n(key, msg, n):
    """Log ``msg`` as a warning at most ``n`` times per process for one ``key``."""
    seen = _counts.get(key, 0)
    if seen < n:
        _counts[key] = seen + 1
        logger.warning(msg)
