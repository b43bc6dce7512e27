"""TensorFlow's dtypes, ``tf.float32`` ... ``tf.string``: ``DType`` objects (graph/feeds.py)
that print as TensorFlow prints them and that numpy takes wherever it takes a dtype.

>>> import tinyflow.compat.v1 as tf
>>> tf.float32, tf.as_dtype("float"), tf.as_dtype("double"), tf.string.name
(tf.float32, tf.float32, tf.float64, 'string')
>>> tf.float32.is_floating, tf.int32.is_floating, tf.float16.as_numpy_dtype
(True, False, <class 'numpy.float16'>)
"""
from ...graph.feeds import DType, STRING, as_dtype  # noqa: F401

float16 = half = as_dtype("float16")
float32 = as_dtype("float32")
float64 = double = as_dtype("float64")
int8, int16, int32, int64 = (as_dtype(n) for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (as_dtype(n) for n in ("uint8", "uint16", "uint32", "uint64"))
bool = as_dtype("bool")  # noqa: A001
complex64, complex128 = as_dtype("complex64"), as_dtype("complex128")
string = STRING
