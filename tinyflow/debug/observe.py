"""Subscribe to what the engine does, without patching it.

``observe(fn)`` calls ``fn(event, info)`` for

* ``"op"``: an op ran (eager or in a Session); info has ``prim``, ``inputs``,
  ``output``, ``node`` (tape node or graph op) and ``mode``;
* ``"backward"``: eager backward finished a node; info has ``node``,
  ``grad_out`` and ``grads`` (a list of (input index, gradient));
* ``"graph_op"``: an op was added to a graph; info has ``op``.

>>> import tinyflow as tf
>>> seen = []
>>> with tf.debug.observe(lambda event, info: seen.append(event)):
...     y = tf.ones(2) * 3
>>> seen
['op']
"""
from ..base.config import Config


class observe:
    """A subscription; ``remove()`` (or leaving the ``with`` block) ends it."""

    def __init__(self, fn):
        self.fn = fn
        Config.observers.append(fn)

    def remove(self):
        if self.fn in Config.observers:
            Config.observers.remove(self.fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
