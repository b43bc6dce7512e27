# compare: exact
# Linear regression y = W*x + b, fitted one sample at a time with
# GradientDescentOptimizer and feed_dict, the classic TF1 way. Data and the initial
# W and b come from numpy (seeded), so every framework computes the same numbers.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(7)
learning_rate = 0.01
training_epochs = 30
display_step = 10

train_X = rng.uniform(0.0, 4.0, size=24)
train_Y = 0.8 * train_X + 0.5 + rng.normal(0.0, 0.2, size=24)
n_samples = train_X.shape[0]

X = tf.placeholder("float")
Y = tf.placeholder("float")

W = tf.Variable(rng.randn(), name="weight")
b = tf.Variable(rng.randn(), name="bias")

pred = tf.add(tf.multiply(X, W), b)
cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * n_samples)
optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)

init = tf.global_variables_initializer()
costs = []
with tf.Session() as sess:
    sess.run(init)
    w0 = sess.run(W)
    for epoch in range(training_epochs):
        for (x, y) in zip(train_X, train_Y):
            sess.run(optimizer, feed_dict={X: x, Y: y})
        c = sess.run(cost, feed_dict={X: train_X, Y: train_Y})
        costs.append(float(c))
        if (epoch + 1) % display_step == 0:
            print("Epoch:", "%04d" % (epoch + 1), "cost=", "{:.9f}".format(c),
                  "W=", sess.run(W), "b=", sess.run(b))
    print("Optimization Finished!")
    training_cost = sess.run(cost, feed_dict={X: train_X, Y: train_Y})
    final_W, final_b = sess.run(W), sess.run(b)

    test_X = np.asarray([0.5, 1.5, 2.5, 3.5])
    test_Y = 0.8 * test_X + 0.5
    testing_cost = sess.run(
        tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * test_X.shape[0]),
        feed_dict={X: test_X, Y: test_Y})
    print("Testing cost=", testing_cost)

RESULTS = {
    "initial_W": float(w0),
    "costs": costs,
    "training_cost": float(training_cost),
    "testing_cost": float(testing_cost),
    "W": float(final_W), "b": float(final_b),
    "W_name": W.name, "b_name": b.name,
    "W_dtype": W.dtype.name, "W_shape": W.shape.as_list(),
    "cost_dtype": cost.dtype.name,
    "fetched_W_type": type(final_W).__name__,
    "trainable": [v.name for v in tf.trainable_variables()],
    "optimizer_op_type": optimizer.type,
    "optimizer_op_name": optimizer.name,
}
