# compare: exact
# Control flow in the graph: tf.cond choosing a branch from fed values, and
# tf.while_loop as a counting loop (one loop variable: TF1 returns a single tensor),
# a Fibonacci loop with three loop variables, a loop accumulating a vector, and
# tf.cond with a Python bool predicate error.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [], name="x")
y = tf.placeholder(tf.float32, [], name="y")
z = tf.cond(x < y, lambda: tf.add(x, y), lambda: tf.square(y))
# the branch functions may return several tensors
pair = tf.cond(tf.greater(x, 0.0), lambda: (x, x * 10.0), lambda: (-x, x - 10.0))

# counting loop: one loop variable
i = tf.constant(0)
counted = tf.while_loop(lambda i: tf.less(i, 10), lambda i: tf.add(i, 1), [i])

# Fibonacci: (n, a, b) -> (n + 1, b, a + b)
n0 = tf.constant(0)
a0 = tf.constant(0, dtype=tf.int64)
b0 = tf.constant(1, dtype=tf.int64)
steps = tf.placeholder(tf.int32, [], name="steps")
fib = tf.while_loop(lambda n, a, b: n < steps,
                    lambda n, a, b: (n + 1, b, a + b),
                    (n0, a0, b0))

# a loop that sums a vector's running total while doubling it
v0 = tf.constant([1.0, 2.0, 3.0])
total0 = tf.zeros([3])
k0 = tf.constant(0)
_, v_out, total_out = tf.while_loop(
    lambda k, v, t: k < 4,
    lambda k, v, t: [k + 1, v * 2.0, t + v],
    [k0, v0, total0])

# gradients flow through cond
w = tf.Variable(3.0, name="w")
branchy = tf.cond(w > 2.0, lambda: w * w, lambda: w * 5.0)
dw = tf.gradients(branchy, w)[0]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    z_small = sess.run(z, feed_dict={x: 2.0, y: 5.0})    # 2 < 5: x + y
    z_big = sess.run(z, feed_dict={x: 7.0, y: 5.0})      # else: y * y
    pair_pos = sess.run(pair, feed_dict={x: 2.0})
    pair_neg = sess.run(pair, feed_dict={x: -3.0})
    count = sess.run(counted)
    fib10 = sess.run(fib, feed_dict={steps: 10})
    fib50 = sess.run(fib, feed_dict={steps: 50})
    vo, to = sess.run([v_out, total_out])
    grad_w = sess.run(dw)
    print("counted to", count, "fib(10) =", fib10[1])

try:
    tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(2))
    bool_pred_error = None
except TypeError as e:
    # TF 1.15: "pred must not be a Python bool"; TF 2.x: "'pred' must not be a Python bool."
    bool_pred_error = [type(e).__name__, "must not be a Python bool" in str(e)]

RESULTS = {
    "cond_true_branch": float(z_small), "cond_false_branch": float(z_big),
    "cond_dtype": z.dtype.name, "cond_shape": z.shape.as_list(),
    "pair_pos": [float(v) for v in pair_pos], "pair_neg": [float(v) for v in pair_neg],
    "pair_type": type(pair).__name__,
    "count": int(count), "count_fetched_type": type(count).__name__,
    "counted_is_tensor": isinstance(counted, tf.Tensor),
    "counted_is_list": isinstance(counted, (list, tuple)),
    "counted_dtype": counted.dtype.name,
    "fib_type": type(fib).__name__,
    "fib10": [int(v) for v in fib10], "fib50": [int(v) for v in fib50],
    "fib_dtypes": [t.dtype.name for t in fib],
    "fib_fetched_type": type(fib10).__name__,
    "v_out": vo.tolist(), "total_out": to.tolist(),
    "v_out_shape": v_out.shape.as_list(),
    "grad_through_cond": float(grad_w),
    "bool_pred_error": bool_pred_error,
}
