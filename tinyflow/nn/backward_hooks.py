"""Backward hooks at a module's boundary (PyTorch's ``register_full_backward_hook``
and ``register_full_backward_pre_hook``).

When a module has backward hooks, its call is wrapped: each tensor input and
the output pass through an identity op, and tensor hooks on those identities
catch the gradients as they cross the boundary. The gradient with respect to
the output arrives first (backward pre-hooks see it, and may replace it);
once the gradient of every input that needs one has arrived, the backward
hooks are called with both.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> lin = nn.Linear(2, 1)
>>> seen = []
>>> h = lin.register_full_backward_hook(
...     lambda m, grad_input, grad_output: seen.append((grad_input[0].shape, grad_output[0].shape)))
>>> lin(tf.ones(3, 2, requires_grad=True)).sum().backward()
>>> seen
[(tinyflow.Size([3, 2]), tinyflow.Size([3, 1]))]
"""
from .. import ops as F
from ..base.config import Config
from ..eager.tensor import Tensor


class BoundaryCall:
    """The gradients of one call of a hooked module, collected as they arrive."""

    def __init__(self, module, n_inputs):
        self.module = module
        self.grad_input = [None] * n_inputs
        self.waiting = set()
        self.grad_output = None

    def wrap_inputs(self, args):
        out = []
        for i, a in enumerate(args):
            if isinstance(a, Tensor) and a.requires_grad:
                a = F.identity(a)
                self.waiting.add(i)
                a.register_hook(lambda g, i=i: self.input_arrived(i, g))
            out.append(a)
        return tuple(out)

    def wrap_output(self, out):
        if not isinstance(out, Tensor):
            raise NotImplementedError(
                f"full backward hooks on {type(self.module).__name__}: supported for modules "
                f"whose forward returns one tensor, got {type(out).__name__}")
        if not out.requires_grad:
            return out
        out = F.identity(out)
        out.register_hook(self.output_arrived)
        return out

    def output_arrived(self, g):
        for hook in tuple(self.module._backward_pre_hooks.values()):
            result = hook(self.module, (g,))
            if result is not None:
                g = result[0] if isinstance(result, tuple) else result
        self.grad_output = (g,)
        if not self.waiting:                     # no input needs a gradient: report now
            self._report()
        return g

    def input_arrived(self, i, g):
        self.grad_input[i] = g
        self.waiting.discard(i)
        if self.waiting:
            return None
        replaced = self._report()
        if replaced is None:
            return None
        if sum(x is not None for x in self.grad_input) > 1:
            raise RuntimeError(
                f"a full backward hook of {type(self.module).__name__} returned a new grad_input; "
                f"replacing gradients is supported for modules with one tensor input -- register "
                f"tensor hooks on the inputs (x.register_hook) to change them instead")
        return replaced[i]

    def _report(self):
        grad_output = self.grad_output if self.grad_output is not None else (None,)
        grad_input = tuple(self.grad_input)
        replaced = None
        for hook in tuple(self.module._backward_hooks.values()):
            result = hook(self.module, grad_input, grad_output)
            if result is not None:
                replaced = grad_input = tuple(result)
        return replaced


def wrap_call(module, args, forward):
    """Run ``forward(*args)`` inside a boundary that reports gradients to the hooks."""
    if not Config.grad_enabled:
        return forward(*args)
    call = BoundaryCall(module, len(args))
    return call.wrap_output(forward(*call.wrap_inputs(args)))
