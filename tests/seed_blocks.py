"""The seed tutorial's code blocks, in order, with the output the post shows.

Each entry is (code, expected): ``expected`` holds the printed lines; for a block that ends in a
bare expression (a notebook cell's ``Out``), the expression's repr is appended to the output, as a
notebook would display it. ``None`` in an expected line marks a random value (not compared).
"""

BLOCKS = [
    # 0. imports (the post prints tf.__version__, which is tapeflow's own version here)
    ("import numpy as np\nimport matplotlib\nmatplotlib.use('Agg')\n"
     "import matplotlib.pyplot as plt\nimport tapeflow as tf\n", []),
    # 1. eager evaluation keeps nothing to differentiate
    ("a, y = tf.constant(2.0), tf.constant(8.0)\n"
     "x = tf.Variable(10.0) # In practice, we start with a random value\n"
     "loss = tf.math.abs(a * x - y)\n"
     "loss\n",
     ["<tf.Tensor: shape=(), dtype=float32, numpy=12.0>"]),
    # 2. gradient descent with a tape
    ("def train_func():\n"
     "    with tf.GradientTape() as tape:\n"
     "        loss = tf.math.abs(a * x - y)\n"
     "    dx =  tape.gradient(loss, x)\n"
     "    print('x = {}, dx = {:.2f}'.format(x.numpy(), dx))\n"
     "    x.assign(x - dx)\n"
     "for i in range(4):\n"
     "    train_func()\n",
     ["x = 10.0, dx = 2.00", "x = 8.0, dx = 2.00", "x = 6.0, dx = 2.00", "x = 4.0, dx = 0.00"]),
    ("x = tf.Variable(4.0)\n"
     "with tf.GradientTape() as tape:\n"
     "    y = x ** 2\n"
     "dy_dx = tape.gradient(y, x)\n"
     "print(dy_dx.numpy())\n",
     ["8.0"]),
    ("w = tf.Variable(tf.random.normal((4, 2)), name='w')\n"
     "b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')\n"
     "x = [[1.0, 2.0, 3.0, 4.0]]\n"
     "with tf.GradientTape(persistent=True) as tape:\n"
     "    y = x @ w + b\n"
     "    loss = tf.reduce_mean(y ** 2)\n"
     "[dl_dw, dl_db] = tape.gradient(loss, [w, b])\n"
     "print('loss:', loss)\n"
     "print('w:', w)\n"
     "print('b:', b)\n",
     [None, None, None, None, None, None,
      "b: <tf.Variable 'b:0' shape=(2,) dtype=float32, numpy=array([0., 0.], dtype=float32)>"]),
    ("print('shape of w:', w.shape)\n"
     "print('shape of dl_dw:', dl_dw.shape)\n",
     ["shape of w: (4, 2)", "shape of dl_dw: (4, 2)"]),
    # 3. the sigmoid and its derivative, plotted straight from tensors
    ("x = tf.linspace(-10.0, 10.0, 200+1)\n"
     "with tf.GradientTape() as tape:\n"
     "    tape.watch(x)\n"
     "    y = tf.nn.sigmoid(x)\n"
     "dy_dx = tape.gradient(y, x)\n"
     "plt.plot(x, y, 'r-', label='y')\n"
     "plt.plot(x, dy_dx, 'b--', label='dy/dx')\n"
     "plt.legend()\n"
     "_ = plt.xlabel('x')\n"
     "plt.show()\n",
     []),
    # 4. what the tape watches
    ("x0 = tf.Variable(3.0, name='x0')\n"
     "x1 = tf.Variable(3.0, name='x1', trainable=False)\n"
     "x2 = tf.Variable(2.0, name='x2') + 1.0\n"
     "x3 = tf.constant(3.0, name='x3')\n"
     "with tf.GradientTape() as tape:\n"
     "    y = (x0**2) + (x1**2) + (x2**2)\n"
     "grad = tape.gradient(y, [x0, x1, x2, x3])\n"
     "for g in grad:\n"
     "    print(g)\n",
     ["tf.Tensor(6.0, shape=(), dtype=float32)", "None", "None", "None"]),
    ("x = tf.constant(3.0)\n"
     "with tf.GradientTape() as tape:\n"
     "    tape.watch(x) # watch 'x' and then record it onto tape\n"
     "    y = x**2\n"
     "dy_dx = tape.gradient(y, x)\n"
     "print(dy_dx.numpy())\n",
     ["6.0"]),
    # The post shows ['Variable:0'] here, from a run in another cell order; in this order the
    # tape above watched only a constant, and TensorFlow itself displays [] (checked with TF 2.21).
    ("[var.name for var in tape.watched_variables()]\n", ["[]"]),
    ("x0 = tf.Variable(0.0)\n"
     "x1 = tf.Variable(10.0)\n"
     "with tf.GradientTape(watch_accessed_variables=False) as tape:\n"
     "    tape.watch(x1)\n"
     "    y0 = tf.math.sin(x0)\n"
     "    y1 = tf.nn.softplus(x1)\n"
     "    y = y0 + y1\n"
     "    ys = tf.reduce_sum(y)\n"
     "grad = tape.gradient(ys, {'x0': x0, 'x1': x1})\n"
     "print('dy/dx0:', grad['x0'])\n"
     "print('dy/dx1:', grad['x1'].numpy())\n",
     ["dy/dx0: None", "dy/dx1: 0.9999546"]),
    # 5. Python control flow
    ("x = tf.constant(1.0)\n"
     "v0 = tf.Variable(2.0)\n"
     "v1 = tf.Variable(2.0)\n"
     "with tf.GradientTape(persistent=True) as tape:\n"
     "    tape.watch(x)\n"
     "    if x > 0.0:\n"
     "        result = v0\n"
     "    else:\n"
     "        result = v1**2 \n"
     "dv0, dv1 = tape.gradient(result, [v0, v1])\n"
     "print('dv0:', dv0)\n"
     "print('dv1:', dv1)\n",
     ["dv0: tf.Tensor(1.0, shape=(), dtype=float32)", "dv1: None"]),
]
