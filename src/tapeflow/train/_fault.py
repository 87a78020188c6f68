"""Fault injection for the crash tests: with ``TAPEFLOW_CHECKPOINT_CRASH_AT=k`` in the
environment, the process dies (``os._exit``, no cleanup) at the k-th step of checkpoint writing:
after each tensor, sync, rename and state-file write. Unset, ``step`` costs one comparison."""

import os

_at = int(os.environ.get("TAPEFLOW_CHECKPOINT_CRASH_AT", "0") or 0)
_count = 0


def step():
    global _count
    if _at:
        _count += 1
        if _count == _at:
            os._exit(75)
