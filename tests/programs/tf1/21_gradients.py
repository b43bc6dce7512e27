# compare: exact float64
# Symbolic gradients: tf.gradients of scalars and of sums over several ys, with
# grad_ys, through tf.stop_gradient, None for an unconnected input, tf.hessians,
# and a hand-written gradient-descent step using them (float64 to check closely).
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float64, [3], name="x")
y = tf.reduce_sum(x * x * x)                    # dy/dx = 3x^2
z = tf.reduce_sum(tf.sin(x)) + tf.reduce_prod(x)
dy = tf.gradients(y, x)[0]
dyz = tf.gradients([y, z], x)[0]                # sum of both gradients
weighted = tf.gradients(x * 2.0, x, grad_ys=tf.constant([1.0, 10.0, 100.0], tf.float64))[0]
stopped = tf.gradients(tf.reduce_sum(x * tf.stop_gradient(x)), x)[0]   # = x, not 2x
other = tf.placeholder(tf.float64, [3], name="other")
unconnected = tf.gradients(y, [x, other])
hess = tf.hessians(y, x)[0]

# softmax cross-entropy gradient = softmax - labels
logits = tf.constant([[1.0, 2.0, 0.5]], tf.float64)
labels = tf.constant([[0.0, 1.0, 0.0]], tf.float64)
xent = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
dlogits = tf.gradients(xent, logits)[0]

# a manual training step with tf.gradients and assign_sub
w = tf.Variable(np.array([1.0, -2.0], np.float64), name="w")
loss = tf.reduce_sum(tf.square(w - tf.constant([3.0, 1.0], tf.float64)))
grad_w = tf.gradients(loss, [w])[0]
step = tf.assign_sub(w, 0.25 * grad_w)

feed = {x: [1.0, 2.0, -0.5]}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    r = sess.run({"dy": dy, "dyz": dyz, "weighted": weighted, "stopped": stopped,
                  "hess": hess}, feed_dict=feed)
    dl = sess.run(dlogits)
    ws = []
    for _ in range(3):
        ws.append(sess.run(step).tolist())

RESULTS = {
    "dy": r["dy"].tolist(),
    "dyz": r["dyz"].tolist(),
    "weighted": r["weighted"].tolist(),
    "stopped": r["stopped"].tolist(),
    "hessian": r["hess"].tolist(),
    "hessian_shape": hess.shape.as_list(),
    "unconnected_is_none": [g is None for g in unconnected],
    "dlogits": dl.tolist(),
    "manual_steps": ws,
    "grad_dtype": dy.dtype.name,
    "grad_scope": dy.name.split("/")[0],
    "gradients_returns_list": isinstance(tf.gradients(y, x), list),
}
