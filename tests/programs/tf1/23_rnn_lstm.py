# compare: trend
# A recurrent classifier: tf.nn.rnn_cell.BasicLSTMCell unrolled with tf.nn.static_rnn
# over tf.unstack(x, timesteps, 1), plus the same cell type through tf.nn.dynamic_rnn
# with a GRUCell; the last output goes through a weights dict to the classes.
# The cells' kernels are initialized by the framework's generator, so the criteria are:
#   loss_fell_2x        the training loss fell by more than half in 200 steps
#   acc_above_0.85      training accuracy above 0.85
# plus exact output and state shapes, variable names and counts.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(23)
timesteps, num_input, num_hidden, num_classes = 6, 3, 16, 2
n = 160
seqs = rng.normal(size=(n, timesteps, num_input)).astype(np.float32)
# class 1 when the first feature trends upward over time
labels = (seqs[:, -3:, 0].mean(axis=1) > seqs[:, :3, 0].mean(axis=1)).astype(np.int64)
onehot = np.eye(num_classes, dtype=np.float32)[labels]

X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, num_classes])
weights = {'out': tf.Variable(tf.random_normal([num_hidden, num_classes]))}
biases = {'out': tf.Variable(tf.random_normal([num_classes]))}


def RNN(x, weights, biases):
    x = tf.unstack(x, timesteps, 1)
    lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, states = tf.nn.static_rnn(lstm_cell, x, dtype=tf.float32)
    return tf.matmul(outputs[-1], weights['out']) + biases['out'], outputs, states


logits, outputs, states = RNN(X, weights, biases)
prediction = tf.nn.softmax(logits)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=0.02).minimize(loss_op)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1)),
                                  tf.float32))

with tf.variable_scope("gru"):
    gru = tf.nn.rnn_cell.GRUCell(5)
    dyn_out, dyn_state = tf.nn.dynamic_rnn(gru, X, dtype=tf.float32)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    first = sess.run(loss_op, feed_dict={X: seqs, Y: onehot})
    for step in range(200):
        idx = rng.randint(0, n, size=32)
        _, l = sess.run([train_op, loss_op], feed_dict={X: seqs[idx], Y: onehot[idx]})
        losses.append(float(l))
    last = sess.run(loss_op, feed_dict={X: seqs, Y: onehot})
    acc = sess.run(accuracy, feed_dict={X: seqs, Y: onehot})
    do, ds = sess.run([dyn_out, dyn_state], feed_dict={X: seqs[:4]})
    print("loss %.3f -> %.3f, accuracy %.3f" % (first, last, acc))

RESULTS = {
    "loss_fell_2x": bool(last < first / 2),
    "acc_above_0.85": bool(acc > 0.85),
    "first_loss": float(first), "last_loss": float(last), "accuracy": float(acc),
    "n_outputs": len(outputs),
    "output_shape": outputs[-1].shape.as_list(),
    "state_type": type(states).__name__,
    "state_shapes": [states.c.shape.as_list(), states.h.shape.as_list()],
    "dynamic_output_shape": dyn_out.shape.as_list(),
    "dynamic_output_run_shape": list(do.shape),
    "dynamic_state_run_shape": list(ds.shape),
    "last_output_equals_state": bool(np.allclose(do[:, -1], ds)),
    "trainable": [v.name for v in tf.trainable_variables()],
    "trainable_shapes": [v.shape.as_list() for v in tf.trainable_variables()],
}
