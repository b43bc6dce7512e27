# compare: exact
# tf.Print: an identity op that prints its data to standard error when it runs, with
# a message, summarize= (how many entries) and first_n=; a Print that nothing
# depends on is pruned and never prints. We catch the process's stderr (fd 2) in a
# temporary file to see what was printed.
import os
import sys
import tempfile
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None], name="x")
w = tf.Variable([1, 2, 3, 4, 5], name="w")
doubled = x * 2.0
doubled = tf.Print(doubled, [doubled, tf.shape(doubled)], message="doubled: ")
total = tf.reduce_sum(doubled)
w_printed = tf.Print(w, [w], "w is ", summarize=2)
counted = tf.Print(total, [total], "first two only: ", first_n=2)
unused = tf.Print(x, [x], "never printed: ")          # nothing fetches it


def capture_stderr(fn):
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            value = fn()
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read().decode("utf-8", "replace")
    return value, [ln for ln in text.splitlines() if ln.strip()]


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    t, lines_total = capture_stderr(lambda: sess.run(total, feed_dict={x: [1.0, 2.0, 3.0]}))
    wv, lines_w = capture_stderr(lambda: sess.run(w_printed))
    counts = []
    _, lines_first_n = capture_stderr(
        lambda: [counts.append(float(sess.run(counted, feed_dict={x: [float(k)]})))
                 for k in range(4)])
    _, lines_pruned = capture_stderr(lambda: sess.run(doubled, feed_dict={x: [5.0]}))
    long_vals, lines_long = capture_stderr(
        lambda: sess.run(doubled, feed_dict={x: np.arange(6, dtype=np.float32)}))

print("total", t)

RESULTS = {
    "total": float(t),
    "printed_total": lines_total,
    "w_value": wv.tolist(),
    "printed_w_summarize_2": lines_w,
    "first_n_values": counts,
    "printed_first_n": lines_first_n,
    "printed_without_print_of_unused": lines_pruned,
    "printed_long": lines_long,
    "print_dtype": doubled.dtype.name,
    "print_shape": doubled.shape.as_list(),
    "print_op_type": doubled.op.type,
    "print_name": doubled.name,
    "unused_name": unused.name,
}
