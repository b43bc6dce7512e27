"""``torch.autograd.functional``: whole Jacobians and Hessians of a function,
one backward pass per output element (names only: the work is ``tinyflow.grad``'s).

>>> import tinyflow as torch
>>> from tinyflow.autograd.functional import jacobian, hessian
>>> jacobian(lambda a: a ** 2, torch.tensor([1.0, 2.0]))
tensor([[2., 0.],
        [0., 4.]])
>>> hessian(lambda a: (a ** 3).sum(), torch.tensor([1.0, 2.0]))
tensor([[ 6.,  0.],
        [ 0., 12.]])
"""
from ..eager.jacobian import jacobian, hessian  # noqa: F401
