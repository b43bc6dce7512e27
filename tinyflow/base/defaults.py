"""A stack of "default" objects, as TensorFlow 1 keeps them: the default graph
(ops go into it), the default session (``t.eval()`` runs in it), the default
summary writer (``summary.scalar`` writes to it).

``with stack.pushed(obj):`` makes obj the default inside the block; the
innermost one wins; outside every block, ``current()`` is the global
default (or None).

>>> s = DefaultStack(global_default=lambda: "global")
>>> s.current()
'global'
>>> with s.pushed("inner"):
...     s.current()
'inner'
"""
import contextlib


class DefaultStack:
    """The objects made default by ``with``-blocks, innermost last."""

    def __init__(self, global_default=None):
        self._make_global = global_default      # what current() gives outside every block
        self._global = None
        self.entered = []

    def current(self):
        if self.entered:
            return self.entered[-1]
        if self._global is None and self._make_global is not None:
            self._global = self._make_global()
        return self._global

    def reset_global(self):
        """Forget the global default: the next ``current()`` outside a block makes a new one."""
        self._global = None

    def push(self, obj):
        self.entered.append(obj)

    def remove(self, obj):
        """Take ``obj`` off the stack (the innermost entry that is it), if it is there."""
        for i in range(len(self.entered) - 1, -1, -1):
            if self.entered[i] is obj:
                del self.entered[i]
                return

    @contextlib.contextmanager
    def pushed(self, obj):
        self.push(obj)
        try:
            yield obj
        finally:
            self.remove(obj)

    def clear(self):
        self.entered.clear()
