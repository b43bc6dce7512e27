# compare: exact
# Basic operations: constants, then placeholders fed at run time
# (tf.placeholder(tf.int16), tf.placeholder("float")), then a matrix product.
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

a = tf.constant(2)
b = tf.constant(3)

with tf.Session() as sess:
    print("a=2, b=3")
    s = sess.run(a + b)
    p = sess.run(a * b)
    print("Addition with constants: %i" % s)
    print("Multiplication with constants: %i" % p)

# placeholders: the graph takes its inputs when it runs
x16 = tf.placeholder(tf.int16)
y16 = tf.placeholder(tf.int16)
add16 = tf.add(x16, y16)
mul16 = tf.multiply(x16, y16)

with tf.Session() as sess:
    s16 = sess.run(add16, feed_dict={x16: 2, y16: 3})
    m16 = sess.run(mul16, feed_dict={x16: 2, y16: 3})
    wrapped = sess.run(add16, feed_dict={x16: 30000, y16: 30000})
    print("Addition with variables: %i" % s16)
    print("Multiplication with variables: %i" % m16)

xf = tf.placeholder("float")
yf = xf * 2.0 + 1.0
with tf.Session() as sess:
    yv = sess.run(yf, feed_dict={xf: [1, 2, 3]})
    ys = sess.run(yf, feed_dict={xf: 0.5})

m1 = tf.constant([[3., 3.]])
m2 = tf.constant([[2.], [2.]])
product = tf.matmul(m1, m2)

# integer division and friends
i7, i2 = tf.constant(7), tf.constant(2)
true_div = i7 / i2
floor_div = i7 // i2
modulo = i7 % i2
old_div = tf.div(i7, i2)
neg_floor = tf.constant(-7) // i2

with tf.Session() as sess:
    prod = sess.run(product)
    td, fd, md, od, nf = sess.run([true_div, floor_div, modulo, old_div, neg_floor])
    print(prod)

RESULTS = {
    "const_add": int(s), "const_mul": int(p),
    "const_add_fetched_type": type(s).__name__,
    "int16_add": int(s16), "int16_mul": int(m16),
    "int16_fetched_type": type(s16).__name__,
    "int16_overflow_wraps": int(wrapped),
    "add16_dtype": add16.dtype.name,
    "add16_name": add16.name,
    "mul16_name": mul16.name,
    "placeholder_float_dtype": xf.dtype.name,
    "placeholder_unknown_shape_str": str(xf.shape),
    "placeholder_unknown_ndims": xf.shape.ndims,
    "placeholder_name": xf.name,
    "float_feed_list": [float(v) for v in yv],
    "float_feed_list_dtype": str(yv.dtype),
    "float_feed_scalar": float(ys),
    "float_feed_scalar_type": type(ys).__name__,
    "matmul": prod.tolist(),
    "matmul_shape": product.shape.as_list(),
    "matmul_name": product.name,
    "true_div": float(td), "true_div_dtype": true_div.dtype.name,
    "floor_div": int(fd), "floor_div_dtype": floor_div.dtype.name,
    "mod": int(md), "tf_div": int(od), "tf_div_dtype": old_div.dtype.name,
    "neg_floor_div": int(nf),
}
