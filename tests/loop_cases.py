"""Graph loops under tf.function, written once for TensorFlow and tapeflow alike.

``cases(tf)`` runs each snippet with the module given (real TensorFlow in
tools/record_loops_fixtures.py, tapeflow in tests/test_function_loops.py) and returns
{name: list of results}, each result a NumPy array or a static shape (list, None for unknown).
Every loop is traced from a ``[None, ...]`` signature and called at several sizes.
"""

import numpy as np


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def _shape(t):
    return None if t.shape.rank is None else list(t.shape.as_list())


def _inputs():
    rng = np.random.default_rng(5)
    return [rng.uniform(0.5, 1.5, (n, 3)).astype(np.float32) for n in (1, 2, 4)]


def cases(tf):
    out = {}
    mat = tf.TensorSpec([None, 3], tf.float32)
    vec = tf.TensorSpec([None], tf.float32)

    def run(name, fn, sig, values, shapes=True):
        f = tf.function(fn, input_signature=[sig])
        concrete = f.get_concrete_function()  # traced from the signature alone, then called
        res = [] if not shapes else [_shape(t) for t in tf.nest.flatten(
            concrete.structured_outputs)]
        for v in values:
            res.extend(_np(t) for t in tf.nest.flatten(f(tf.constant(v))))
        out[name] = res
        if not shapes:  # gradients: also traced once per size (every shape fully known)
            exact = tf.function(fn)
            out[name + "_exact"] = [_np(t) for v in values
                                    for t in tf.nest.flatten(exact(tf.constant(v)))]

    mats = _inputs()
    vecs = [m[:, 0] for m in mats]

    run("map_sum", lambda x: tf.map_fn(lambda r: tf.reduce_sum(r * r), x), mat, mats)
    run("map_rows", lambda x: tf.map_fn(lambda r: r[::-1] * 2.0, x), mat, mats)
    run("map_tuple", lambda x: tf.map_fn(
        lambda t: (t[0] * t[1], tf.reduce_max(t[0])), (x, x + 1.0),
        fn_output_signature=(tf.float32, tf.TensorSpec([], tf.float32))), mat, mats)
    run("map_dict_int", lambda x: tf.map_fn(
        lambda d: {"n": tf.cast(tf.reduce_sum(d["a"]), tf.int32)}, {"a": x},
        fn_output_signature={"n": tf.int32}), mat, mats)
    run("map_capture", lambda x: tf.map_fn(lambda r: r * tf.reduce_sum(x), x), mat, mats)
    run("scan_sum", lambda x: tf.scan(lambda a, r: a + r, x), mat, mats)
    run("scan_init_rev", lambda x: tf.scan(lambda a, r: (a[0] * r, a[1] + 1.0), x,
                                           initializer=(tf.ones([]), tf.zeros([])),
                                           reverse=True), vec, vecs)
    run("foldl", lambda x: tf.foldl(lambda a, r: a * 2.0 + r, x), vec, vecs)
    run("foldr_init", lambda x: tf.foldr(lambda a, r: a * 2.0 + r, x, initializer=1.0),
        vec, vecs)
    run("vectorized_map", lambda x: tf.vectorized_map(lambda r: tf.reduce_sum(r) * r, x),
        mat, mats)

    def arrays(x):  # TensorArrays written in a graph loop: static length as TF infers it
        out = []
        for size, dynamic in ((3, False), (3, True), (tf.shape(x)[0], False)):
            ta = tf.TensorArray(tf.float32, size=size, dynamic_size=dynamic)
            ta = tf.while_loop(lambda i, ta: i < 2, lambda i, ta: (i + 1, ta.write(i, x[i])),
                               (0, ta))[1]
            out += [ta.stack(), ta.size()]
        return out

    run("tensor_arrays", arrays, vec, vecs[1:])

    def grads(loss):
        def f(x):
            with tf.GradientTape() as t2:
                t2.watch(x)
                with tf.GradientTape() as t1:
                    t1.watch(x)
                    y = loss(x)
                g = t1.gradient(y, x)
                gs = tf.reduce_sum(g * g)
            return y, g, t2.gradient(gs, x)
        return f

    run("grad_map", grads(lambda x: tf.reduce_sum(tf.map_fn(lambda r: r ** 3, x))), vec, vecs,
        shapes=False)
    run("grad_map_rows", grads(lambda x: tf.reduce_sum(
        tf.map_fn(lambda r: tf.sin(r) * tf.reduce_sum(r), x))), mat, mats, shapes=False)
    run("grad_scan", grads(lambda x: tf.reduce_sum(tf.scan(lambda a, r: a * r + 1.0, x))),
        vec, vecs, shapes=False)
    run("grad_foldr", grads(lambda x: tf.foldr(lambda a, r: tf.sin(a) * r, x,
                                               initializer=1.0)), vec, vecs, shapes=False)

    w = tf.Variable([0.5, -1.0, 2.0])

    def captured(x):  # x both mapped over and captured, a Variable captured
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(tf.map_fn(lambda r: tf.sin(r * w) * tf.reduce_sum(x), x))
            gx, gw = tape.gradient(y, [x, w])
            s = tf.reduce_sum(gx * gx) + tf.reduce_sum(gw)
        return y, gx, gw, t2.gradient(s, x)

    run("grad_map_capture", captured, mat, mats, shapes=False)

    run("grad_scan_rev_capture", grads(lambda x: tf.reduce_sum(tf.scan(
        lambda a, r: (a[0] * r + tf.reduce_sum(x) * w[0], a[1] + tf.sin(a[0])), x,
        initializer=(1.0, 0.0), reverse=True)[1])), vec, vecs, shapes=False)
    run("grad_foldl", grads(lambda x: tf.foldl(lambda a, r: a * tf.cos(r) + r, x)), vec, vecs,
        shapes=False)
    run("grad_scan_int_elems", grads(lambda x: tf.reduce_sum(tf.scan(
        lambda a, t: a * t[0] + tf.cast(t[1], tf.float32), (x, tf.range(tf.shape(x)[0])),
        initializer=1.0))), vec, vecs, shapes=False)

    def loop(x):
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x + tf.sin(y)),
                             (0, tf.ones_like(x)))[1]

    run("grad_while", grads(lambda x: tf.reduce_sum(loop(x))), vec, vecs, shapes=False)
    def limited(x):
        _, y, z = tf.while_loop(
            lambda i, y, z: tf.reduce_sum(y) < 50.0,
            lambda i, y, z: (i + 1, y * x * w[2] + tf.cast(i, tf.float32), z + tf.reduce_max(y)),
            (0, tf.ones_like(x) * 1.5, 0.0), maximum_iterations=4)
        return tf.reduce_sum(y) + z

    run("grad_while_limited", grads(limited), vec, vecs, shapes=False)

    def forward(fn):
        def f(x):
            with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
                y = fn(x)
            return y, acc.jvp(y)
        return f

    run("jvp_while", forward(loop), vec, vecs, shapes=False)

    def jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = loop(x)
        return tape.jacobian(y, x)

    run("jacobian_while", jacobian, vec, vecs)

    def batch_jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.map_fn(lambda r: r[:2] * tf.reduce_sum(r), x) + x[:, :2] ** 2
        return tape.batch_jacobian(y, x)

    run("batch_jacobian_map", batch_jacobian, mat, mats)

    def written(x):  # a TensorArray written in a while_loop, read after it
        ta = tf.TensorArray(tf.float32, size=tf.shape(x)[0])
        ta = tf.while_loop(lambda i, ta: i < tf.shape(x)[0],
                           lambda i, ta: (i + 1, ta.write(i, x[i] ** 3)), (0, ta))[1]
        return tf.reduce_sum(ta.stack()) + ta.read(0) * 2.0

    def written_grads(x):
        y, g, gg = grads(written)(x)
        return y, g, gg, tf.gradients(written(x), x)

    run("tensor_array_grads", written_grads, vec, vecs, shapes=False)

    def graph_gradients(x):  # tf.gradients / tf.hessians: graph mode only in TF
        y = tf.reduce_sum(tf.map_fn(lambda r: r ** 3, x)) + tf.reduce_sum(loop(x))
        return tf.gradients(y, x), tf.hessians(tf.reduce_sum(tf.scan(lambda a, r: a * r, x)), x)

    run("graph_gradients", graph_gradients, vec, vecs)

    outside = tf.function(lambda x: tf.map_fn(lambda r: tf.exp(r) * r, x),
                          input_signature=[vec])
    res = []
    for v in vecs:
        x = tf.constant(v)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(outside(x))
        res.append(_np(tape.gradient(y, x)))
    out["tape_outside_map"] = res
    return out
