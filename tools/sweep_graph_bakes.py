"""Measure (not a test): does tf.function compute what eager computes, on other values too?

    .venv/bin/python tools/sweep_graph_bakes.py [-v] [name-substring ...]
    /work/tfenv/bin/python tools/sweep_graph_bakes.py --tf   # the same sweep on real TF

Every snippet of tests/breadth_cases.py (an expression over ``tf`` and ``np``) is rewritten so
that its data become the arguments of a function: each ``tf.constant(...)`` / ``tf.Variable(...)``
of literal data, and each literal (a number, a list of numbers, a NumPy expression) passed
positionally to a ``tf.*`` call, is lifted into a parameter (tensors; a Variable stays one
Variable whose value is assigned before each call). The cases of tests/keras_ops_cases.py get
their NumPy inputs (module constants and default arguments) as tensor arguments the same way, and
those of tests/shape_cases.py their signature's tensors. Each function then runs eagerly and
through one ``tf.function`` on value sets of the same shapes and dtypes: the original values
(twice: the trace, then the compiled program), each tensor's flattened elements reversed, and
reversed then scaled by 1.5 (floats) or plus 1 (integers). Eager and graph must give the same
values, dtypes and shapes, or the same exception type.

Each function is swept twice: keyed by value (as a plain ``tf.function``: an op that needs a
small tensor argument's value retraces once per value) and from an ``input_signature`` of the
arguments' exact shapes and dtypes (one trace serves every value, so such an op must refuse).

A *bake* is a graph result equal to the first call's where eager's differs: an op read a
traced tensor's example value and kept it. *refused*: the graph raised tf.function's "needs the
value … while tracing" ValueError (the documented refusal). *numpy*: the snippet itself converts
a graph tensor with NumPy (an error in TF too). *differs*: any other disagreement (a wrong
value, or an error only one side raises); tests/test_function_bakes.py lists the known ones.
*errtype*: both raise, exceptions of other types (no value is wrong).
"""

import ast
import pathlib
import sys
import types

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# Snippets whose eager and graph results differ by design (not values read while tracing).
BY_DESIGN = {
    "executing_eagerly": "True eagerly, False in a graph",
    "no_op": "None eagerly, an Operation in a graph",
    "group": "None eagerly, an Operation in a graph",
    "gradients": "tf.gradients is graph-only",
    "get_static_value": "a graph tensor's static value is unknown",
    "register_gradient": "registers once",
}
# Calls whose positional literals are Python structure, not tensor data.
_KEEP = ("tf.TensorShape", "tf.TensorSpec", "tf.nest.", "tf.DeviceSpec", "tf.name_scope",
         "tf.RegisterGradient", "tf.dtypes.as_dtype", "tf.as_dtype", "tf.debugging.assert_shapes",
         "tf.debugging.assert_proper_iterable", "tf.broadcast_static_shape", "tf.ragged.constant",
         "tf.RaggedTensorSpec", "tf.SparseTensorSpec", "tf.sparse.SparseTensorSpec")
_RANDOM = ("tf.random.", "tf.nn.dropout", "tf.image.random", "tf.random_", "stateful",
           "tf.keras.random", "fixed_unigram", "uniform_candidate", "log_uniform_candidate",
           "learned_unigram", "all_candidate_sampler")
NEEDS_VALUE = "needs the value of"
NUMPY = "Cannot convert a symbolic"


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _uses(node, name):
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _data(node):
    """The NumPy value of an expression of literal data (no ``tf``), or None."""
    if _uses(node, "tf") or any(isinstance(n, ast.Lambda) for n in ast.walk(node)):
        return None
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return None
    try:
        value = eval(compile(ast.Expression(node), "<data>", "eval"), {"np": np})  # noqa: S307
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - not data
        return None
    if array.dtype.kind not in "biufc" or array.size == 0:
        return None
    return value


class _Lift(ast.NodeTransformer):
    """Replace literal data by parameter names ``_a0, _a1…``; ``lifted`` holds
    (kind, source) per parameter: ``"const"`` (a tensor made by evaluating ``source``) or
    ``"var"`` (a Variable made by evaluating it)."""

    def __init__(self):
        self.lifted = []

    def _param(self, kind, source):
        self.lifted.append((kind, source))
        return ast.Name(id=f"_a{len(self.lifted) - 1}", ctx=ast.Load())

    def visit_Call(self, node):
        name = _dotted(node.func) or ""
        if name.startswith(_KEEP):
            return node
        if name in ("tf.constant", "tf.Variable", "tf.convert_to_tensor") and node.args and (
                _data(node.args[0]) is not None):
            kind = "var" if name == "tf.Variable" else "const"
            return self._param(kind, ast.unparse(node))
        if name.startswith("tf."):
            node.args = [self._param("const", f"tf.constant({ast.unparse(a)})")
                         if _data(a) is not None else a for a in node.args]
        return self.generic_visit(node)


def lift(source):
    """``(function source with parameters, [(kind, source)])`` for a snippet."""
    tree = ast.parse(source, mode="eval")
    lifter = _Lift()
    body = lifter.visit(tree).body
    params = ", ".join(f"_a{i}" for i in range(len(lifter.lifted)))
    return f"lambda {params}: {ast.unparse(body)}", lifter.lifted


def _perturbed(value, k):
    """Value set ``k`` of an array: 0 the original, 1 reversed, 2 reversed and scaled (floats)
    or plus one (integers)."""
    if k == 0:
        return value
    out = value.reshape(-1)[::-1].reshape(value.shape)
    if k == 2:
        if out.dtype.kind in "fc":
            out = (out * 1.5).astype(out.dtype)
        elif out.dtype.kind in "iu":
            out = out + np.array(1, out.dtype)
    return out


def _norm(tf, x):
    """A comparable form of a result."""
    if isinstance(x, tf.Variable):
        x = x.read_value()
    if isinstance(x, tf.Tensor) or type(x).__name__ == "EagerTensor":
        v = x.numpy()
        return ("T", x.dtype.name, tuple(x.shape), v)
    if isinstance(x, tf.SparseTensor | tf.RaggedTensor | tf.IndexedSlices):
        return (type(x).__name__,) + tuple(_norm(tf, p) for p in tf.nest.flatten(
            x, expand_composites=True))
    if isinstance(x, list | tuple):
        return (type(x).__name__,) + tuple(_norm(tf, p) for p in x)
    if isinstance(x, dict):
        return ("dict",) + tuple((k, _norm(tf, v)) for k, v in sorted(x.items()))
    if isinstance(x, np.ndarray | np.generic):
        return ("A", np.asarray(x))
    return ("R", repr(x))


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind in "fc":
            return np.array_equal(a, b, equal_nan=True)
        return np.array_equal(a, b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _outcome(tf, fn, args):
    try:
        return ("ok", _norm(tf, fn(*args)))
    except Exception as e:  # noqa: BLE001 - the error is the outcome
        why = "value" if NEEDS_VALUE in str(e) else "numpy" if NUMPY in str(e) else ""
        return ("error", type(e).__name__, why)


class Case:
    """One function and its argument makers: ``make(k)`` gives value set ``k``'s arguments
    (Variables are made once and assigned)."""

    def __init__(self, name, fn, values, variables=()):
        self.name = name
        self.fn = fn
        self.values = values        # per parameter: a NumPy array (its tensor's value)
        self.variables = variables  # per parameter: a Variable or None

    def args(self, tf, k):
        out = []
        for value, var in zip(self.values, self.variables or [None] * len(self.values)):
            v = _perturbed(value, k)
            if var is not None:
                var.assign(v)
                out.append(var)
            else:
                out.append(tf.constant(v))
        return out


def _tensor_value(t):
    return np.asarray(t.numpy())


def breadth_cases(tf, names=None):
    from breadth_cases import CASES
    out, skipped = [], {}
    for name, source in CASES.items():
        if names is not None and name not in names:
            continue
        if name in BY_DESIGN or any(r in source for r in _RANDOM):
            skipped[name] = BY_DESIGN.get(name, "random draws differ by design")
            continue
        try:
            fn_source, lifted = lift(source)
        except SyntaxError:
            skipped[name] = "not an expression"
            continue
        if not lifted:
            skipped[name] = "no data to lift"
            continue
        scope = {"tf": tf, "np": np}
        values, variables = [], []
        try:
            for kind, src in lifted:
                made = eval(src, scope)  # noqa: S307 - the project's own snippets
                variables.append(made if kind == "var" else None)
                values.append(_tensor_value(made.read_value() if kind == "var" else made))
        except Exception as e:  # noqa: BLE001 - a snippet whose data is itself the error
            skipped[name] = f"its data raise {type(e).__name__}"
            continue
        if not any(v.dtype.kind in "biufc" for v in values):
            skipped[name] = "no numeric data"
            continue
        fn = eval(fn_source, scope)  # noqa: S307
        out.append(Case(f"breadth:{name}", fn, values, variables))
    return out, skipped


def keras_ops_cases(tf, names=None):
    import keras_ops_cases as module
    out, skipped = [], {}
    arrays = {k: v for k, v in vars(module).items()
              if isinstance(v, np.ndarray) and v.dtype.kind in "biufc"}
    for name, lam in module.CASES.items():
        if names is not None and name not in names:
            continue
        used = [n for n in lam.__code__.co_names if n in arrays]
        defaults = lam.__defaults__ or ()
        array_defaults = [i for i, d in enumerate(defaults) if isinstance(d, np.ndarray)]
        if not used and not array_defaults:
            skipped[f"keras:{name}"] = "no data to lift"
            continue
        values = [arrays[n] for n in used] + [defaults[i] for i in array_defaults]

        def fn(*xs, lam=lam, used=used, array_defaults=array_defaults):
            scope = dict(lam.__globals__)
            scope.update(zip(used, xs[:len(used)]))
            given = list(lam.__defaults__ or ())
            for i, x in zip(array_defaults, xs[len(used):]):
                given[i] = x
            f = types.FunctionType(lam.__code__, scope, lam.__name__, tuple(given),
                                   lam.__closure__)
            return f(tf.keras.ops)
        out.append(Case(f"keras:{name}", fn, values))
    return out, skipped


def shape_cases(tf, names=None):
    from shape_cases import CASES
    rng = np.random.default_rng(3)
    out = []
    for name, (signature, source) in CASES.items():
        if names is not None and name not in names:
            continue
        values = []
        for shape, dtype in signature:
            dims = [3 if d is None else d for d in (shape or [])]
            v = rng.standard_normal(dims) * 3
            values.append(np.asarray(v if dtype.startswith("float") else np.round(v),
                                     dtype=dtype))
        out.append(Case(f"shapes:{name}", eval(source, {"tf": tf}), values))  # noqa: S307
    return out, {}


def all_cases(tf, names=None):
    cases, skipped = [], {}
    for make in (breadth_cases, keras_ops_cases, shape_cases):
        c, s = make(tf, names)
        cases += c
        skipped.update(s)
    return cases, skipped


SETS = (0, 0, 1, 2)  # the original values twice (trace, then program), reversed, scaled


def sweep(tf, case, signature=False):
    """``(verdict, detail)``: ``"ok"``, ``"bake"``, ``"refused"``, ``"numpy"`` (the snippet's own
    NumPy call on a graph tensor, an error in TF too), ``"errtype"`` (both raise, other types:
    a shape a trace keyed by value knows is refused while tracing with TF's ValueError, where
    eager raises InvalidArgumentError) or ``"differs"``. With ``signature``, the
    function has an input_signature of the arguments' exact shapes and dtypes: one trace serves
    every value, so an op that needs a value in Python is refused (never retraced by value)."""
    specs = None
    if signature:
        specs = [tf.TensorSpec(v.shape, tf.constant(v).dtype) for v in case.values]
    graph = tf.function(case.fn, autograph=False, input_signature=specs)
    first_graph = first_eager = None
    verdict, detail = "ok", ""
    for i, k in enumerate(SETS):
        eager = _outcome(tf, case.fn, case.args(tf, k))
        got = _outcome(tf, graph, case.args(tf, k))
        if i == 0:
            first_graph, first_eager = got, eager
        if _same(eager, got):
            continue
        if got[0] == "error" and got[2] == "value":
            return "refused", f"set {k}: {got[1]} (needs the value), eager {_brief(eager)}"
        if got[0] == "error" and got[2] == "numpy":
            return "numpy", f"set {k}: the snippet converts a graph tensor with NumPy"
        if got[0] == "error" and eager[0] == "error":
            return "errtype", f"set {k}: eager raised {eager[1]}, the graph {got[1]}"
        if k and got[0] == "ok" and _same(got, first_graph) and not _same(eager, first_eager):
            return "bake", f"set {k}: the graph gave the first call's result"
        verdict = "differs"
        detail = f"set {k}#{i}: eager {_brief(eager)} graph {_brief(got)}"
        break
    return verdict, detail


def _brief(outcome):
    if outcome[0] == "error":
        return f"raised {outcome[1]}"
    text = repr(outcome[1]).replace("\n", " ")
    return text[:160]


def main(argv):
    verbose = "-v" in argv
    if "--tf" in argv:
        import tensorflow as tf
    else:
        import tapeflow as tf
    wanted = [a for a in argv if not a.startswith("-")]
    cases, skipped = all_cases(tf)
    if wanted:
        cases = [c for c in cases if any(w in c.name for w in wanted)]
    for signature in (False, True):
        counts = {}
        mode = "signature" if signature else "by value"
        for case in cases:
            if signature and any(case.variables or ()):
                continue  # a Variable is no TensorSpec
            verdict, detail = sweep(tf, case, signature)
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict != "ok" and (verbose or verdict not in ("refused", "numpy", "errtype")):
                print(f"{verdict:8} {mode:9} {case.name}: {detail}")
        print(f"{mode}: {sum(counts.values())} cases swept ({len(skipped)} skipped: random, by "
              "design or no data): " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    if verbose:
        for name, why in sorted(skipped.items()):
            print(f"skipped  {name}: {why}")


if __name__ == "__main__":
    main(sys.argv[1:])
