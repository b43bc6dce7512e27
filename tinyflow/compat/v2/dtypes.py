"""``tf.dtypes`` and the dtype names at ``tf``'s top level: ``tf.float32`` ...

They are TensorFlow's ``DType`` objects (graph/feeds.py, as compat.v1's): they
print as TensorFlow prints them and equal numpy's dtypes and tinyflow's own
(``tinyflow.float32``, what eager tensors report), so ``t.dtype == tf.float32``
holds for a float32 tensor of either kind.

>>> import tinyflow.compat.v2 as tf
>>> tf.float32, tf.constant(1.5).dtype == tf.float32, tf.as_dtype("double")
(tf.float32, True, tf.float64)
"""
from ...data.tf_data.dtypes import DType, as_dtype  # noqa: F401
from .spelling import cast  # noqa: F401

float16 = half = as_dtype("float16")
float32 = as_dtype("float32")
float64 = double = as_dtype("float64")
int8, int16, int32, int64 = (as_dtype(n) for n in ("int8", "int16", "int32", "int64"))
uint8 = as_dtype("uint8")
bool = as_dtype("bool")  # noqa: A001
