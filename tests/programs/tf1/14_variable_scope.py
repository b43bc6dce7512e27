# compare: exact
# Sharing variables: tf.variable_scope with tf.get_variable, reuse=True,
# reuse=tf.AUTO_REUSE, scope reuse_variables(), initializers, how name_scope and
# variable_scope name ops and variables, and the ValueErrors TF1 raises.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()


def dense_relu(x, n_out, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        n_in = x.get_shape().as_list()[-1]
        w = tf.get_variable("weights", [n_in, n_out],
                            initializer=tf.constant_initializer(
                                np.linspace(-1, 1, n_in * n_out).reshape(n_in, n_out)))
        b = tf.get_variable("biases", [n_out], initializer=tf.constant_initializer(0.1))
        return tf.nn.relu(tf.matmul(x, w) + b)


x1 = tf.placeholder(tf.float32, [None, 3], name="x1")
x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
h1 = dense_relu(x1, 2, "shared")
h2 = dense_relu(x2, 2, "shared")          # the same variables (AUTO_REUSE)

with tf.variable_scope("layer"):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
with tf.variable_scope("layer", reuse=True):
    v_again = tf.get_variable("v")
with tf.variable_scope("layer") as scope:
    scope.reuse_variables()
    v_third = tf.get_variable("v", [2])
    scope_name = scope.name
    scope_reuse = tf.get_variable_scope().reuse

with tf.variable_scope("outer"):
    with tf.variable_scope("inner"):
        nested = tf.get_variable("w", [1], initializer=tf.ones_initializer())
        nested_op = tf.add(nested, 1.0, name="plus_one")

with tf.name_scope("ns"):
    ns_var = tf.Variable(1.0, name="plain")          # tf.Variable follows name_scope
    ns_get = tf.get_variable("got", [1])             # get_variable ignores name_scope
    ns_op = tf.multiply(ns_var, 2.0, name="double")

errors = {}
try:
    with tf.variable_scope("layer"):
        tf.get_variable("v", [2])
except ValueError as e:
    errors["exists"] = str(e).splitlines()[0]
try:
    with tf.variable_scope("nowhere", reuse=True):
        tf.get_variable("missing", [1])
except ValueError as e:
    errors["missing"] = str(e).splitlines()[0]
try:
    with tf.variable_scope("shared", reuse=True):
        tf.get_variable("weights", [4, 4])
except ValueError as e:
    errors["shape"] = str(e).splitlines()[0]

default_init = tf.get_variable("default_init", [50, 50])
int_var = tf.get_variable("counter", [], dtype=tf.int32, initializer=tf.zeros_initializer())

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)
    out1, out2 = sess.run([h1, h2], feed_dict={x1: feed, x2: feed})
    di = sess.run(default_init)
    nested_val = sess.run(nested_op)

limit = np.sqrt(6.0 / (50 + 50))
RESULTS = {
    "h1": out1.tolist(),
    "h1_equals_h2": bool(np.array_equal(out1, out2)),
    "variable_names": [v_.name for v_ in tf.global_variables()],
    "trainable_count": len(tf.trainable_variables()),
    "same_object_reuse_true": v is v_again,
    "same_object_reuse_variables": v is v_third,
    "scope_name": scope_name,
    "scope_reuse": bool(scope_reuse),
    "h1_name": h1.name, "h2_name": h2.name,
    "nested_name": nested.name, "nested_op_name": nested_op.name,
    "nested_value": nested_val.tolist(),
    "ns_var_name": ns_var.name, "ns_get_name": ns_get.name, "ns_op_name": ns_op.name,
    "errors": errors,
    "default_init_is_glorot_uniform_range": bool(np.abs(di).max() <= limit and
                                                 np.abs(di).max() > 0.9 * limit),
    "int_var_dtype": int_var.dtype.base_dtype.name,
    "get_variable_dtype": v.dtype.name,
}
