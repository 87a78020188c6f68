"""``tf.test``: ``compute_gradient`` (theoretical and numerical Jacobians)."""

from .testing.gradient_checker import compute_gradient  # noqa: F401
