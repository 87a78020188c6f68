"""Graphs traced from Python functions: the IR, the executor and the control-flow ops."""
