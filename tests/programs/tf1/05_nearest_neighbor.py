# compare: exact
# Nearest neighbour with an L1 distance: tf.abs, tf.negative, tf.reduce_sum over
# reduction_indices=1 and tf.arg_min; one test sample is fed at a time.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(11)
n_classes, dim = 4, 16
centers = rng.uniform(-3, 3, size=(n_classes, dim))
labels_tr = np.repeat(np.arange(n_classes), 30)
labels_te = rng.randint(0, n_classes, size=25)
Xtr = (centers[labels_tr] + rng.normal(0, 1.2, size=(len(labels_tr), dim))).astype(np.float32)
Xte = (centers[labels_te] + rng.normal(0, 1.2, size=(len(labels_te), dim))).astype(np.float32)
Ytr = np.eye(n_classes)[labels_tr]
Yte = np.eye(n_classes)[labels_te]

xtr = tf.placeholder("float", [None, dim])
xte = tf.placeholder("float", [dim])

distance = tf.reduce_sum(tf.abs(tf.add(xtr, tf.negative(xte))), reduction_indices=1)
pred = tf.arg_min(distance, 0)

accuracy = 0.
predictions = []
init = tf.global_variables_initializer()
with tf.Session() as sess:
    sess.run(init)
    for i in range(len(Xte)):
        nn_index = sess.run(pred, feed_dict={xtr: Xtr, xte: Xte[i, :]})
        predictions.append(int(nn_index))
        guess, truth = np.argmax(Ytr[nn_index]), np.argmax(Yte[i])
        if i < 3:
            print("Test", i, "Prediction:", guess, "True Class:", truth)
        if guess == truth:
            accuracy += 1. / len(Xte)
    print("Done!")
    print("Accuracy:", accuracy)
    dists = sess.run(distance, feed_dict={xtr: Xtr[:5], xte: Xte[0]})

RESULTS = {
    "nn_indices": predictions,
    "accuracy": accuracy,
    "fetched_index_type": type(nn_index).__name__,
    "pred_dtype": pred.dtype.name,
    "pred_name": pred.name,
    "pred_shape": pred.shape.as_list(),
    "distance_shape": distance.shape.as_list(),
    "distances_first5": [float(d) for d in dists],
}
