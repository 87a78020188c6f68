"""``tf.config.optimizer``: Grappler's options and the XLA auto-clustering switch, kept and
reported as TensorFlow reports them. tapeflow runs a traced graph as traced (it has no graph
rewriter and no XLA), so the options change what is reported, not how a function runs."""

# TF's rewriter options in the order ``get_experimental_options`` lists them; the on/off ones
# are left out while unset, the two plain booleans always show.
_TOGGLES = ("layout_optimizer", "constant_folding", "shape_optimization", "remapping",
            "arithmetic_optimization", "dependency_optimization", "loop_optimization",
            "function_optimization", "debug_stripper", "disable_model_pruning",
            "scoped_allocator_optimization", "pin_to_host_optimization",
            "implementation_selector", "auto_mixed_precision", "use_plugin_optimizers",
            "disable_meta_optimizer", "auto_mixed_precision_onednn_bfloat16",
            "auto_mixed_precision_mkl")
_BOOLS = ("disable_model_pruning", "disable_meta_optimizer")

_options = {}
_jit = [False]


def set_experimental_options(options):
    """``tf.config.optimizer.set_experimental_options``: updates the options; ``None`` unsets
    one, names TF does not know are kept but never reported."""
    _options.update(options)


def get_experimental_options():
    """``tf.config.optimizer.get_experimental_options``."""
    out = {}
    for name in _TOGGLES:
        value = _options.get(name)
        if name in _BOOLS:
            out[name] = bool(value)
        elif value is not None:
            out[name] = bool(value)
    nodes = _options.get("min_graph_nodes")
    if isinstance(nodes, bool):
        raise TypeError("Field tensorflow.RewriterConfig.min_graph_nodes: Expected an int, got a "
                        "boolean.")
    if nodes:
        out["min_graph_nodes"] = int(nodes)
    return out


def set_jit(enabled):
    """``tf.config.optimizer.set_jit``: ``"autoclustering"`` (or ``True``) turns it on."""
    _jit[0] = enabled in (True, "autoclustering")


def get_jit():
    """``tf.config.optimizer.get_jit``: ``"autoclustering"`` or ``""``."""
    return "autoclustering" if _jit[0] else ""


def debug_stripped():
    """Whether a graph being traced leaves out its ``tf.Assert``/``tf.debugging.assert_*``,
    ``check_numerics`` (kept as an identity) and ``tf.print`` ops (``debug_stripper``)."""
    return bool(_options.get("debug_stripper"))
