# compare: exact
# tf.InteractiveSession: it installs itself as the default session, so Tensor.eval()
# and Operation.run() work without naming a session; tf.get_default_session();
# a session's graph; fetching nested structures; a closed session's error.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

sess = tf.InteractiveSession()
a = tf.Variable([1.0, 2.0], name="a")
b = tf.constant([3.0, 4.0])
x = tf.placeholder(tf.float32, [2])
a.initializer.run()
s = tf.add(a, b)
first = s.eval()
fed = (a * x).eval(feed_dict={x: [10.0, 100.0]})
tf.assign(a, [5.0, 6.0]).op.run()
after_assign = a.eval()
update = a.assign_add([1.0, 1.0])
update.eval()
after_add = sess.run(a)
is_default = tf.get_default_session() is sess
same_graph = sess.graph is tf.get_default_graph()
nested = sess.run({"sum": s, "pair": (a, b), "list": [b]})
sess.close()

try:
    sess.run(a)
    closed_error = None
except RuntimeError as e:
    closed_error = [type(e).__name__, str(e)]

with tf.Session() as s2:
    try:
        a.eval()
        uninit = None
    except tf.errors.FailedPreconditionError as e:
        uninit = type(e).__name__
    s2.run(a.initializer)
    with_block_default = tf.get_default_session() is s2
    in_block = a.eval().tolist()
outside_default = tf.get_default_session() is None

RESULTS = {
    "first": first.tolist(),
    "fed": fed.tolist(),
    "after_assign": after_assign.tolist(),
    "after_assign_add": after_add.tolist(),
    "is_default": is_default,
    "same_graph": same_graph,
    "nested_keys": sorted(nested),
    "nested_pair_type": type(nested["pair"]).__name__,
    "nested_list_type": type(nested["list"]).__name__,
    "nested_sum": nested["sum"].tolist(),
    "closed_error": closed_error,
    "uninitialized_in_new_session": uninit,
    "with_block_default": with_block_default,
    "in_block": in_block,
    "no_default_after_with": outside_default,
}
