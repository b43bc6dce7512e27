# compare: trend
# A raw multilayer perceptron: weights and biases kept in dicts of
# tf.Variable(tf.random_normal(...)), two ReLU hidden layers, the (v1) softmax
# cross-entropy with logits, Adam. Initial values come from the framework's random
# generator, so the numbers differ between frameworks; the robust criteria are:
#   loss_fell_5x        final training loss < first loss / 5
#   train_acc_above_0.9 accuracy on the training data > 0.9 after 150 steps
#   test_acc_above_0.8  accuracy on held-out data > 0.8
#   init_std_near_1     the std of the 20x32 initial h1 weights is within 0.75..1.25
# plus exact shapes, dtypes, names and counts.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(5)
n_input, n_hidden_1, n_hidden_2, num_classes = 20, 32, 32, 5
centers = rng.normal(0.0, 1.5, size=(num_classes, n_input))


def make(n):
    lab = rng.randint(0, num_classes, size=n)
    xs = centers[lab] + rng.normal(0.0, 1.0, size=(n, n_input))
    return xs.astype(np.float32), np.eye(num_classes, dtype=np.float32)[lab]


train_x, train_y = make(256)
test_x, test_y = make(128)

X = tf.placeholder("float", [None, n_input])
Y = tf.placeholder("float", [None, num_classes])

weights = {
    'h1': tf.Variable(tf.random_normal([n_input, n_hidden_1])),
    'h2': tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2])),
    'out': tf.Variable(tf.random_normal([n_hidden_2, num_classes])),
}
biases = {
    'b1': tf.Variable(tf.random_normal([n_hidden_1])),
    'b2': tf.Variable(tf.random_normal([n_hidden_2])),
    'out': tf.Variable(tf.random_normal([num_classes])),
}


def multilayer_perceptron(x):
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))
    return tf.matmul(layer_2, weights['out']) + biases['out']


logits = multilayer_perceptron(X)
prediction = tf.nn.softmax(logits)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
optimizer = tf.train.AdamOptimizer(learning_rate=0.01)
train_op = optimizer.minimize(loss_op)

correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

init = tf.global_variables_initializer()
losses = []
with tf.Session() as sess:
    sess.run(init)
    h1_init = sess.run(weights['h1'])
    for step in range(150):
        idx = rng.randint(0, len(train_x), size=64)
        _, l = sess.run([train_op, loss_op], feed_dict={X: train_x[idx], Y: train_y[idx]})
        losses.append(float(l))
        if step % 50 == 0:
            print("Step " + str(step) + ", Minibatch Loss= " + "{:.4f}".format(l))
    first_loss = sess.run(loss_op, feed_dict={X: train_x, Y: train_y})
    train_acc = sess.run(accuracy, feed_dict={X: train_x, Y: train_y})
    test_acc = sess.run(accuracy, feed_dict={X: test_x, Y: test_y})
    print("Testing Accuracy:", test_acc)

RESULTS = {
    "loss_fell_5x": losses[-1] < losses[0] / 5,
    "train_acc_above_0.9": bool(train_acc > 0.9),
    "test_acc_above_0.8": bool(test_acc > 0.8),
    "init_std_near_1": bool(0.75 < h1_init.std() < 1.25),
    "first_loss": losses[0], "final_loss": losses[-1],
    "train_acc": float(train_acc), "test_acc": float(test_acc),
    "n_losses": len(losses),
    "logits_shape": logits.shape.as_list(),
    "loss_shape": loss_op.shape.as_list(),
    "weight_shapes": {k: v.shape.as_list() for k, v in sorted(weights.items())},
    "h1_init_dtype": str(h1_init.dtype),
    "variable_names": sorted(v.name for v in tf.global_variables()),
    "n_trainable": len(tf.trainable_variables()),
}
