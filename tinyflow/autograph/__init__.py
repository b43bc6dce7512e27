"""``tinyflow.autograph``: TensorFlow's ``tf.autograph`` spellings.

``to_code(fn)`` shows how ``tinyflow.function`` rewrites a function's Python
control flow; ``to_graph(fn)`` gives the rewritten function;
``experimental.do_not_convert`` keeps a function as written. The converter
itself is ``tinyflow/tracing/autograph/``.

>>> import tinyflow as tf
>>> def sign(x):
...     if x > 0:
...         return 1.0
...     return -1.0
>>> "ag__.if_stmt(x > 0" in tf.autograph.to_code(sign)
True
"""
from ..tracing.autograph import to_code, to_graph, ConversionError, AutoGraphWarning  # noqa: F401
from . import experimental  # noqa: F401
