# compare: exact
# Dtypes the TF1 way: what tf.constant infers, tf.cast(x, "float"), tf.to_float,
# tf.one_hot (default float32, on/off values, axis), tf.argmax (int64, or int32 with
# output_type), tf.equal (bool), accuracy as reduce_mean(cast(equal)), mixed-dtype
# arithmetic errors.
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

consts = {
    "int": tf.constant(1),
    "float": tf.constant(1.0),
    "bool": tf.constant(True),
    "int_list": tf.constant([1, 2]),
    "float_list": tf.constant([1.0, 2]),
    "np_float64": tf.constant(np.float64(1.5)),
    "np_array_f64": tf.constant(np.array([1.5, 2.5])),
    "np_array_i64": tf.constant(np.array([1, 2])),
    "explicit_f32": tf.constant(1, dtype=tf.float32),
    "explicit_i64": tf.constant(3, tf.int64),
    "big_int": tf.constant(2 ** 40),
    "fill_shape": tf.constant(7.0, shape=[2, 3]),
}

logits = tf.constant([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2], [0.0, 0.1, 0.2], [1.0, 1.0, 0.5]])
labels = tf.constant([1, 0, 1, 1])
pred = tf.argmax(logits, 1)
pred32 = tf.argmax(logits, axis=1, output_type=tf.int32)
hits = tf.equal(pred32, labels)
accuracy = tf.reduce_mean(tf.cast(hits, "float"))
oh = tf.one_hot(labels, 3)
oh_custom = tf.one_hot([0, 2, -1], depth=3, on_value=5, off_value=-1)
oh_axis0 = tf.one_hot([0, 2], depth=3, axis=0)
to_f = tf.to_float(labels)
int_of_float = tf.cast(tf.constant([1.7, -1.7, 2.5]), tf.int32)
bool_of_float = tf.cast(tf.constant([0.0, 0.5, -2.0]), tf.bool)
float_of_bool = tf.cast(tf.constant([True, False]), tf.float32)
argmin_dim = tf.argmin(logits, dimension=0)
f64_sum = tf.constant([0.1, 0.2], dtype=tf.float64) + 0.3

errors = {}
try:
    tf.constant(1) + tf.constant(1.0)
except (TypeError, ValueError) as e:
    errors["int_plus_float_tensor"] = type(e).__name__
try:
    tf.constant(7) * 2.5
except (TypeError, ValueError) as e:
    errors["int_times_python_float"] = type(e).__name__
try:
    tf.matmul(tf.constant([[1.0]]), tf.constant([[1.0]], dtype=tf.float64))
except (TypeError, ValueError) as e:
    errors["matmul_f32_f64"] = type(e).__name__

with tf.Session() as sess:
    (p, p32, h, acc, o, oc, oa, tof, iof, bof, fob, amin, f64s) = sess.run(
        [pred, pred32, hits, accuracy, oh, oh_custom, oh_axis0, to_f, int_of_float,
         bool_of_float, float_of_bool, argmin_dim, f64_sum])

RESULTS = {
    "const_dtypes": {k: t.dtype.name for k, t in consts.items()},
    "const_shapes": {k: t.shape.as_list() for k, t in consts.items()},
    "argmax": p.tolist(), "argmax_dtype": pred.dtype.name, "argmax_np": str(p.dtype),
    "argmax32_dtype": pred32.dtype.name,
    "equal": h.tolist(), "equal_dtype": hits.dtype.name, "equal_np": str(h.dtype),
    "accuracy": float(acc), "accuracy_dtype": accuracy.dtype.name,
    "one_hot": o.tolist(), "one_hot_dtype": oh.dtype.name, "one_hot_shape": oh.shape.as_list(),
    "one_hot_custom": oc.tolist(), "one_hot_custom_dtype": oh_custom.dtype.name,
    "one_hot_axis0": oa.tolist(),
    "to_float": tof.tolist(), "to_float_dtype": to_f.dtype.name,
    "cast_float_to_int": iof.tolist(),
    "cast_float_to_bool": bof.tolist(),
    "cast_bool_to_float": fob.tolist(),
    "argmin_dimension": amin.tolist(),
    "f64_sum": f64s.tolist(), "f64_sum_dtype": f64_sum.dtype.name,
    "errors": errors,
    "dtype_reprs": [repr(tf.float32), repr(tf.int64), repr(tf.string), repr(tf.bool)],
    "dtype_is_floating": [tf.float32.is_floating, tf.int32.is_floating],
    "as_dtype_float": tf.as_dtype("float").name,
    "as_numpy_dtype": str(np.dtype(tf.float16.as_numpy_dtype)),
}
