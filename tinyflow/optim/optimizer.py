"""``Optimizer``: the base class. It holds parameter groups (each with its own
hyper-parameters, e.g. its own lr) and per-parameter state, and applies a
subclass's ``update`` rule to every parameter that has a gradient.

Updates change ``p.data`` in place with numpy, outside the tape: an optimizer
step is not part of any graph.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> from tinyflow import optim
>>> model = nn.Linear(2, 1)
>>> opt = optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.01}], lr=0.1)
>>> [g["lr"] for g in opt.param_groups]
[0.1, 0.01]
"""
import copy

import numpy as np

from ..eager.grad_mode import enable_grad, no_grad
from ..eager.tensor import Tensor, clear_grads


class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}              # parameter -> dict of numpy arrays and numbers
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got a single Tensor (wrap it in a list)")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict with "params" and any hyper-parameters that differ from the defaults."""
        group = dict(group)
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params "
                                f"is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor (one made by an op); "
                                 "optimize the leaves, e.g. model.parameters()")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group "
                             "(or twice in one)")
        group["params"] = params
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter (to None, or to zeros in place)."""
        clear_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """Update every parameter that has a gradient. ``closure``, if given, is
        called first (with gradients on) to recompute the loss, which is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(p, {})
                    self.update(p, p.grad.data, state, group)
        return loss

    def update(self, p, grad, state, group):
        """Change ``p`` in place from its gradient (a numpy array); subclasses define it."""
        raise NotImplementedError

    # --- saving ---------------------------------------------------------------

    def _params(self):
        return [p for g in self.param_groups for p in g["params"]]

    def state_dict(self):
        """{"state": {param index: {...}}, "param_groups": [{..., "params": [indices]}]},
        PyTorch's layout, holding copies (numbers and numpy arrays only)."""
        index = {id(p): i for i, p in enumerate(self._params())}
        state = {index[id(p)]: copy.deepcopy(s) for p, s in self.state.items() if id(p) in index}
        groups = []
        for g in self.param_groups:
            d = {k: v for k, v in g.items() if k != "params"}
            d["params"] = [index[id(p)] for p in g["params"]]
            groups.append(d)
        return {"state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and state saved by ``state_dict`` into an
        optimizer built over the same parameters, in the same order."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"loaded state dict has {len(groups)} parameter groups, but the "
                             f"optimizer has {len(self.param_groups)}")
        for i, (saved, own) in enumerate(zip(groups, self.param_groups)):
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(f"loaded state dict contains a parameter group {i} of "
                                 f"{len(saved['params'])} parameters, but the optimizer's group "
                                 f"{i} has {len(own['params'])}")
        params = self._params()
        new_state = {}
        for key, saved in state_dict["state"].items():
            i = int(key)
            if not 0 <= i < len(params):
                raise ValueError(f"loaded state dict has state for parameter {i}, but the "
                                 f"optimizer has only {len(params)} parameters")
            p = params[i]
            s = {}
            for name, v in saved.items():
                if isinstance(v, (np.ndarray, Tensor)):
                    v = np.array(v.data if isinstance(v, Tensor) else v, dtype=p.dtype)
                    if v.shape != p.shape:
                        raise ValueError(f"loaded state {name!r} of parameter {i} has shape "
                                         f"{v.shape}, but the parameter has shape {p.shape}")
                s[name] = v
            new_state[p] = s
        for saved, own in zip(groups, self.param_groups):
            own.update({k: v for k, v in saved.items() if k != "params"})
        self.state = new_state

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines) + "\n)"
