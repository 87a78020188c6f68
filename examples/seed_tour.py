"""The seed tutorial (a Korean blog post on tf.GradientTape), run with tapeflow.

Each section is the post's code, unchanged but for `import tapeflow as tf`. Run it with
`make demo`; it prints what the post shows and saves the sigmoid figure to sigmoid.png.
"""

import matplotlib

matplotlib.use("Agg")  # no screen needed: the figure is saved to a file

import numpy as np  # noqa: E402,F401  (the post imports it)
import matplotlib.pyplot as plt  # noqa: E402

import tapeflow as tf  # noqa: E402


def section(title):
    print(f"\n=== {title} ===")


section("1. Why eager mode needs a tape")
a, y = tf.constant(2.0), tf.constant(8.0)
x = tf.Variable(10.0)  # In practice, we start with a random value
loss = tf.math.abs(a * x - y)
print(repr(loss))


section("2. Recording with tf.GradientTape")


def train_func():
    with tf.GradientTape() as tape:
        loss = tf.math.abs(a * x - y)

    # calculate gradient
    dx = tape.gradient(loss, x)
    print('x = {}, dx = {:.2f}'.format(x.numpy(), dx))

    # update x <- x - dx
    x.assign(x - dx)


for i in range(4):  # noqa: B007 - the post's code, unchanged
    train_func()

x = tf.Variable(4.0)
with tf.GradientTape() as tape:
    y = x ** 2
dy_dx = tape.gradient(y, x)
print(dy_dx.numpy())

w = tf.Variable(tf.random.normal((4, 2)), name='w')
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
x = [[1.0, 2.0, 3.0, 4.0]]

with tf.GradientTape(persistent=True) as tape:
    y = x @ w + b
    loss = tf.reduce_mean(y ** 2)

[dl_dw, dl_db] = tape.gradient(loss, [w, b])

print('loss:', loss)
print('w:', w)
print('b:', b)
print('shape of w:', w.shape)
print('shape of dl_dw:', dl_dw.shape)


section("3. Plotting the sigmoid and its derivative")
x = tf.linspace(-10.0, 10.0, 200+1)

with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.sigmoid(x)

# the gradient of the sum gives each element's derivative, since elements are independent
dy_dx = tape.gradient(y, x)

plt.plot(x, y, 'r-', label='y')
plt.plot(x, dy_dx, 'b--', label='dy/dx')
plt.legend()
_ = plt.xlabel('x')
plt.savefig("sigmoid.png", dpi=80)
print("saved sigmoid.png: y(0) =", y[100].numpy(), " dy/dx(0) =", dy_dx[100].numpy())


section("4. Controlling what the tape watches")
# A trainable variable
x0 = tf.Variable(3.0, name='x0')
# Not trainable
x1 = tf.Variable(3.0, name='x1', trainable=False)
# Not a Variable: A variable + tensor returns a tensor.
x2 = tf.Variable(2.0, name='x2') + 1.0
# Not a variable
x3 = tf.constant(3.0, name='x3')

with tf.GradientTape() as tape:
    y = (x0**2) + (x1**2) + (x2**2)

grad = tape.gradient(y, [x0, x1, x2, x3])

for g in grad:
    print(g)

print([var.name for var in tape.watched_variables()])

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)  # watch 'x' and then record it onto tape
    y = x**2

dy_dx = tape.gradient(y, x)
print(dy_dx.numpy())

x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)

with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x1)
    y0 = tf.math.sin(x0)
    y1 = tf.nn.softplus(x1)
    y = y0 + y1
    ys = tf.reduce_sum(y)

grad = tape.gradient(ys, {'x0': x0, 'x1': x1})

print('dy/dx0:', grad['x0'])
print('dy/dx1:', grad['x1'].numpy())


section("5. Python control flow")
x = tf.constant(1.0)

v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)

with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)

    # Python flow control
    if x > 0.0:
        result = v0
    else:
        result = v1**2

dv0, dv1 = tape.gradient(result, [v0, v1])

print('dv0:', dv0)
print('dv1:', dv1)
