"""``tf.keras.config``: where Keras's progress messages go.

With interactive logging on (the default) the progress bar and ``fit``'s epoch lines are written
to standard output; off, they go to the ``tapeflow`` logger at INFO level, which prints nothing
unless asked (Keras 3 sends them to absl's logging). ``tapeflow.horovod.init()`` turns it off on
every rank but 0, so a distributed ``fit`` draws one progress bar.
"""

import logging
import sys

_interactive = True


def enable_interactive_logging():
    global _interactive
    _interactive = True


def disable_interactive_logging():
    global _interactive
    _interactive = False


def is_interactive_logging_enabled():
    return _interactive


def print_msg(text, line_break=True):
    """Write one of Keras's progress messages where the setting above says."""
    if _interactive:
        sys.stdout.write(text + "\n" if line_break else text)
        sys.stdout.flush()
    else:
        logging.getLogger("tapeflow").info(text)
