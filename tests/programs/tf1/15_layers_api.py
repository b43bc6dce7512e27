# compare: exact
# The tf.layers API: conv2d, max_pooling2d, flatten, dense, dropout(training=...)
# (training=False at the end: the identity), with every kernel set through
# tf.constant_initializer from numpy so the run is deterministic. Also the names the
# layers give their variables and ops, and layers created twice.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(15)


def const(*shape, scale=0.3):
    return tf.constant_initializer(rng.normal(0, scale, size=shape).astype(np.float32))


n = 48
images = rng.normal(size=(n, 6, 6, 1)).astype(np.float32)
labels = (images[:, :3].sum(axis=(1, 2, 3)) > images[:, 3:].sum(axis=(1, 2, 3))).astype(np.int64)

x = tf.placeholder(tf.float32, [None, 6, 6, 1], name="images")
y = tf.placeholder(tf.int64, [None], name="labels")
is_training = tf.placeholder_with_default(False, shape=[], name="is_training")

conv1 = tf.layers.conv2d(inputs=x, filters=4, kernel_size=[3, 3], padding="same",
                         activation=tf.nn.relu, kernel_initializer=const(3, 3, 1, 4))
pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
conv2 = tf.layers.conv2d(pool1, 6, 2, padding="valid", activation=tf.nn.relu,
                         kernel_initializer=const(2, 2, 4, 6), name="conv_b")
flat = tf.layers.flatten(conv2)
dense = tf.layers.dense(inputs=flat, units=8, activation=tf.nn.relu,
                        kernel_initializer=const(24, 8))
dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=is_training)
logits = tf.layers.dense(inputs=dropout, units=2, kernel_initializer=const(8, 2))

loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
    loss, global_step=tf.train.get_or_create_global_step())
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, axis=1), y), tf.float32))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(15):
        batch = slice((step % 3) * 16, (step % 3) * 16 + 16)
        _, l = sess.run([train_op, loss], feed_dict={x: images[batch], y: labels[batch]})
        losses.append(float(l))
    acc = sess.run(accuracy, feed_dict={x: images, y: labels})
    step = sess.run(tf.train.get_global_step())
    out = sess.run(logits, feed_dict={x: images[:2]})

RESULTS = {
    "losses": losses,
    "accuracy": float(acc),
    "global_step": int(step),
    "logits_first2": out.tolist(),
    "shapes": {k: t.shape.as_list() for k, t in [("conv1", conv1), ("pool1", pool1),
                                                   ("conv2", conv2), ("flat", flat),
                                                   ("dense", dense), ("dropout", dropout),
                                                   ("logits", logits)]},
    "trainable": [v.name for v in tf.trainable_variables()],
    "tensor_names": [t.name for t in (conv1, pool1, conv2, flat, dense, logits, loss)],
    "dropout_scope": dropout.name.split("/")[0],
    "loss_shape": loss.shape.as_list(),
    "global_step_dtype": tf.train.get_global_step().dtype.base_dtype.name,
    "losses_collection": len(tf.get_collection(tf.GraphKeys.LOSSES)),
}
