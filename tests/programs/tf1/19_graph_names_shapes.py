# compare: exact
# The graph itself: op and tensor names (uniquified, scoped), what str() of a tensor
# and a variable shows, static shapes (get_shape, set_shape, None dims) versus the
# dynamic tf.shape, reshape with -1, getting tensors back by name, default graphs.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, shape=[None, 784], name="x")
W = tf.Variable(tf.zeros([784, 10]))
W2 = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]), name="bias")
logits = tf.matmul(x, W) + b
c1 = tf.constant(1.0)
c2 = tf.constant(2.0)
c3 = tf.constant(3.0, name="three")
c4 = tf.constant(4.0, name="three")
with tf.name_scope("block"):
    inner = tf.add(c1, c2)
    inner2 = tf.add(c1, c2, name="sum")
with tf.name_scope("block"):
    again = tf.identity(inner)

dyn = tf.shape(x)
img = tf.reshape(x, [-1, 28, 28, 1])
flat = tf.reshape(img, [tf.shape(img)[0], -1])
unknown = tf.placeholder(tf.float32)
unknown.set_shape([2, None])
sq = tf.squeeze(tf.placeholder(tf.float32, [1, 3, 1]))
ex = tf.expand_dims(c1, 0)
tr = tf.transpose(tf.placeholder(tf.float32, [2, 5, 7]), perm=[2, 0, 1])
cat = tf.concat([tf.zeros([2, 3]), tf.ones([4, 3])], axis=0)
st = tf.stack([c1, c2, c3])

g = tf.get_default_graph()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    dyn_val = sess.run(dyn, feed_dict={x: np.zeros((5, 784), np.float32)})
    by_name = sess.run("three_1:0")
    flat_shape = sess.run(tf.shape(flat), feed_dict={x: np.zeros((3, 784), np.float32)})
    feed_by_name = sess.run(logits, feed_dict={"x:0": np.ones((1, 784), np.float32)})

new_graph = tf.Graph()
with new_graph.as_default():
    other = tf.constant(5, name="c")
    other_graph_is_new = tf.get_default_graph() is new_graph

RESULTS = {
    "x_str": str(x), "x_repr": repr(x),
    "W_str": str(W), "W_name": W.name, "W2_name": W2.name, "b_name": b.name,
    "W_op_name": W.op.name, "W_op_type": W.op.type,
    "logits_str": str(logits),
    "const_names": [c1.name, c2.name, c3.name, c4.name],
    "scoped_names": [inner.name, inner2.name, again.name],
    "x_shape": x.get_shape().as_list(), "x_shape_str": str(x.shape),
    # TF1 shapes index to Dimension objects: str "?", .value None, int() of a known one
    "x_dim0_str": str(x.shape[0]), "x_dim0_value": x.shape[0].value,
    "x_dim0_repr": repr(x.shape[0]), "x_dim1_repr": repr(x.shape[1]),
    "x_dim1_int": int(x.shape[1]), "x_dim1_value": x.shape[1].value,
    "dyn_name": dyn.name, "dyn_dtype": dyn.dtype.name, "dyn_static_shape": dyn.shape.as_list(),
    "dyn_value": dyn_val.tolist(),
    "img_shape": img.shape.as_list(), "flat_shape_static": flat.shape.as_list(),
    "flat_shape_run": flat_shape.tolist(),
    "unknown_after_set_shape": unknown.shape.as_list(),
    "squeeze_shape": sq.shape.as_list(), "expand_shape": ex.shape.as_list(),
    "transpose_shape": tr.shape.as_list(),
    "concat_shape": cat.shape.as_list(), "stack_shape": st.shape.as_list(),
    "fetch_by_name": float(by_name),
    "feed_by_name": feed_by_name.tolist(),
    "get_tensor_by_name_is_same": g.get_tensor_by_name("x:0") is x,
    "get_operation_by_name_type": g.get_operation_by_name("bias").type,
    "n_ops_positive": len(g.get_operations()) > 20,
    "other_graph_is_new": other_graph_is_new,
    "other_graph_name": other.name,
    "other_not_in_default": other.graph is not g,
    "tensorshape_str": str(tf.TensorShape([None, 3])),
    "tensorshape_repr": repr(tf.TensorShape([None, 3])),
}
