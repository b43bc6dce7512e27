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
import inspect
import numbers

import numpy as np

from ..eager.grad_mode import enable_grad, no_grad
from ..eager.tensor import Tensor, clear_grads


# Each hyper-parameter's rule: (the test a valid value passes, what PyTorch calls
# it in its message, the range in words). ``check_hyperparameters`` applies them.
_RULES = {
    "lr": (lambda v: v >= 0, "learning rate", ">= 0"),
    "eps": (lambda v: v >= 0, "epsilon value", ">= 0"),
    "weight_decay": (lambda v: v >= 0, "weight_decay value", ">= 0"),
    "momentum": (lambda v: v >= 0, "momentum value", ">= 0"),
    "alpha": (lambda v: v >= 0, "alpha value", ">= 0"),
    "rho": (lambda v: 0 <= v <= 1, "rho value", "in [0, 1]"),
    "lr_decay": (lambda v: v >= 0, "lr_decay value", ">= 0"),
    "initial_accumulator_value": (lambda v: v >= 0, "initial_accumulator_value value", ">= 0"),
}


def _number(owner, name, v):
    if isinstance(v, Tensor) and v.ndim == 0:
        v = v.item()
    if not isinstance(v, numbers.Real) or isinstance(v, bool):
        raise TypeError(f"{owner}: {name} must be a number, got {type(v).__name__} {v!r}")
    return v


def check_hyperparameters(owner, **values):
    """Check an optimizer's hyper-parameters against the rules above (``betas``: each
    in [0, 1)); a bad one is a ValueError naming the optimizer and the argument with
    PyTorch's words ("Invalid learning rate: -1"), a non-number a TypeError. Returns
    the values (a 0-d tensor given for a number becomes that number).

    >>> check_hyperparameters("SGD", lr=0.1, momentum=0.9)
    {'lr': 0.1, 'momentum': 0.9}
    >>> check_hyperparameters("Adam", lr=-1)
    Traceback (most recent call last):
    ...
    ValueError: Adam: Invalid learning rate: -1 (lr must be >= 0)
    """
    out = {}
    for name, v in values.items():
        if name == "betas":
            if not isinstance(v, (tuple, list)) or len(v) < 2:
                # PyTorch reads betas[1]: an IndexError for one beta, a TypeError for a number
                error = IndexError if isinstance(v, (tuple, list)) else TypeError
                raise error(f"{owner}: betas must be a pair of numbers (beta1, beta2), got "
                            f"{type(v).__name__} {v!r}")
            betas = tuple(_number(owner, "betas", b) for b in v)
            for i, b in enumerate(betas):
                if not 0.0 <= b < 1.0:
                    raise ValueError(f"{owner}: Invalid beta parameter at index {i}: {b} (each of "
                                     f"betas must be in [0, 1))")
            out[name] = betas
            continue
        v = _number(owner, name, v)
        ok, words, allowed = _RULES[name]
        if not ok(v):
            raise ValueError(f"{owner}: Invalid {words}: {v} ({name} must be {allowed})")
        out[name] = v
    return out


class Optimizer:
    """Base class: ``params`` is an iterable of tensors, of (name, tensor) pairs, or of
    dicts (parameter groups, each with "params" and any hyper-parameter of its own);
    ``defaults`` holds every hyper-parameter's default, as ``optimizer.defaults``."""

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}              # parameter -> dict of numpy arrays and numbers
        self._opt_called = False     # has step() run? (the schedulers warn if not)
        self.param_groups = []
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(f"{name}: params argument given to the optimizer should be an "
                            f"iterable of Tensors or dicts, but got a single Tensor (wrap it in "
                            f"a list)")
        if inspect.ismethod(params) or inspect.isfunction(params):
            raise TypeError(f"{name}: params must be an iterable of Tensors or of dicts, but got "
                            f"the method {getattr(params, '__qualname__', params)!r}: call it, "
                            f"e.g. {name}(model.parameters(), ...)")
        try:
            groups = list(params)
        except TypeError:
            raise TypeError(f"{name}: params must be an iterable of Tensors or of dicts, but got "
                            f"{type(params).__name__}") from None
        if not groups:
            raise ValueError(f"{name}: optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict with "params" and any hyper-parameters that differ from the defaults."""
        name = type(self).__name__
        if not isinstance(group, dict):
            raise TypeError(f"{name}: a parameter group must be a dict with a 'params' entry, "
                            f"got {type(group).__name__} {group!r} (param_group must be a dict)")
        if "params" not in group:
            raise KeyError(f"{name}: a parameter group must be a dict with a 'params' entry, "
                           f"got the keys {sorted(group)}")
        group = dict(group)
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if params and all(isinstance(p, tuple) and len(p) == 2 for p in params):
            group["param_names"] = [n for n, _ in params]      # named_parameters() given
            params = [p for _, p in params]
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: optimizer can only optimize Tensors, but one of the "
                                f"params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{name}: can't optimize a non-leaf Tensor (one made by an op); "
                                 f"optimize the leaves, e.g. model.parameters()")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or any(id(p) in seen for p in params):
            raise ValueError(f"{name}: some parameters appear in more than one parameter group "
                             f"(or twice in one)")
        group["params"] = params
        own = {k: v for k, v in group.items() if k in _RULES or k == "betas"}
        group.update(check_hyperparameters(name, **own))
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter (to None, or to zeros in place)."""
        clear_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """Update every parameter that has a gradient. ``closure``, if given, is
        called first (with gradients on) to recompute the loss, which is returned."""
        self._opt_called = True      # the schedulers check that step came first
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
                    grad = p.grad.array
                    self.update(p, -grad if group.get("maximize") else grad, state, group)
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
        if not isinstance(state_dict, dict):
            hint = (f": to load a file, load it first, opt.load_state_dict(tinyflow.load("
                    f"{state_dict!r}))" if isinstance(state_dict, str) else "")
            raise TypeError(f"{type(self).__name__}.load_state_dict(): argument 'state_dict' "
                            f"must be a dict (from optimizer.state_dict()), got "
                            f"{type(state_dict).__name__}{hint}")
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
                    v = np.array(v.array if isinstance(v, Tensor) else v, dtype=p.dtype)
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


def implementation_switches(owner, differentiable=False, **switches):
    """PyTorch's implementation switches (foreach, fused, capturable): accepted and
    stored, since they choose how the same update runs, not what it computes;
    ``differentiable=True`` (autograd through ``step``) is not supported.

    >>> implementation_switches("Adam", foreach=None, fused=None)
    {'foreach': None, 'fused': None, 'differentiable': False}
    """
    if differentiable:
        raise NotImplementedError(f"{owner}: differentiable=True (recording the update for "
                                  f"autograd) is not supported; tinyflow's step runs outside the "
                                  f"tape")
    return dict(switches, differentiable=False)
