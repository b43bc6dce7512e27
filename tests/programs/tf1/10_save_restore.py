# compare: exact
# Save and restore with tf.train.Saver in a temporary directory: train a little,
# save (with and without global_step), find the latest checkpoint, restore into a
# fresh session, and see what an uninitialized variable raises.
import os
import tempfile
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(4)
xs = rng.normal(size=(32, 3)).astype(np.float32)
ys = (xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 3], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
W = tf.Variable(rng.normal(size=(3, 1)).astype(np.float32), name="W")
b = tf.Variable(tf.zeros([1]), name="b")
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

saver = tf.train.Saver()
model_dir = tempfile.mkdtemp()
model_path = os.path.join(model_dir, "model.ckpt")

with tf.Session() as sess:
    # before initialization a variable cannot be read
    try:
        sess.run(W)
        uninit_error = None
    except tf.errors.FailedPreconditionError as e:
        uninit_error = e
    sess.run(tf.global_variables_initializer())
    for _ in range(10):
        sess.run(train, feed_dict={x: xs, y: ys})
    trained_W, trained_b = sess.run([W, b])
    trained_loss = sess.run(loss, feed_dict={x: xs, y: ys})
    save_path = saver.save(sess, model_path)
    print("Model saved in file: %s" % save_path)
    step_path = saver.save(sess, model_path, global_step=10)

latest = tf.train.latest_checkpoint(model_dir)

with tf.Session() as sess:
    saver.restore(sess, model_path)
    print("Model restored from file: %s" % model_path)
    restored_W, restored_b = sess.run([W, b])
    restored_loss = sess.run(loss, feed_dict={x: xs, y: ys})
    for _ in range(5):
        sess.run(train, feed_dict={x: xs, y: ys})
    more_loss = sess.run(loss, feed_dict={x: xs, y: ys})

# a saver over one variable, under another name
partial = tf.train.Saver({"weights": W})
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    partial_path = partial.save(sess, os.path.join(model_dir, "partial"))
    sess.run(W.assign(tf.zeros([3, 1])))
    partial.restore(sess, partial_path)
    partial_W = sess.run(W)

RESULTS = {
    "uninit_error_type": type(uninit_error).__name__,
    # TF >= 2 puts "Graph execution error:" and a blank line before TF 1.15's message
    "uninit_error_first_line": [ln for ln in str(uninit_error.message).splitlines()
                                if ln.strip() and ln != "Graph execution error:"][0],
    "save_path_is_prefix": save_path == model_path,
    "step_path_basename": os.path.basename(step_path),
    "latest_basename": os.path.basename(latest),
    "checkpoint_file_exists": os.path.exists(os.path.join(model_dir, "checkpoint")),
    "trained_W": trained_W.ravel().tolist(), "trained_b": trained_b.tolist(),
    "trained_loss": float(trained_loss),
    "restored_equal": bool(np.array_equal(trained_W, restored_W)
                           and np.array_equal(trained_b, restored_b)),
    "restored_loss": float(restored_loss),
    "loss_after_more_training": float(more_loss),
    "partial_restored_W": partial_W.ravel().tolist(),
    "saver_var_count": len(tf.global_variables()),
}
