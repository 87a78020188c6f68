"""``tf.keras`` (Keras 3 as TF 2.21 ships it): layers, models, training, callbacks, utils."""

from . import activations, initializers, layers  # noqa: F401
from . import backend, callbacks, config, constraints, models, regularizers  # noqa: F401
from . import export, saving, utils  # noqa: F401
from .layers import Input, Layer, Variable  # noqa: F401
from .models import Model, Sequential  # noqa: F401
from . import optimizers  # noqa: F401,E402
from . import losses  # noqa: F401,E402
from . import metrics  # noqa: F401,E402
from . import ops  # noqa: F401,E402
from . import random, tree  # noqa: F401,E402
from . import dtype_policies, mixed_precision, preprocessing  # noqa: F401,E402
from ._top import device, name_scope, version  # noqa: F401,E402
from .dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401,E402
from .initializers import Initializer  # noqa: F401,E402
from .layers import InputSpec  # noqa: F401,E402
from .losses import Loss  # noqa: F401,E402
from .metrics import Metric  # noqa: F401,E402
from .models.functional import KerasTensor  # noqa: F401,E402
from .optimizers import Optimizer  # noqa: F401,E402
from .regularizers import Regularizer  # noqa: F401,E402
from . import datasets  # noqa: F401,E402
from . import applications  # noqa: F401,E402
from . import wrappers  # noqa: F401,E402
from ._public import install as _install_public_namespaces  # noqa: E402

_install_public_namespaces()  # last: tf.keras.losses etc. show TF 2.21's names only
