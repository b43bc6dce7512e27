"""``nn.Parameter``: a tensor that a Module registers as one of its weights.

>>> import tinyflow.nn as nn
>>> w = nn.Parameter([1.0, 2.0])
>>> w.requires_grad, w.is_leaf
(True, True)
"""
from ..eager.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default. Assigning one to a Module
    attribute registers it, so it shows up in ``parameters()`` and ``state_dict()``.

    Made from a Tensor it shares that tensor's memory (as ``torch.nn.Parameter``);
    made from anything else it holds a copy.
    """
    __module__ = "tinyflow.nn"      # printed as tinyflow.nn.Parameter, the name users know
    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = []
        super().__init__(data, requires_grad=requires_grad)
        if isinstance(data, Tensor):
            self.array = data.array

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

