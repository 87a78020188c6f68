"""Models and ``summary()`` arguments whose printed tables are compared with Keras 3's
(recorded by tools/record_keras_symbolic_fixtures.py, tested by tests/test_keras_symbolic.py).
``SUMMARY_CASES`` maps a name to (a function of the ``keras`` module building the model, the
keyword arguments of ``summary``, and ``columns``: the COLUMNS the console is run with, 80 if
not given)."""


def sequential(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((16,)), L.Dense(32, activation="relu", name="hidden"),
                             L.Dropout(0.1), L.Dense(4, name="logits")], name="seq")


def two_inputs(keras):
    L = keras.layers
    a, b = keras.Input((8,), name="left"), keras.Input((4,), name="right")
    x = L.Concatenate(name="join")([L.Dense(6, name="proj_left")(a), b])
    return keras.Model([a, b], L.Dense(2, name="head")(x), name="two_in")


def nested(keras):
    L = keras.layers
    inner = keras.Sequential([keras.Input((5,)), L.Dense(3, name="inner_dense"),
                              L.BatchNormalization(name="inner_bn")], name="block")
    inp = keras.Input((5,), name="x")
    return keras.Model(inp, L.Dense(1, name="out")(inner(inp)), name="outer")


def frozen(keras):
    L = keras.layers
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, name="frozen_dense"),
                              L.Dense(2, name="free_dense"), L.Flatten(name="no_weights")],
                             name="partly_frozen")
    model.get_layer("frozen_dense").trainable = False
    return model


def long_names(keras):
    L = keras.layers
    inp = keras.Input((7,), name="an_input_with_a_rather_long_name")
    x = L.Dense(3, name="a_dense_layer_whose_name_is_much_longer_than_its_column")(inp)
    x = L.Dense(3, name="short name with spaces that wrap over lines")(x)
    return keras.Model(inp, x, name="long_names")


def shared_later(keras):
    """A layer called again in another model afterwards: Keras shows its last call's shape."""
    shared = keras.layers.Dense(2, name="shared")
    a, b = keras.Input((3,), name="a"), keras.Input((5, 3), name="b")
    first = keras.Model(a, shared(a), name="first")
    keras.Model(b, shared(b), name="second")
    return first


def late_inputs(keras):
    """Inputs joining at different depths and two unused ones: Keras's layer order (by depth,
    ties in traversal order; unused inputs with the outputs)."""
    L = keras.layers
    a, b, c = keras.Input((4,), name="a"), keras.Input((2,), name="b"), keras.Input((3,), name="c")
    unused, unused2 = keras.Input((1,), name="unused"), keras.Input((1,), name="unused2")
    x = L.Dense(2, name="d2")(L.Dense(3, name="d1")(a))
    z = L.Dense(3, name="d3")(L.Concatenate(name="cat")([x, b]))
    return keras.Model([a, unused2, b, c, unused], [L.Add(name="add")([z, c]), x],
                       name="late_inputs")


SUMMARY_CASES = {
    "sequential": (sequential, {}),
    "sequential_60": (sequential, {"line_length": 60}),
    "sequential_120": (sequential, {"line_length": 120}),
    "sequential_200": (sequential, {"line_length": 200}),
    "sequential_positions": (sequential, {"positions": [0.3, 0.7, 1.0]}),
    "sequential_positions_60": (sequential, {"line_length": 60, "positions": [0.5, 0.8, 1.0]}),
    "sequential_absolute": (sequential, {"positions": [30, 60, 70]}),
    "sequential_narrow": (sequential, {"line_length": 10}),
    "sequential_positions_short": (sequential, {"positions": [0.2, 0.4, 0.6]}),
    "sequential_positions_extra": (sequential, {"positions": [0.3, 0.5, 0.8, 1.0]}),
    "sequential_positions_too_few": (sequential, {"positions": [0.5, 1.0]}),
    "sequential_range": (sequential, {"layer_range": ["drop", "logits"]}),
    "two_inputs": (two_inputs, {}),
    "two_inputs_120": (two_inputs, {"line_length": 120}),
    "two_inputs_60": (two_inputs, {"line_length": 60}),
    "two_inputs_positions": (two_inputs, {"positions": [0.25, 0.5, 0.6, 1.0]}),
    "two_inputs_trainable": (two_inputs, {"show_trainable": True}),
    "nested": (nested, {}),
    "nested_expanded": (nested, {"expand_nested": True}),
    "nested_expanded_trainable": (nested, {"expand_nested": True, "show_trainable": True,
                                           "line_length": 100}),
    "frozen_trainable": (frozen, {"show_trainable": True}),
    "frozen_trainable_70": (frozen, {"show_trainable": True, "line_length": 70}),
    "long_names": (long_names, {}),
    "long_names_120": (long_names, {"line_length": 120}),
    "long_names_200": (long_names, {"line_length": 200}),
    "shared_later": (shared_later, {}),
    "late_inputs": (late_inputs, {"line_length": 100, "columns": 100}),
    "bad_range": (sequential, {"layer_range": ["nothing", "logits"]}),
    # a console COLUMNS wide (the recorder and the test set the variable)
    "sequential_columns_120": (sequential, {"columns": 120}),
    "two_inputs_columns_120_line_200": (two_inputs, {"columns": 120, "line_length": 200}),
    "nested_columns_50": (nested, {"columns": 50, "expand_nested": True}),
}
