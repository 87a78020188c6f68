"""Record what TensorFlow's DTensor prints for a set of snippets, for tests/test_dtensor.py.

    /work/tfenv/bin/python tools/record_dtensor_fixtures.py

Every snippet runs, in order, in one namespace that holds ``tf``, ``dtensor``, ``np``, two meshes
over 6 logical CPUs (``m1``: x=6, ``m2``: x=3, y=2) and ``mk(value, specs, mesh)`` (a DTensor of
that layout); its output (what it prints, or ``!! ErrorType: message`` when it raises) goes to
tests/fixtures/dtensor/cases.json with its code. The test runs the same code under tapeflow.
A snippet that prints only an error's type does so where TF's message names its internals.
"""

import contextlib
import io
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "dtensor"
OUT = OUT / "cases.json"

PRELUDE = """
cpu = tf.config.list_physical_devices('CPU')[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 6)
DEVICES = [f'CPU:{i}' for i in range(6)]
m1 = dtensor.create_mesh([('x', 6)], devices=DEVICES)
m2 = dtensor.create_mesh([('x', 3), ('y', 2)], devices=DEVICES)
U = dtensor.UNSHARDED

def mk(value, specs, mesh=m2, dtype=None):
    layout = dtensor.Layout(specs, mesh)
    t = dtensor.copy_to_mesh(tf.constant(value, dtype=dtype),
                             dtensor.Layout.replicated(mesh, rank=layout.rank))
    return dtensor.relayout(t, layout)

def specs(t):
    print(dtensor.fetch_layout(t).sharding_specs, t.shape, t.dtype.name)

def each(*fns):
    for fn in fns:
        try:
            specs(fn())
        except Exception as e:
            print(type(e).__name__)

def error(fn, full=True):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__ + (': ' + str(e) if full else ''))
    else:
        print('no error')

x = mk(np.arange(24, dtype=np.float32).reshape(6, 4), ['x', 'y'])
r = mk(np.arange(24, dtype=np.float32).reshape(6, 4), [U, U])
h = mk(np.arange(24, dtype=np.float32).reshape(6, 4), [U, 'y'])
"""

CASES = {
    # meshes
    "mesh_text": "print(m1); print(repr(m2)); print(m2.to_string())",
    "mesh_attrs": "print(m2.dim_names, m2.shape(), m2.size, m2.strides, m2.device_type())\n"
                  "print(m2.global_device_ids().tolist(), m2.local_device_ids())\n"
                  "print(m2.local_devices()); print(m2.local_device_locations())\n"
                  "print(m2.dim_size('y'), m2.contains_dim('z'), m2.num_local_devices())",
    "mesh_more": "print(m2.coords(3), m2.unravel_index(), m2['x'], m2.device_location(3))\n"
                 "print(repr(m2.single_device), m2.min_global_device_id(), m2.is_remote())\n"
                 "L = dtensor.Layout(['y', U], m2)\n"
                 "print(L.offset_to_shard(), L.offset_tuple_to_global_index((1, 0)), "
                 "L.is_batch_parallel())\nerror(lambda: m2.dim_size('z'))",
    "mesh_from_string": "s = dtensor.Mesh.from_string(m2.to_string()); print(s == m2, s)",
    "mesh_dict_default_devices": "print(dtensor.create_mesh({'a': 2, 'b': 3}))",
    "mesh_named": "print(dtensor.create_mesh([('batch', 6)], mesh_name='m', devices=DEVICES))",
    "mesh_bad_size": "error(lambda: dtensor.create_mesh([('x', 4)], devices=DEVICES))",
    # layouts
    "layout_text": "L = dtensor.Layout(['x', U], m2); print(L); print(repr(L)); "
                   "print(L.to_string())",
    "layout_attrs": "L = dtensor.Layout([U, 'y', 'x'], m2)\n"
                    "print(L.sharding_specs, L.rank, L.shape, L.num_shards(1), "
                    "L.is_fully_replicated(), L.mesh == m2)",
    "layout_constructors": "print(dtensor.Layout.replicated(m2, rank=2))\n"
                           "print(dtensor.Layout.batch_sharded(m2, 'y', rank=3))\n"
                           "print(dtensor.Layout.inner_sharded(m1, 'x', rank=2))\n"
                           "print(dtensor.Layout(['x', 'y'], m2).delete([0]))\n"
                           "print(dtensor.Layout.replicated(m2, 0))",
    "layout_from_string": "L = dtensor.Layout(['y', U], m2)\n"
                          "print(dtensor.Layout.from_string(L.to_string()) == L, "
                          "L == dtensor.Layout(['y', U], m2), L == dtensor.Layout([U, 'y'], m2))",
    "layout_bad_dim": "error(lambda: dtensor.Layout(['z'], m2))",
    # printing
    "str_sharded": "print(x)",
    "repr_sharded": "print(repr(x))",
    "str_replicated": "print(r); print(repr(r))",
    "str_partly_sharded": "print(h)",
    "str_int_bool_double": "print(mk([[1, 2], [3, 4], [5, 6]], ['x', U]))\n"
                           "print(mk([True, False], [U]))\n"
                           "print(mk([1.5, 2.25, 1 / 3], [U], dtype=tf.float64))",
    "str_scalar": "s = mk(3.5, []); print(s); print(repr(s))",
    "format_and_print": "s = tf.reduce_sum(x)\n"
                        "print(float(s), f'{s}'[:12], bool(s > 0), x[0, 0].numpy(), len(x))\n"
                        "error(lambda: f'{s:.2f}')",
    "str_large": "print(mk(np.arange(2048, dtype=np.float32).reshape(64, 32) / 7, [U, U], m1))\n"
                 "print(mk(np.arange(66 * 32).reshape(66, 32), ['x', 'y']))",
    # components
    "unpack_sharded": "for c in dtensor.unpack(x): print(c.device, c)",
    "unpack_partly": "for c in dtensor.unpack(h): print(c.device, c.numpy().tolist())",
    "unpack_rows": "for c in dtensor.unpack(mk(np.arange(12).reshape(6, 2), ['x', U])): "
                   "print(c.device, c.numpy().tolist())",
    "pack": "p = dtensor.pack([[[i, i + 10]] for i in range(6)], dtensor.Layout(['x', 'y'], m2))\n"
            "print(p); print(p.shape)",
    "pack_replicated": "p = dtensor.pack([[0, 1]] * 6, dtensor.Layout([U], m1)); print(p.numpy())",
    "pack_disagreeing_replicas": "p = dtensor.pack([[i, i + 1] for i in range(6)], "
                                 "dtensor.Layout([U], m1))\nprint(p.numpy(), "
                                 "[c.numpy().tolist() for c in dtensor.unpack(p)])\n"
                                 "print([c.numpy().tolist() for c in dtensor.unpack(p * 10)])",
    "pack_count": "error(lambda: dtensor.pack([tf.constant(1.)] * 3, dtensor.Layout([], m2)))",
    "numpy_replicated": "print(r.numpy()[1], dtensor.is_dtensor(r), dtensor.is_dtensor(r.numpy()))",
    "numpy_sharded": "error(x.numpy)",
    "numpy_sharded_error_type": "try:\n  h.numpy()\nexcept tf.errors.UnimplementedError:\n  "
                                "print('UnimplementedError')",
    "unpack_plain": "error(lambda: dtensor.unpack(tf.constant(1.)))",
    "fetch_plain": "error(lambda: dtensor.fetch_layout(tf.constant(1.)))",
    "check_layout": "dtensor.check_layout(x, dtensor.Layout(['x', 'y'], m2)); print('ok')\n"
                    "error(lambda: dtensor.check_layout(x, dtensor.Layout(['y', 'x'], m2)))",
    "relayout_rank": "error(lambda: dtensor.relayout(x, dtensor.Layout(['x'], m2)), False)",
    "relayout_divisible": "error(lambda: dtensor.relayout(x, dtensor.Layout(['y', 'x'], m2)), "
                          "False)",
    "relayout_values": "y = dtensor.relayout(x, dtensor.Layout([U, U], m2)); print(y.numpy()[5])\n"
                       "z = dtensor.relayout(r, dtensor.Layout(['y', U], m2))\n"
                       "for c in dtensor.unpack(z): print(c.numpy()[:, 0].tolist())",
    "relayout_like": "specs(dtensor.relayout_like(r, x))",
    "device": "print(x.device, r.device)",
    "tensor_attrs": "print(hasattr(x, 'layout'), type(x).__name__, len(x), x.shape.rank)",
    # output layouts of ops
    "layout_elementwise": "specs(x + x); specs(x + r); specs(r + x); specs(x * 2.); "
                          "specs(tf.exp(x)); specs(-h); specs(tf.abs(h))",
    "layout_elementwise_conflict": "t = mk(np.ones((6, 4), np.float32), ['y', U]); specs(x + t)\n"
                                   "specs(h + x); specs(h + r)",
    "layout_broadcast": "v = mk(np.ones(4, np.float32), ['y']); specs(r + v); specs(x + v)\n"
                        "w = mk(np.ones(4, np.float32), [U]); specs(x + w)",
    "layout_two_meshes": "a = dtensor.call_with_layout(tf.ones, dtensor.Layout([U], m1), "
                         "shape=(6,))\n"
                         "b = dtensor.call_with_layout(tf.ones, dtensor.Layout([U], m2), "
                         "shape=(6,))\n"
                         "error(lambda: a + b, False)\n"
                         "specs(dtensor.relayout(a, dtensor.Layout([U], m2)))\n"
                         "error(lambda: dtensor.copy_to_mesh(a, dtensor.Layout(['y'], m2)), False)",
    "layout_plain_operand": "error(lambda: x + tf.ones((6, 4)))",
    "layout_reductions": "specs(tf.reduce_sum(x, 0)); specs(tf.reduce_sum(x, 1)); "
                         "specs(tf.reduce_sum(x)); specs(tf.reduce_mean(x, 0, keepdims=True))\n"
                         "specs(tf.reduce_max(h, 1)); specs(tf.argmax(x, 1))",
    "layout_matmul": "specs(tf.matmul(x, tf.transpose(x))); specs(tf.matmul(r, tf.transpose(r)))\n"
                     "a = mk(np.ones((2, 3), np.float32), [U, 'x']); "
                     "b = mk(np.ones((3, 2), np.float32), ['x', U]); specs(tf.matmul(a, b))\n"
                     "a = mk(np.ones((2, 3), np.float32), ['y', 'x']); specs(tf.matmul(a, b))\n"
                     "c = mk(np.ones((3, 4), np.float32), [U, 'y']); "
                     "d = mk(np.ones((6, 3), np.float32), ['x', U]); specs(tf.matmul(d, c))",
    "layout_shapes": "specs(tf.transpose(x)); specs(tf.reshape(x, (24,))); "
                     "specs(tf.reshape(h, (6, 2, 2)))",
    "layout_same_shape": "specs(tf.nn.relu(x)); specs(tf.cast(x, tf.int32)); "
                         "specs(tf.nn.softmax(x)); specs(tf.square(h)); specs(tf.sigmoid(r))",
    "layout_more_ops": "each(lambda: x[0], lambda: x[:, 1:3], lambda: x[1:4], lambda: h[:3], "
                       "lambda: tf.expand_dims(x, 0), lambda: tf.expand_dims(h, -1), "
                       "lambda: tf.squeeze(tf.expand_dims(x, 1), 1))\n"
                       "each(lambda: tf.concat([x, x], 0), lambda: tf.concat([h, h], 1), "
                       "lambda: tf.expand_dims(mk(np.ones((6, 1, 4)), ['x', U, 'y']), 1))\n"
                       "y3 = mk(np.ones((6, 4, 2), np.float32), ['x', U, 'y'])\n"
                       "each(lambda: tf.reshape(y3, (6, 8)), lambda: tf.reshape(x, (3, 2, 4)), "
                       "lambda: tf.reshape(x, (6, 2, 2)), lambda: tf.reshape(x, (1, 6, 4)), "
                       "lambda: y3[:, 1], lambda: y3[..., 0], lambda: x[:, 0], "
                       "lambda: tf.gather(y3, [[0, 1]], axis=2), lambda: tf.concat([y3, y3], 1), "
                       "lambda: tf.one_hot(mk(np.zeros(6, np.int32), ['x']), 4, axis=0))\n"
                       "each(lambda: tf.cumsum(x, 0), lambda: tf.cumsum(h, 1), "
                       "lambda: tf.gather(x, [0, 2], axis=1), lambda: tf.gather(h, [0, 2]))\n"
                       "each(lambda: tf.where(x > 3., x, r), "
                       "lambda: tf.one_hot(tf.argmax(x, 1), 4))\n"
                       "each(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits("
                       "labels=mk([0, 1, 2, 3, 0, 1], ['x']), logits=x))\n"
                       "each(lambda: tf.shape(x), "
                       "lambda: tf.stack([tf.reduce_sum(x), tf.reduce_sum(r)]))",
    "matmul_values": "a = mk([[1, 2, 3], [4, 5, 6]], ['y', 'x']); "
                     "b = mk([[6, 5], [4, 3], [2, 1]], ['x', U])\n"
                     "c = tf.matmul(a, b); specs(c)\n"
                     "for t in dtensor.unpack(c): print(t.device, t.numpy().tolist())",
    # creation with a layout
    "ones_layout": "print(tf.ones((6, 4), layout=dtensor.Layout(['x', 'y'], m2)))",
    "zeros_fill_layout": "specs(tf.zeros((6,), tf.int32, layout=dtensor.Layout(['x'], m1)))\n"
                         "f = tf.fill((3, 2), 7., layout=dtensor.Layout(['x', 'y'], m2)); "
                         "print(f)",
    "ones_like_layout": "specs(tf.ones_like(r, layout=dtensor.Layout([U, 'y'], m2)))\n"
                        "specs(tf.zeros_like(x, layout=dtensor.Layout(['x', U], m2)))",
    "call_with_layout_ones": "print(dtensor.call_with_layout(tf.ones, dtensor.Layout(['x', 'y'], "
                             "m2), shape=(6, 4)))\n"
                             "print(dtensor.call_with_layout(tf.function(tf.zeros), "
                             "dtensor.Layout([U], m1), shape=(3,)))",
    "call_with_layout_none": "print(dtensor.call_with_layout(tf.ones, None, (2,)))",
    # stateless random draws shard by shard
    "random_normal_xy": "print(dtensor.call_with_layout(tf.function(tf.random.stateless_normal), "
                        "dtensor.Layout(['x', 'y'], m2), shape=(6, 4), seed=(1, 1)))",
    "random_normal_layouts": "normal = tf.function(tf.random.stateless_normal)\n"
                             "for sp, shape in (([U, U], (6, 4)), (['x', U], (6, 4)), "
                             "([U, 'y'], (6, 4)), (['y', 'x'], (4, 6)), (['y', U], (4, 3))):\n"
                             "  t = dtensor.call_with_layout(normal, "
                             "dtensor.Layout(sp, m2), shape=shape, seed=(7, 3))\n"
                             "  print(sp, [c.numpy().round(6).tolist() "
                             "for c in dtensor.unpack(t)])",
    "random_eager_op": "error(lambda: dtensor.call_with_layout(tf.random.stateless_normal, "
                       "dtensor.Layout(['x', U], m1), shape=(12, 3), seed=[1, 2]), False)\n"
                       "error(lambda: dtensor.call_with_layout(tf.random.stateless_uniform, "
                       "dtensor.Layout(['x'], m1), shape=(6,), seed=[1, 2]), False)\n"
                       "print(dtensor.call_with_layout(tf.random.stateless_normal, "
                       "dtensor.Layout([U, U], m1), shape=(6, 2), seed=[1, 2]))",
    "random_normal_1d": "t = dtensor.call_with_layout(tf.function(tf.random.stateless_normal), "
                        "dtensor.Layout(['x', U], m1), shape=(12, 3), seed=[123, 456], "
                        "mean=1., stddev=2.)\nprint([c.numpy().round(6).tolist() for c in "
                        "dtensor.unpack(t)])",
    "random_uniform": "t = dtensor.call_with_layout(tf.function(tf.random.stateless_uniform), "
                      "dtensor.Layout(['x', U], m2), shape=(3, 4), seed=(22, 23), minval=-0.5, "
                      "maxval=0.5)\nprint([c.numpy().round(6).tolist() "
                      "for c in dtensor.unpack(t)])",
    "random_uniform_int": "t = dtensor.call_with_layout(tf.function(tf.random.stateless_uniform), "
                          "dtensor.Layout([U, 'y'], m2), shape=(2, 4), seed=(5, 9), minval=0, "
                          "maxval=100, dtype=tf.int32)\nprint(t)",
    "random_truncated": "t = dtensor.call_with_layout("
                        "tf.function(tf.random.stateless_truncated_normal), "
                        "dtensor.Layout(['x', 'y'], m2), shape=(3, 2), seed=(2, 4), "
                        "dtype=tf.float64)\nprint([c.numpy().round(9).tolist() for c in "
                        "dtensor.unpack(t)])",
    # variables
    "dvariable": "v = dtensor.DVariable(x); print(repr(v)); "
                 "print(dtensor.fetch_layout(v) == dtensor.fetch_layout(x), "
                 "v.layout == v.layout)",
    "dvariable_sharded_numpy": "v = dtensor.DVariable(x); error(v.numpy); print(v.shape)",
    "dvariable_checkpoint": "import os, tempfile\nv = dtensor.DVariable(x)\n"
                            "ck = tf.train.Checkpoint(v=v)\n"
                            "path = ck.save(os.path.join(tempfile.mkdtemp(), 'c'))\n"
                            "v.assign(v * 0.); ck.restore(path)\n"
                            "print([c.numpy().tolist() for c in dtensor.unpack(v.read_value())])\n"
                            "print(dtensor.fetch_layout(v).sharding_specs)",
    "dvariable_replicated": "w = dtensor.DVariable(r); print(w); specs(w + r); "
                            "specs(w.read_value())\n"
                            "w.assign(r * 2); print(w.numpy()[1])\nspecs(w * x)",
    "dvariable_other_mesh": "w = dtensor.DVariable(r)\n"
                            "b = dtensor.call_with_layout(tf.ones, dtensor.Layout([U, U], m1), "
                            "shape=(6, 4))\nerror(lambda: w.assign(b), False)",
    "dvariable_layout_arg": "w = dtensor.DVariable(tf.ones((6, 2)), layout=dtensor.Layout(['x', U],"
                            " m2)); specs(w.read_value())",
    "dvariable_kinds": "L = dtensor.Layout(['x'], m1)\n"
                       "error(lambda: dtensor.DVariable(tf.ones(2)))\n"
                       "for v in (dtensor.DVariable(np.ones(6), layout=L), "
                       "dtensor.DVariable(lambda: tf.ones(6), layout=L), dtensor.DVariable("
                       "dtensor.call_with_layout(tf.ones, L, shape=(6,)), name='w', "
                       "trainable=False)):\n"
                       "  print(repr(v)[:60], v.trainable, v.name, v.dtype)\n"
                       "v = dtensor.DVariable(dtensor.call_with_layout(tf.ones, L, shape=(6,)))\n"
                       "u = dtensor.call_with_layout(tf.ones, dtensor.Layout([U], m1), "
                       "shape=(6,))\n"
                       "v.assign(u); specs(v.read_value()); v.assign_add(u); "
                       "specs(v.read_value())",
    "gradient": "w = dtensor.DVariable(r)\n"
                "@tf.function\ndef f():\n  with tf.GradientTape() as t:\n"
                "    loss = tf.reduce_sum(w * w * 0.5)\n  return t.gradient(loss, w)\n"
                "g = f(); print(g.numpy()[2])",
    "gradient_sharded_batch": "w = dtensor.DVariable(mk(np.ones((4, 2), np.float32), [U, U]))\n"
                              "xb = mk(np.arange(24, dtype=np.float32).reshape(6, 4), ['x', U])\n"
                              "@tf.function\ndef f(xb):\n  with tf.GradientTape() as t:\n"
                              "    loss = tf.reduce_mean(tf.matmul(xb, w))\n"
                              "  return loss, t.gradient(loss, w)\n"
                              "loss, g = f(xb); print(loss.numpy(), g.numpy().round(5).tolist())",
    # the client
    "client": "print(dtensor.num_clients(), dtensor.client_id(), dtensor.num_local_devices('CPU'),"
              " dtensor.num_global_devices('CPU'))\nprint(dtensor.local_devices('CPU')[5])\n"
              "print(dtensor.device_name(), dtensor.job_name())",
    "default_mesh": "with dtensor.default_mesh(m1):\n  print(dtensor.get_default_mesh() == m1)\n"
                    "  for t in (tf.ones((6, 2)), tf.constant([1., 2.]), tf.range(3), "
                    "tf.random.stateless_normal((3,), seed=(1, 2)), tf.zeros((2,)) + 1.):\n"
                    "    print(dtensor.is_dtensor(t), end=' ')\n"
                    "  print(dtensor.fetch_layout(tf.fill((6,), 2)))\n"
                    "print(dtensor.is_dtensor(tf.ones((2,))))",
    "copy_to_mesh_list": "print(dtensor.copy_to_mesh([1, 2], dtensor.Layout([U], m1)).numpy())",
}


def run(tf, dtensor):
    """{name: {"code", "out"}} for every case, run under ``tf``."""
    import numpy as np
    namespace = {"tf": tf, "dtensor": dtensor, "np": np}
    exec(PRELUDE, namespace)
    out = {}
    for name, code in CASES.items():
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            try:
                exec(code, namespace)
            except Exception as e:  # noqa: BLE001 - the error is the case's output
                print(f"!! {type(e).__name__}: {e}")
        out[name] = {"code": code, "out": buffer.getvalue()}
    return out


def main():
    import tensorflow as tf
    from tensorflow.experimental import dtensor
    cases = run(tf, dtensor)
    OUT.write_text(json.dumps({"prelude": PRELUDE, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
