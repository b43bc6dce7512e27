# compare: exact
# Learning-rate schedules and weight decay: tf.train.exponential_decay (staircase and
# not) driven by a global_step that minimize() increments, tf.nn.l2_loss
# regularization summed with tf.add_n, tf.train.piecewise_constant, and
# tf.assign / tf.assign_add on a counter. Deterministic: numpy data and weights.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(26)
xs = rng.normal(size=(40, 4)).astype(np.float32)
ys = (xs @ rng.normal(size=(4, 1)) + 0.5).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 1])
W1 = tf.Variable(rng.normal(0, 0.5, size=(4, 8)).astype(np.float32), name="W1")
W2 = tf.Variable(rng.normal(0, 0.5, size=(8, 1)).astype(np.float32), name="W2")
hidden = tf.nn.tanh(tf.matmul(x, W1))
pred = tf.matmul(hidden, W2)
mse = tf.reduce_mean(tf.square(pred - y))
reg = tf.add_n([tf.nn.l2_loss(W1), tf.nn.l2_loss(W2)])
loss = mse + 0.01 * reg

global_step = tf.Variable(0, trainable=False, name="global_step")
learning_rate = tf.train.exponential_decay(0.2, global_step, decay_steps=5, decay_rate=0.5,
                                           staircase=True)
smooth_lr = tf.train.exponential_decay(0.2, global_step, 5, 0.5)
piecewise = tf.train.piecewise_constant(global_step, [4, 8], [1.0, 0.5, 0.1])
train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step=global_step)

counter = tf.Variable(10, name="counter")
reset = tf.assign(counter, 0)
bump = tf.assign_add(counter, 3)

history = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(12):
        lr, slr, pw, gs = sess.run([learning_rate, smooth_lr, piecewise, global_step])
        _, l = sess.run([train_op, loss], {x: xs, y: ys})
        history.append([int(gs), float(lr), float(slr), float(pw), float(l)])
    reg_val = sess.run(reg)
    c = [int(sess.run(reset)), int(sess.run(bump)), int(sess.run(bump))]

RESULTS = {
    "history": history,
    "regularizer": float(reg_val),
    "counter": c,
    "lr_dtype": learning_rate.dtype.name,
    "piecewise_dtype": piecewise.dtype.name,
    "global_step_after": history[-1][0] + 1,
    "l2_loss_shape": tf.nn.l2_loss(W1).shape.as_list(),
}
