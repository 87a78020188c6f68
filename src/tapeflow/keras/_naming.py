"""Keras's automatic object names: ``SGD`` -> ``sgd``, then ``sgd_1``, ``sgd_2`` ..."""

import collections
import re

_uids = collections.defaultdict(int)


def snake_case(name):
    """Keras's spelling (``RMSprop`` -> ``rm_sprop``, ``AdamW`` -> ``adam_w``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name):
    base = snake_case(class_name)
    count = _uids[base]
    _uids[base] += 1
    return base if count == 0 else f"{base}_{count}"
