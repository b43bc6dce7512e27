# compare: exact
# Feeding through tf.data in TF1: Dataset.from_tensor_slices, shuffle with a seed,
# batch, repeat; make_one_shot_iterator().get_next() in a loop that ends on
# tf.errors.OutOfRangeError; an initializable iterator fed through a placeholder;
# Dataset.map; training a small model from the iterator.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

features = np.arange(10, dtype=np.float32).reshape(10, 1)
targets = (3.0 * features + 1.0).astype(np.float32)

dataset = tf.data.Dataset.from_tensor_slices((features, targets)).batch(4)
iterator = dataset.make_one_shot_iterator()
next_x, next_y = iterator.get_next()

batches = []
with tf.Session() as sess:
    while True:
        try:
            bx, by = sess.run([next_x, next_y])
            batches.append(bx.ravel().tolist())
        except tf.errors.OutOfRangeError:
            break

# an initializable iterator over a placeholder, with map
data_ph = tf.placeholder(tf.float32, [None])
ds2 = tf.data.Dataset.from_tensor_slices(data_ph).map(lambda v: v * 10.0).batch(3)
it2 = tf.data.make_initializable_iterator(ds2)
elem = it2.get_next()
with tf.Session() as sess:
    sess.run(it2.initializer, feed_dict={data_ph: [1.0, 2.0, 3.0, 4.0]})
    mapped = [sess.run(elem).tolist(), sess.run(elem).tolist()]
    sess.run(it2.initializer, feed_dict={data_ph: [7.0]})
    reinit = sess.run(elem).tolist()

# train linear regression straight from the iterator
train_ds = tf.data.Dataset.from_tensor_slices((features, targets)).repeat(20).batch(5)
tx, ty = tf.data.make_one_shot_iterator(train_ds).get_next()
w = tf.Variable(0.0)
b = tf.Variable(0.0)
loss = tf.reduce_mean(tf.square(w * tx + b - ty))
train = tf.train.GradientDescentOptimizer(0.02).minimize(loss)
losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    try:
        while True:
            _, l = sess.run([train, loss])
            losses.append(float(l))
    except tf.errors.OutOfRangeError:
        pass
    wv, bv = sess.run([w, b])

RESULTS = {
    "batches": batches,
    "next_x_shape": next_x.shape.as_list(),
    "next_x_dtype": next_x.dtype.name,
    "output_types": [t.name for t in tf.data.get_output_types(dataset)],
    "mapped": mapped,
    "reinitialized": reinit,
    "n_train_steps": len(losses),
    "losses_every_5": losses[::5],
    "w": float(wv), "b": float(bv),
}
