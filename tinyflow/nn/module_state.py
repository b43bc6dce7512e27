"""What a Module holds, as values: ``state_dict`` and ``load_state_dict``,
dtype conversions (``to``, ``double``, ``float``) and clearing gradients.
``nn.Module`` gets these methods from ``ModuleState``.

>>> import tinyflow.nn as nn
>>> a, b = nn.Linear(2, 2), nn.Linear(2, 2)
>>> b.load_state_dict(a.state_dict())
<All keys matched successfully>
>>> bool((a.weight == b.weight).all())
True
"""
from collections import OrderedDict, namedtuple

import numpy as np

from ..base import dtypes
from ..base.device import check_device
from ..ops.conversions import to_arguments
from ..eager.grad_mode import no_grad
from ..eager.size import Size
from ..eager.tensor import Tensor, clear_grads

class IncompatibleKeys(namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` did not match (PyTorch's ``_IncompatibleKeys``)."""
    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
                f"unexpected_keys={self.unexpected_keys})")


class ModuleState:
    """The state methods of ``nn.Module`` (which keeps the registries they walk)."""

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's ``.grad`` (to None, or to zeros in place)."""
        clear_grads(self.parameters(), set_to_none)

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)``: the
        floating-point parameters and buffers converted in place; returns the module.

        >>> import tinyflow as tf, tinyflow.nn as nn
        >>> nn.Linear(2, 2).to("cpu", tf.float64).weight.dtype
        tinyflow.float64
        """
        dtype = to_arguments(args, kwargs.get("dtype"), kwargs.get("device"))
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        for _, t in self._named_tensors():
            if t.dtype.kind == "f":
                t.array = t.array.astype(dtype)
                if t.grad is not None:
                    t.grad = Tensor(t.grad.array.astype(dtype))
        return self

    def cpu(self):
        """The module: it already lives on the CPU."""
        return self

    def cuda(self, device=None):
        """An error: tinyflow computes on the CPU (see tinyflow.cuda.is_available())."""
        check_device("cuda", "cuda")

    def double(self):
        """Parameters and buffers as float64 (for gradcheck)."""
        return self.to(dtypes.float64)

    def float(self):
        return self.to(dtypes.float32)

    # --- state ------------------------------------------------------------------

    def _state_entries(self):
        """dotted name -> tensor, for every parameter and persistent buffer."""
        out = OrderedDict()
        for mod_name, m in self.named_modules():
            pre = f"{mod_name}." if mod_name else ""
            for name, p in m._parameters.items():
                if p is not None:
                    out[pre + name] = p
            for name, b in m._buffers.items():
                if b is not None and name not in m._non_persistent:
                    out[pre + name] = b
        return out

    def state_dict(self):
        """An ordered dict of every parameter and persistent buffer by dotted name.

        The values are detached tensors sharing memory with the model (as in
        PyTorch): save them, or copy them, before training on.

        >>> import tinyflow.nn as nn
        >>> list(nn.BatchNorm1d(3).state_dict())
        ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
        """
        return OrderedDict((k, t.detach()) for k, t in self._state_entries().items())

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from ``state_dict`` into the parameters and buffers, in place.

        With ``strict`` a missing or an unexpected key is an error; a shape
        mismatch always is. Nothing is copied unless everything fits. Returns
        ``(missing_keys, unexpected_keys)``.
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            hint = (f": to load a file, load it first, model.load_state_dict(tinyflow.load("
                    f"{state_dict!r}))") if isinstance(state_dict, str) else ""
            raise TypeError(f"load_state_dict(): argument 'state_dict': Expected state_dict to "
                            f"be dict-like, got {type(state_dict)}{hint}")
        own = self._state_entries()
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict:
            if unexpected:
                errors.append("Unexpected key(s) in state_dict: "
                              + ", ".join(map(repr, unexpected)))
            if missing:
                errors.append("Missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
        values = {}
        for k, t in own.items():
            if k not in state_dict:
                continue
            v = state_dict[k]
            if not isinstance(v, (Tensor, np.ndarray)):
                errors.append(f'While copying the parameter named "{k}", expected a tensor (or '
                              f'an array) from checkpoint but received {type(v)}')
                continue
            v = v.array if isinstance(v, Tensor) else v
            if v.shape != t.shape:
                errors.append(f"size mismatch for {k}: copying a param with shape {Size(v.shape)} "
                              f"from checkpoint, the shape in current model is {t.shape}.")
            values[k] = v
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        with no_grad():
            for k, v in values.items():
                own[k].copy_(v)
        return IncompatibleKeys(missing, unexpected)

    def _config(self):
        """(args, kwargs) that rebuild this module (without its weights): by
        default the constructor call as it was made. tinyflow.save records it."""
        return self._init_args
