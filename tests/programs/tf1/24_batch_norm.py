# compare: exact
# Batch normalization in TF1: tf.layers.batch_normalization(training=is_training)
# adds its moving-average updates to tf.GraphKeys.UPDATE_OPS, so the train op must be
# built under tf.control_dependencies(update_ops). Also tf.nn.moments and
# tf.nn.batch_normalization written by hand. Deterministic: numpy data and weights.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(24)
xs = (rng.normal(size=(64, 5)) * [1, 5, 0.5, 2, 10] + [0, 3, -1, 10, 0]).astype(np.float32)
ys = (xs[:, :1] * 0.5 - xs[:, 1:2] * 0.1 + 1.0).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 5])
y = tf.placeholder(tf.float32, [None, 1])
is_training = tf.placeholder(tf.bool, [], name="is_training")

bn = tf.layers.batch_normalization(x, training=is_training, momentum=0.9)
w = tf.Variable(rng.normal(0, 0.5, size=(5, 1)).astype(np.float32), name="w")
pred = tf.matmul(bn, w)
loss = tf.reduce_mean(tf.square(pred - y))

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

mean, variance = tf.nn.moments(x, axes=[0])
manual = tf.nn.batch_normalization(x, mean, variance, offset=None, scale=None,
                                   variance_epsilon=1e-3)

moving = [v for v in tf.global_variables() if "moving" in v.name]
losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    # before training gamma = 1 and beta = 0: a training-mode batch comes out standardized
    bn_train = sess.run(bn, {x: xs[:16], is_training: True})
    for step in range(20):
        batch = slice((step % 4) * 16, (step % 4) * 16 + 16)
        _, l = sess.run([train_op, loss], {x: xs[batch], y: ys[batch], is_training: True})
        losses.append(float(l))
    moving_vals = sess.run(moving)
    eval_loss = sess.run(loss, {x: xs, y: ys, is_training: False})
    m, v, man = sess.run([mean, variance, manual], {x: xs})

RESULTS = {
    "losses": losses,
    "eval_loss": float(eval_loss),
    "moving_names": [v.name for v in moving],
    "moving_values": [a.tolist() for a in moving_vals],
    "n_update_ops": len(update_ops),
    "bn_variables": sorted(v.name for v in tf.global_variables() if "batch_normalization" in v.name),
    "bn_trainable": sorted(v.name for v in tf.trainable_variables() if "batch_normalization" in v.name),
    "train_batch_mean_near_0": bool(np.allclose(bn_train.mean(axis=0), 0, atol=1e-5)),
    "train_batch_std_near_1": bool(np.allclose(bn_train.std(axis=0), 1, atol=1e-2)),
    "moments_mean": m.tolist(),
    "moments_variance": v.tolist(),
    "manual_bn_first_row": man[0].tolist(),
    "bn_shape": bn.shape.as_list(),
}
