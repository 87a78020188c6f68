"""``tapeflow.testing``: gradient checking for users and for tapeflow's own op tests."""

from .gradient_checker import GradientCheckError, check_gradients, compute_gradient  # noqa: F401
