"""Whole Jacobians and Hessians (``torch.autograd.functional``): one reverse
pass per element of the output, each giving one row.

>>> import tinyflow as tf
>>> jacobian(lambda a, b: a * b, (tf.tensor([1.0, 2.0]), tf.tensor([3.0, 4.0])))
(tensor([[3., 0.],
        [0., 4.]]), tensor([[1., 0.],
        [0., 2.]]))
"""
from .. import ops as F
from .backward import grad
from .grad_mode import enable_grad
from .tensor import Tensor


def _as_inputs(fn, inputs):
    single = isinstance(inputs, Tensor)
    xs = [inputs] if single else list(inputs)
    for i, x in enumerate(xs):
        if not isinstance(x, Tensor):
            raise TypeError(f"{fn}(): the inputs must be tensors (or a tuple of tensors), but "
                            f"input {i} is {type(x).__name__}")
        if x.dtype.kind != "f":
            raise RuntimeError(f"{fn}(): input {i} has dtype {x.dtype}; only floating point "
                               f"inputs can be differentiated")
    # fresh leaves, so the function's own graph starts at them
    return single, [Tensor._wrap(x.array).requires_grad_() for x in xs]


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """d func(inputs) / d inputs: for an output of shape O and an input of shape I,
    a tensor of shape O + I (tuples of them for several outputs or inputs)."""
    if not callable(func):
        raise TypeError(f"jacobian(): argument 'func' must be a function of the inputs, not "
                        f"{type(func).__name__} ('{type(func).__name__}' object is not callable)")
    single_in, xs = _as_inputs("jacobian", inputs)
    with enable_grad():
        out = func(*xs)
    single_out = isinstance(out, Tensor)
    outs = [out] if single_out else list(out)
    table = []
    for y in outs:
        flat = y.reshape(-1)
        rows = [[] for _ in xs]
        for k in range(flat.shape[0]):
            gs = grad(flat[k], xs, retain_graph=True, create_graph=create_graph,
                      allow_unused=True) if y.requires_grad else [None] * len(xs)
            for j, (g, x) in enumerate(zip(gs, xs)):
                rows[j].append(F.zeros_like(x) if g is None else g)
        table.append(tuple(
            (F.stack(r) if r else F.zeros_like(x).reshape(0, *x.shape)).reshape(
                *y.shape, *x.shape) for r, x in zip(rows, xs)))
    table = [row if create_graph else tuple(t.detach() for t in row) for row in table]
    if single_in:
        table = [row[0] for row in table]
    return table[0] if single_out else tuple(table)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The matrix of second derivatives of a scalar function ``func(inputs)``."""
    single_in, xs = _as_inputs("hessian", inputs)

    def gradient(*args):
        y = func(*args)
        if not isinstance(y, Tensor) or y.array.size != 1:
            raise RuntimeError("hessian(): the function must return a single-element tensor")
        gs = grad(y, args, create_graph=True, allow_unused=True)
        gs = tuple(F.zeros_like(a) if g is None else g for g, a in zip(gs, args))
        return gs[0] if single_in else gs
    return jacobian(gradient, xs[0] if single_in else tuple(xs), create_graph=create_graph)
