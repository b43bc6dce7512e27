# compare: trend
# tf.nn.dropout(x, keep_prob) on a [None, n] tensor with keep_prob fed through a
# placeholder, the rate= spelling, noise_shape, tf.layers.dropout(training=...) with a
# placeholder_with_default, and graph-level seeding with tf.set_random_seed.
# Which units drop depends on the framework's generator, so the criteria are:
#   frac_dropped_ok_*   the fraction of zeros is within 0.04 of the drop rate (4000 units)
#   kept_scaled_*       kept units equal x / keep_prob (to rtol 1e-6: float32 rounding)
#   identity_at_keep_1  keep_prob=1.0 returns x unchanged
#   runs_differ         two runs of the same op draw different masks
#   seeded_sessions_agree  with tf.set_random_seed, two fresh sessions draw the same mask
#   noise_rows_whole    with noise_shape=[n, 1], every row is all kept or all dropped
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

n_rows, n_units = 4, 1000
x_val = np.random.RandomState(0).uniform(1.0, 2.0, size=(n_rows, n_units)).astype(np.float32)

x = tf.placeholder(tf.float32, [None, n_units])
keep_prob = tf.placeholder(tf.float32)
dropped = tf.nn.dropout(x, keep_prob)
dropped_rate = tf.nn.dropout(x, rate=0.25)
rows = tf.nn.dropout(x, keep_prob=0.5, noise_shape=[n_rows, 1])

training = tf.placeholder_with_default(False, shape=(), name="training")
layer_drop = tf.layers.dropout(x, rate=0.4, training=training)

with tf.Session() as sess:
    half = sess.run(dropped, feed_dict={x: x_val, keep_prob: 0.5})
    half_again = sess.run(dropped, feed_dict={x: x_val, keep_prob: 0.5})
    eight = sess.run(dropped, feed_dict={x: x_val, keep_prob: 0.8})
    one = sess.run(dropped, feed_dict={x: x_val, keep_prob: 1.0})
    quarter = sess.run(dropped_rate, feed_dict={x: x_val})
    row_mask = sess.run(rows, feed_dict={x: x_val})
    layer_eval = sess.run(layer_drop, feed_dict={x: x_val})
    layer_train = sess.run(layer_drop, feed_dict={x: x_val, training: True})


def frac_zero(a):
    return float(np.mean(a == 0))


def kept_exact(out, keep):
    m = out != 0
    return bool(np.allclose(out[m], x_val[m] / np.float32(keep), rtol=1e-6, atol=0))


row_state = [(r == 0).all() or (r != 0).all() for r in row_mask]

# graph-level seed: a new graph, two sessions, the same masks
g = tf.Graph()
with g.as_default():
    tf.set_random_seed(1234)
    xs = tf.constant(x_val)
    d = tf.nn.dropout(xs, keep_prob=0.5)
    with tf.Session() as s1:
        m1 = s1.run(d)
    with tf.Session() as s2:
        m2 = s2.run(d)

print("fraction dropped at keep_prob 0.5:", frac_zero(half))

RESULTS = {
    "frac_dropped_ok_keep_0.5": abs(frac_zero(half) - 0.5) < 0.04,
    "frac_dropped_ok_keep_0.8": abs(frac_zero(eight) - 0.2) < 0.04,
    "frac_dropped_ok_rate_0.25": abs(frac_zero(quarter) - 0.25) < 0.04,
    "frac_dropped_ok_layers_0.4": abs(frac_zero(layer_train) - 0.4) < 0.04,
    "frac_dropped_keep_0.5": frac_zero(half),
    "kept_scaled_0.5": kept_exact(half, 0.5),
    "kept_scaled_0.8": kept_exact(eight, 0.8),
    "kept_scaled_layers": kept_exact(layer_train, 0.6),
    "identity_at_keep_1": bool(np.array_equal(one, x_val)),
    "layers_eval_identity": bool(np.array_equal(layer_eval, x_val)),
    "runs_differ": bool(not np.array_equal(half, half_again)),
    "seeded_sessions_agree": bool(np.array_equal(m1, m2)),
    "noise_rows_whole": bool(all(row_state)),
    "dropped_shape": dropped.shape.as_list(),
    "rows_shape": rows.shape.as_list(),
    "layer_drop_shape": layer_drop.shape.as_list(),
    "dropped_dtype": dropped.dtype.name,
    "training_name": training.name,
    "training_dtype": training.dtype.name,
    "fetched_dtype": str(half.dtype),
}
