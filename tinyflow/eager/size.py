"""``Size``: a tensor's shape, a tuple that prints as PyTorch prints it.

>>> s = Size([6, 1, 5, 5])
>>> s
tinyflow.Size([6, 1, 5, 5])
>>> s == (6, 1, 5, 5), s[0], s.numel()
(True, 6, 150)
"""
import math


class Size(tuple):
    """The shape of a tensor (a tuple of ints), as ``x.shape`` and ``x.size()`` give it."""
    __slots__ = ()
    __module__ = "tinyflow"

    def numel(self):
        """How many elements a tensor of this shape holds."""
        return math.prod(self)

    def __getitem__(self, key):
        got = tuple.__getitem__(self, key)
        return Size(got) if isinstance(key, slice) else got

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __repr__(self):
        return f"tinyflow.Size({list(self)})"
