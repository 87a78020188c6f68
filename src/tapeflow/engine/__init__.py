"""The autodiff engine: primitives and the recorder stack, GradientTape, the backward walk."""
