# compare: exact
# Logistic (softmax) regression on synthetic 10-class data shaped like a tiny MNIST:
# the hand-written cross-entropy tf.reduce_mean(-tf.reduce_sum(y*tf.log(pred),
# reduction_indices=1)), minibatches through feed_dict, accuracy.eval() at the end.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(3)
n_features, n_classes = 20, 10
centers = rng.normal(0.0, 1.0, size=(n_classes, n_features))


def make_split(n):
    labels = rng.randint(0, n_classes, size=n)
    images = centers[labels] + rng.normal(0.0, 0.9, size=(n, n_features))
    one_hot = np.eye(n_classes)[labels]
    return images.astype(np.float32), one_hot.astype(np.float32)


train_x, train_y = make_split(400)
test_x, test_y = make_split(100)

learning_rate = 0.1
training_epochs = 8
batch_size = 50

x = tf.placeholder(tf.float32, [None, n_features])
y = tf.placeholder(tf.float32, [None, n_classes])

W = tf.Variable(tf.zeros([n_features, n_classes]))
b = tf.Variable(tf.zeros([n_classes]))

pred = tf.nn.softmax(tf.matmul(x, W) + b)
cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)

init = tf.global_variables_initializer()
epoch_costs = []
with tf.Session() as sess:
    sess.run(init)
    total_batch = len(train_x) // batch_size
    for epoch in range(training_epochs):
        avg_cost = 0.
        for i in range(total_batch):
            batch_xs = train_x[i * batch_size:(i + 1) * batch_size]
            batch_ys = train_y[i * batch_size:(i + 1) * batch_size]
            _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
            avg_cost += c / total_batch
        epoch_costs.append(float(avg_cost))
        print("Epoch:", "%04d" % (epoch + 1), "cost=", "{:.9f}".format(avg_cost))
    print("Optimization Finished!")

    correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    acc = accuracy.eval({x: test_x, y: test_y})
    print("Accuracy:", acc)
    probs = sess.run(pred, feed_dict={x: test_x[:2]})

RESULTS = {
    "epoch_costs": epoch_costs,
    "accuracy": float(acc),
    "accuracy_type": type(acc).__name__,
    "probs_row_sums": [float(s) for s in probs.sum(axis=1)],
    "probs_first_row": [float(p) for p in probs[0]],
    "pred_shape": pred.shape.as_list(),
    "pred_name": pred.name,
    "cost_shape": cost.shape.as_list(),
    "correct_dtype": correct_prediction.dtype.name,
    "argmax_dtype": tf.argmax(pred, 1).dtype.name,
    "W_name": W.name, "b_name": b.name,
}
