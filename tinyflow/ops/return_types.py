"""The named pairs that PyTorch's ``max(dim)``, ``min(dim)``, ``sort`` and
``topk`` return (``torch.return_types``): ``values`` and ``indices``, by name
or by position.

>>> r = max(values=1.0, indices=0)
>>> r.values, r[1], type(r).__name__
(1.0, 0, 'max')
"""
from collections import namedtuple


def _pair(name):
    cls = namedtuple(name, ["values", "indices"])
    cls.__module__ = __name__
    cls.__repr__ = lambda self: (f"tinyflow.return_types.{name}(\nvalues={self.values!r},\n"
                                 f"indices={self.indices!r})")
    return cls


max = _pair("max")          # noqa: A001  (PyTorch's names)
min = _pair("min")          # noqa: A001
sort = _pair("sort")
topk = _pair("topk")
kthvalue = _pair("kthvalue")
median = _pair("median")
mode = _pair("mode")
