# compare: exact
# Hello world: a string constant is a tensor of dtype string; sess.run hands the
# string back as Python bytes (a 1-D string tensor comes back as an object array).
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

greeting = tf.constant("Hello from a TF1 graph!")
print(greeting)                      # Tensor("Const:0", shape=(), dtype=string)

sess = tf.Session()
out = sess.run(greeting)
print(out)                           # b'Hello from a TF1 graph!'
print(out.decode("utf-8"))

words = tf.constant(["graph", "then", "session"], name="words")
fetched = sess.run(words)
print(fetched)
sess.close()

RESULTS = {
    "fetched_type": type(out).__name__,
    "fetched_text": out.decode("utf-8"),
    "tensor_str": str(greeting),
    "tensor_name": greeting.name,
    "op_type": greeting.op.type,
    "dtype": greeting.dtype.name,
    "shape": greeting.shape.as_list(),
    "list_fetched_type": type(fetched).__name__,
    "list_numpy_dtype": str(fetched.dtype),
    "list_items_type": type(fetched[0]).__name__,
    "list_text": [w.decode() for w in fetched],
    "list_tensor_str": str(words),
}
