"""Removable hook handles, as PyTorch's ``torch.utils.hooks.RemovableHandle``."""
import itertools

_ids = itertools.count()


class RemovableHandle:
    """Returned by every ``register_*hook``; ``handle.remove()`` takes the hook out.

    >>> hooks = {}
    >>> h = RemovableHandle(hooks, print)
    >>> len(hooks); h.remove(); len(hooks)
    1
    0
    """

    def __init__(self, hooks, fn):
        self.id = next(_ids)
        self._hooks = hooks
        hooks[self.id] = fn

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return f"<RemovableHandle {self.id}>"
