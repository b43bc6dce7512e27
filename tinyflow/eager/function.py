"""Custom autograd functions, as PyTorch spells them: a forward and a backward
you write yourself (``torch.autograd.Function``).

A subclass becomes one primitive of the registry: ``apply`` runs it on the
tape like any other op, so it is recorded, drawn, stepped and walked back by
the same code; its vjp rule calls your ``backward`` (once per node).

>>> import tinyflow as torch
>>> class MyReLU(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x.clamp(min=0)
...     @staticmethod
...     def backward(ctx, grad_output):
...         x, = ctx.saved_tensors
...         return grad_output * (x > 0)
>>> x = torch.tensor([-1.0, 2.0], requires_grad=True)
>>> y = MyReLU.apply(x)
>>> y.grad_fn
<MyReLUBackward>
>>> y.sum().backward(); x.grad
tensor([0., 1.])
"""
import numpy as np

from ..base.config import Config, using_config
from ..ops.primitive import Primitive, interpreters, is_symbolic, is_tensor
from .tensor import Tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: ``save_for_backward(*tensors)``,
    ``saved_tensors``, ``needs_input_grad``, ``mark_non_differentiable``, and any
    attribute you set on it."""

    def __init__(self, function, args):
        self._function = function
        self._args = args
        self._inside = {}            # id of the tensor forward saw -> the input tensor it stands for
        self._saved = ()
        self._non_differentiable = set()
        self._grads = None           # (the gradient backward was last called with, its result)
        self._out = None             # the tensor forward returned
        self.materialize_grads = True
        self.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad
                                      and Config.grad_enabled for a in args)

    def save_for_backward(self, *tensors):
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument "
                                f"{tensors.index(t)} is of type {type(t).__name__}")
        self._saved = tensors

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward`` (inputs as the inputs themselves)."""
        return tuple(self._inside.get(id(t), t) for t in self._saved)

    def mark_non_differentiable(self, *outputs):
        self._non_differentiable.update(id(t) for t in outputs)

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors):
        """Accepted (in-place changes inside ``forward`` need no bookkeeping here)."""

    # --- what the primitive's forward and vjp rule run (below) ---
    def _forward(self, vals):
        """The user's ``forward`` on tensors holding ``vals``, recording nothing; keeps
        the output tensor (for ``mark_non_differentiable``) and returns its array."""
        inside = []
        for a, v in zip(self._args, vals):
            if isinstance(a, Tensor):
                t = Tensor._wrap(v)
                self._inside[id(t)] = a
                inside.append(t)
            else:
                inside.append(a)
        fn = self._function
        with using_config(grad_enabled=False):
            if fn._new_style:
                out = fn.forward(*inside)
                fn.setup_context(self, tuple(inside), out)
            else:
                out = fn.forward(self, *inside)
        if not isinstance(out, Tensor):
            raise TypeError(f"{fn.__name__}.forward must return a single tensor (tinyflow's "
                            f"custom functions have one output), got {type(out).__name__}")
        self._out = out
        return out.array

    def _input_grad(self, i, g):
        """Input i's gradient for the output gradient ``g``: the user's ``backward``,
        called once per ``g`` for all inputs."""
        if self._grads is None or self._grads[0] is not g:
            create = is_tensor(g)                  # create_graph: the backward itself is recorded
            g_out = g if create else Tensor._wrap(np.asarray(g))
            fn = self._function
            with using_config(grad_enabled=create):
                grads = fn.backward(self, g_out)
            grads = grads if isinstance(grads, tuple) else (grads,)
            if len(grads) != len(self._args):
                raise RuntimeError(f"function {fn.__name__}Backward returned an incorrect number "
                                   f"of gradients (expected {len(self._args)}, got {len(grads)})")
            self._grads = (g, grads, create)
        gi, create = self._grads[1][i], self._grads[2]
        if gi is None or create:
            return gi
        return gi.array if isinstance(gi, Tensor) else np.asarray(gi)


def _run_forward(*vals, ctx):
    """The primitive's forward: the user's ``forward`` on tensors, recording nothing."""
    return ctx._forward(vals)


def _vjp(i, g, *vals, out, ctx):
    """Input i's gradient: the user's ``backward``, called once for all inputs."""
    return ctx._input_grad(i, g)


class _FunctionMeta(type):
    """Each subclass of Function gets its primitive, named after it."""

    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        if bases and bases != (object,):
            # Not in the registry: graphs, files and exports never meet it (it runs eagerly).
            cls._primitive = Primitive(name, _run_forward, lambda *shapes, **attrs: None,
                                       family="function", doc=cls.__doc__ or name, register=False)
            cls._primitive.defvjp_each(_vjp)
            cls._new_style = "setup_context" in namespace or any(
                "setup_context" in vars(b) for b in cls.__mro__[1:-1] if b.__name__ != "Function")


class Function(metaclass=_FunctionMeta):
    """Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``
    (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``), then
    call ``YourFunction.apply(*args)``."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is "
                           "deprecated. Please use new-style autograd function with static "
                           "forward method, and call it as MyFunction.apply(*args)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        if kwargs:
            raise TypeError(f"{cls.__name__}.apply takes its arguments by position (as "
                            f"PyTorch's does), got keywords {sorted(kwargs)}")
        if interpreters.building is not None or any(is_symbolic(a) for a in args):
            raise TypeError(f"{cls.__name__}: a custom autograd.Function runs eagerly only; it "
                            f"cannot be traced into a graph (write it with tinyflow's ops "
                            f"instead)")
        ctx = FunctionCtx(cls, args)
        out = interpreters.eager(cls._primitive, args, {"ctx": ctx})
        if id(ctx._out) in ctx._non_differentiable:
            return out.detach()
        return out
