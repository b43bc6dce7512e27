"""Changing a tensor in place: ``x += y``, ``x.add_(y)``, ``x.zero_()``,
``x.copy_(y)``, ``x[i] = v``, and TF2's ``assign``. (``Tensor`` gets these
methods from ``InPlace``.)

An in-place change bumps the tensor's version, so backward can refuse a value
that changed after an op saved it -- the check PyTorch makes:

>>> import tinyflow as tf
>>> w = tf.ones(2, requires_grad=True)
>>> y = (w * 2).exp()
>>> with tf.no_grad():
...     w += 1                       # updates, as an optimizer does, unrecorded
>>> w
tensor([2., 2.], requires_grad=True)
"""
import numpy as np

from ..base.args import is_operand, operand_error
from ..base.config import Config, using_config
from ..ops import elementwise as _E
from ..ops.methods import unwrap_key
from ..ops.primitive import PRIMITIVES, bind, interpreters, is_eager, is_symbolic, is_tensor


class InPlace:
    """The in-place methods of ``Tensor``."""
    __slots__ = ()

    def _inplace(self, prim, other):
        if isinstance(other, InPlace):            # an eager tensor: the usual case, asked first
            other_value = other.array
        elif is_tensor(other) or is_operand(other):
            other_value = other.array if is_eager(other) else other
        else:
            raise operand_error(f"in-place {prim.name}", other)
        if Config.grad_enabled and (self.requires_grad or getattr(other, "requires_grad", False)):
            if self.node is None and self.requires_grad:
                raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                                   "operation; wrap the update in `with tinyflow.no_grad():`")
            # Rewrite history: self now holds op(old self, other); the old value is kept
            # (out of place) for any node that still needs it.
            old = self._wrap(self.array, self.node)
            old._version = self._version
            res = bind(prim, (old, other), {})
            if res.array.dtype != old.array.dtype:      # in place keeps self's dtype
                res = bind(_E.Cast, (res,), {"dtype": old.array.dtype})
            self.array, self.node, self.requires_grad = res.array, res.node, True
        else:
            if not self.array.flags.writeable:
                self.array = self.array.copy()
            try:
                prim.forward(self.array, other_value, out=self.array)
            except TypeError as e:
                raise TypeError(f"in-place {prim.name}: {e}") from None
            if self.node is not None:
                self.node.out_modified = True
        self._version += 1
        Config.inplace_ops += 1
        return self

    def increment_version(self):
        """Count one change of the values made in place behind tinyflow's back (PyTorch's
        ``torch.autograd.graph.increment_version``): code that writes ``t.array``
        directly -- an assign op, ``set_weights`` -- calls it, as the in-place methods
        here do, so backward refuses a value saved before the change."""
        self._version += 1

    def __iadd__(self, other): return self._inplace(_E.Add, other)
    def __isub__(self, other): return self._inplace(_E.Sub, other)
    def __imul__(self, other): return self._inplace(_E.Mul, other)
    def __itruediv__(self, other): return self._inplace(_E.Div, other)
    def add_(self, other, alpha=1):
        """self += alpha * other, in place (PyTorch's ``add_(other, alpha=...)``)."""
        return self._inplace(_E.Add, other if alpha == 1 else _scaled(other, alpha))

    def sub_(self, other, alpha=1):
        """self -= alpha * other, in place."""
        return self._inplace(_E.Sub, other if alpha == 1 else _scaled(other, alpha))

    def clamp_(self, min=None, max=None):
        """self limited to [min, max], in place."""
        return self._overwrite(lambda a: np.clip(a, min, max, out=a))

    mul_ = __imul__
    div_ = __itruediv__

    def _overwrite(self, fill):
        if Config.grad_enabled and self.requires_grad and self.node is None:
            raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                               "operation; wrap the update in `with tinyflow.no_grad():`")
        if not self.array.flags.writeable:
            self.array = self.array.copy()
        fill(self.array)
        if self.node is not None:
            self.node.out_modified = True
        self._version += 1
        Config.inplace_ops += 1
        return self

    def zero_(self):
        """Set every element to 0, in place."""
        return self._overwrite(lambda a: a.fill(0))

    def fill_(self, value):
        return self._overwrite(lambda a: a.fill(value))

    def copy_(self, src):
        """Copy src's values into self, in place (broadcasting src)."""
        src = src.array if is_eager(src) else np.asarray(src)
        return self._overwrite(lambda a: np.copyto(a, src, casting="same_kind"))

    # --- TF2 Variable spellings: assign, assign_add, assign_sub ---
    def _assign(self, prim_name, value, update):
        if interpreters.building is not None or is_symbolic(value):
            # Traced by tinyflow.function: an op that updates this tensor when the graph runs.
            return bind(PRIMITIVES[prim_name], (self, value), {})
        value = value.array if is_eager(value) else np.asarray(value)
        with using_config(grad_enabled=False):
            return self._overwrite(lambda a: np.copyto(a, update(a, value), casting="same_kind"))

    def assign(self, value):
        """Store ``value`` in this tensor, in place (TF2's Variable.assign)."""
        return self._assign("AssignVariableOp", value, lambda a, v: v)

    def assign_add(self, delta):
        return self._assign("AssignAddVariableOp", delta, lambda a, v: a + v)

    def assign_sub(self, delta):
        return self._assign("AssignSubVariableOp", delta, lambda a, v: a - v)

    def __setitem__(self, key, value):
        if Config.grad_enabled and self.requires_grad:
            raise RuntimeError("in-place assignment x[...] = v into a tensor that requires grad is "
                               "not recorded by autograd; build a new tensor (tinyflow.where) or "
                               "assign under `with tinyflow.no_grad():`")
        if not (is_tensor(value) or is_operand(value)):
            raise TypeError(f"setitem: can't assign a {type(value).__name__} to a tensor of dtype "
                            f"{self.dtype}: x[key] = v takes a tensor, a number or an array")
        value = value.array if is_eager(value) else value
        self._overwrite(lambda a: _set(a, unwrap_key(key), value))


def _set(a, key, value):
    """a[key] = value, with PyTorch's RuntimeError when value does not broadcast there."""
    try:
        a[key] = value
    except ValueError:
        raise RuntimeError(f"setitem: a value of shape {np.shape(value)} cannot be assigned to "
                           f"x[key] of shape {np.shape(a[key])}: its shape must broadcast to "
                           f"that shape") from None


def _scaled(other, alpha):
    """alpha * other, for add_/sub_ (a tensor stays on the tape; numbers stay numbers)."""
    return other * alpha if is_eager(other) else np.asarray(other) * alpha
