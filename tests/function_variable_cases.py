"""Snippets of tf.function called with tf.Variable arguments. Each prints what it shows; the
recorder (tools/record_function_variable_fixtures.py) stores TF's output, the tests compare
tapeflow's (tests/test_function_variables.py)."""

import contextlib
import io
import re


def run_case(tf_module, code):
    """What ``code`` prints (with ``tf`` bound to ``tf_module``), an exception as its type."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            exec(code, {"tf": tf_module})  # noqa: S102 - our own snippets
        except Exception as e:  # noqa: BLE001 - the error is the case's output
            print(f"EXC {type(e).__name__}")
    return re.sub(r"\b\d{9,}\b", "<id>", buf.getvalue())  # ids of captured handles


CASES = {
    "same_spec_one_trace": """
n = [0]
@tf.function
def f(v):
    n[0] += 1
    return v.read_value()
print(f(tf.Variable(1)), f(tf.Variable(2)))
print(n[0], f.experimental_get_tracing_count())
""",
    "spec_parts": """
@tf.function
def f(v):
    return v + 1
a, b = tf.Variable(1.0), tf.Variable(2.0)
c = tf.Variable(3.0, trainable=False)
d = tf.Variable([1.0, 2.0])
e = tf.Variable(1.0, dtype=tf.float64)
for v in (a, b, c, d, e, a, c):
    f(v)
    print(f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
""",
    "assign_in_place": """
@tf.function
def step(v, x):
    v.assign_add(x)
    v.assign_sub(tf.ones_like(x))
    return v * 2.0
a = tf.Variable([1.0, 2.0])
b = tf.Variable([10.0, 20.0])
print(step(a, tf.constant([1.0, 1.0])), step(b, tf.constant([2.0, 2.0])))
print(step(a, tf.constant([1.0, 1.0])))
print(a.numpy(), b.numpy(), step.experimental_get_tracing_count())
""",
    "assign_and_read": """
@tf.function
def f(v, x):
    before = v.read_value()
    v.assign(x)
    return before, v.read_value()
a, b = tf.Variable(1), tf.Variable(5)
print(f(a, 3), f(b, 3), f(a, 3))
print(a.numpy(), b.numpy(), f.experimental_get_tracing_count())
""",
    "scatter": """
@tf.function
def f(v):
    v.scatter_nd_update([[0], [2]], [7.0, 8.0])
    v.scatter_add(tf.IndexedSlices(tf.constant([1.0]), tf.constant([1])))
    return tf.reduce_sum(v)
a = tf.Variable([0.0, 0.0, 0.0])
b = tf.Variable([1.0, 1.0, 1.0])
print(f(a), f(b))
print(a.numpy(), b.numpy(), f.experimental_get_tracing_count())
""",
    "gradient_outside": """
@tf.function
def loss(w, x):
    return tf.reduce_sum(w * x) ** 2
w1, w2 = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 1.0])
x = tf.constant([0.5, 1.5])
with tf.GradientTape(persistent=True) as tape:
    l1 = loss(w1, x)
    l2 = loss(w2, x)
print(tape.gradient(l1, w1), tape.gradient(l2, w2), tape.gradient(l1, w2))
print(loss.experimental_get_tracing_count())
""",
    "gradient_after_assign": """
@tf.function
def f(v):
    v.assign(v * 3.0)
    return v.read_value() ** 2
a, b = tf.Variable(1.0), tf.Variable(2.0)
for v in (a, b):
    with tf.GradientTape() as tape:
        y = f(v)
    print(y, tape.gradient(y, v))
print(f.experimental_get_tracing_count())
""",
    "nested_structures": """
@tf.function
def f(vs, d):
    return vs[0] + vs[1] + d["k"]
a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0)
print(f([a, b], {"k": c}), f([c, a], {"k": b}), f([b, b], {"k": b}))
print(f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
""",
    "aliasing": """
@tf.function
def f(x, y):
    x.assign_add(1.0)
    return y.read_value()
a, b = tf.Variable(1.0), tf.Variable(10.0)
print(f(a, b), f(b, a), f(a, a), f(b, b))
print(f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
""",
    "module_argument": """
class M(tf.Module):
    def __init__(self, x):
        self.v = tf.Variable(x)
@tf.function
def f(m):
    return m.v * 2.0
m1, m2 = M(1.0), M(2.0)
print(f(m1), f(m2), f(m1))
print(f.experimental_get_tracing_count())
""",
    "generator_argument": """
@tf.function
def f(g):
    return g.normal([])
g1, g2 = tf.random.Generator.from_seed(1), tf.random.Generator.from_seed(2)
f(g1)
f(g2)
f(g1)
print(f.experimental_get_tracing_count())
""",
    "same_object_inside": """
seen = []
@tf.function
def f(v):
    seen.append(v)
    return v.read_value()
a, b = tf.Variable(1.0), tf.Variable(2.0)
print(f(a), f(b))
print(len(seen), seen[0] is a, type(seen[0]).__name__, seen[0].name, seen[0].shape)
""",
    "closure_and_argument": """
a, b = tf.Variable(1.0), tf.Variable(2.0)
@tf.function
def f(v):
    return v + a
print(f(a), f(b), f.experimental_get_tracing_count())
""",
    "concrete_function": """
@tf.function
def f(v, x):
    return v.read_value() * x
a, b = tf.Variable(1.0), tf.Variable(2.0)
d = tf.Variable([1.0, 2.0])
cf = f.get_concrete_function(a, tf.constant(3.0))
print(cf.structured_input_signature)
print(cf)
print(cf(b, tf.constant(3.0)))
print(cf.captured_inputs, cf.variables)
print(f.experimental_get_tracing_count())
print(f(b, tf.constant(2.0)), f.experimental_get_tracing_count())
""",
    "concrete_function_wrong_variable": """
@tf.function
def f(v):
    return v.read_value() * 2.0
a = tf.Variable(1.0)
cf = f.get_concrete_function(a)
for bad in (tf.Variable([1.0, 2.0]), tf.Variable(1, dtype=tf.int32), tf.constant(1.0)):
    try:
        print(cf(bad))
    except Exception as e:
        print(type(e).__name__)
""",
    "concrete_function_from_spec": """
@tf.function
def f(v):
    return v * 2.0
cf = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
print(cf(tf.constant([1.0, 2.0])))
print(cf(tf.Variable([3.0, 4.0])))
print(f(tf.Variable([3.0, 4.0])), f.experimental_get_tracing_count())
""",
    "input_signature_variable": """
@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def f(x):
    return x * 2.0
print(f(tf.Variable(1.0)), f(tf.Variable(2.0)), f.experimental_get_tracing_count())
""",
    "keyword_argument": """
@tf.function
def f(x, v=None):
    return x + v
a, b = tf.Variable(1.0), tf.Variable(2.0)
print(f(1.0, v=a), f(1.0, v=b), f.experimental_get_tracing_count())
""",
    "variable_and_python_value": """
@tf.function
def f(v, k):
    return v * k
a, b = tf.Variable(1.0), tf.Variable(2.0)
print(f(a, 2.0), f(b, 2.0), f(a, 3.0), f.experimental_get_tracing_count())
""",
    "nested_function_call": """
@tf.function
def inner(v):
    v.assign_add(1.0)
    return v.read_value()
@tf.function
def outer(v, w):
    return inner(v) + inner(w)
a, b, c = tf.Variable(1.0), tf.Variable(10.0), tf.Variable(100.0)
print(outer(a, b), outer(c, a))
print(a.numpy(), b.numpy(), c.numpy())
print(inner.experimental_get_tracing_count(), outer.experimental_get_tracing_count())
""",
    "control_flow": """
@tf.function
def f(v, n):
    def body(i):
        v.assign_add(1.0)
        return (i + 1,)
    tf.while_loop(lambda i: i < n, body, (tf.constant(0),))
    tf.cond(v.read_value() > 4.0, lambda: v.assign(0.0), lambda: v.assign_sub(0.5))
    return v.read_value()
a, b = tf.Variable(1.0), tf.Variable(3.0)
print(f(a, tf.constant(2)), f(b, tf.constant(2)), f(a, tf.constant(1)))
print(a.numpy(), b.numpy(), f.experimental_get_tracing_count())
""",
    "tape_inside": """
@tf.function
def sgd_step(w, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((w * x - y) ** 2)
    g = tape.gradient(loss, w)
    w.assign_sub(0.1 * g)
    return loss
w1, w2 = tf.Variable([1.0, 1.0]), tf.Variable([0.0, 2.0])
x, y = tf.constant([1.0, 2.0]), tf.constant([2.0, 2.0])
print(sgd_step(w1, x, y), sgd_step(w2, x, y), sgd_step(w1, x, y))
print(w1.numpy(), w2.numpy(), sgd_step.experimental_get_tracing_count())
""",
    "reduce_retracing": """
@tf.function(reduce_retracing=True)
def f(v):
    return tf.reduce_sum(v)
for n in (1, 2, 3, 4):
    print(f(tf.Variable(tf.ones([n]))), f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
""",
    "unknown_shape": """
@tf.function
def f(v):
    return tf.reduce_sum(v)
a = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
b = tf.Variable([1.0, 2.0, 3.0], shape=tf.TensorShape(None))
c = tf.Variable([1.0, 2.0])
print(f(a), f(b), f(c), f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
""",
    "module_method": """
class Scaler(tf.Module):
    def __init__(self):
        self.k = tf.Variable(3.0)
    @tf.function
    def apply(self, v):
        return v * self.k
s = Scaler()
a, b = tf.Variable(1.0), tf.Variable(2.0)
print(s.apply(a), s.apply(b), s.apply.experimental_get_tracing_count())
print(s.apply.get_concrete_function(a))
""",
    "keyword_only_variables": """
@tf.function
def f(*, a, b):
    return a - b
x, y = tf.Variable(5.0), tf.Variable(1.0)
print(f(a=x, b=y), f(b=x, a=y), f(a=x, b=x), f.experimental_get_tracing_count())
""",
    "mixed_tensor_and_variable_lists": """
@tf.function
def f(items):
    return tf.add_n([tf.convert_to_tensor(i) for i in items])
a, b = tf.Variable(1.0), tf.Variable(2.0)
print(f([a, tf.constant(1.0)]), f([b, tf.constant(5.0)]), f([tf.constant(1.0), a]))
print(f.experimental_get_tracing_count())
""",
    "replayed_under_a_tape": """
@tf.function
def f(v, x):
    v.assign_add(x)
    return v * v
a, b = tf.Variable(1.0), tf.Variable(4.0)
print(f(a, 1.0))
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(b)
    y = f(b, 1.0)
print(y, tape.gradient(y, b), a.numpy(), b.numpy(), f.experimental_get_tracing_count())
""",
}
