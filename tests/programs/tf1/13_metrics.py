# compare: exact
# Streaming metrics: tf.metrics.accuracy (and mean, precision, recall) return a value
# tensor and an update op over local variables, initialized with
# tf.local_variables_initializer(); the running value accumulates over batches.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(13)
logits_val = rng.normal(size=(60, 4)).astype(np.float32)
labels_val = rng.randint(0, 4, size=60)
onehot_val = np.eye(4, dtype=np.float32)[labels_val]

logits = tf.placeholder(tf.float32, [None, 4], name="logits")
labels = tf.placeholder(tf.float32, [None, 4], name="labels")
predicted = tf.argmax(logits, 1)
actual = tf.argmax(labels, 1)

acc, acc_op = tf.metrics.accuracy(labels=actual, predictions=predicted)
mean_logit, mean_op = tf.metrics.mean(tf.reduce_max(logits, axis=1))
is_zero_pred = tf.equal(predicted, 0)
is_zero_true = tf.equal(actual, 0)
prec, prec_op = tf.metrics.precision(labels=is_zero_true, predictions=is_zero_pred)
rec, rec_op = tf.metrics.recall(labels=is_zero_true, predictions=is_zero_pred)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    try:
        sess.run(acc_op, feed_dict={logits: logits_val[:5], labels: onehot_val[:5]})
        no_init_error = None
    except tf.errors.FailedPreconditionError as e:
        no_init_error = type(e).__name__
    sess.run(tf.local_variables_initializer())
    running, after_update = [], []
    for i in range(0, 60, 20):
        feed = {logits: logits_val[i:i + 20], labels: onehot_val[i:i + 20]}
        out = sess.run([acc_op, mean_op, prec_op, rec_op], feed_dict=feed)
        after_update.append(float(out[0]))
        running.append([float(v) for v in sess.run([acc, mean_logit, prec, rec])])
        print("batch", i // 20, "running accuracy", running[-1][0])
    # resetting = running the local initializer again
    sess.run(tf.local_variables_initializer())
    reset_count = sess.run(tf.local_variables()[1])
    value_after_reset = sess.run(acc)

batchwise = float(np.mean(np.argmax(logits_val, 1) == labels_val))

RESULTS = {
    "no_local_init_error": no_init_error,
    "running": running,
    "update_op_values": after_update,
    "numpy_accuracy": batchwise,
    "local_variables": [v.name for v in tf.local_variables()],
    "n_global_variables": len(tf.global_variables()),
    "acc_name": acc.name,
    "acc_op_name": acc_op.name,
    "acc_dtype": acc.dtype.name,
    "count_after_reset": float(reset_count),
    "value_after_reset": float(value_after_reset),
}
