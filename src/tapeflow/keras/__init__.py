"""``tf.keras`` (Keras 3 as TF 2.21 ships it): layers, models, training, callbacks, utils."""

from . import activations, initializers, layers  # noqa: F401
from . import backend, callbacks, config, constraints, models, regularizers  # noqa: F401
from . import saving, utils  # noqa: F401
from .layers import Input, Layer, Variable  # noqa: F401
from .models import Model, Sequential  # noqa: F401
from . import optimizers  # noqa: F401,E402
from . import losses  # noqa: F401,E402
from . import metrics  # noqa: F401,E402
from . import ops  # noqa: F401,E402
from . import random, tree  # noqa: F401,E402
