"""Adagrad (Duchi et al., 2011), as PyTorch documents it. For step t:

    g = grad + weight_decay * p             (-grad first, with maximize=True)
    clr = lr / (1 + (t - 1) * lr_decay)
    sum = sum + g**2                        (sum starts at initial_accumulator_value)
    p = p - clr * g / (sqrt(sum) + eps)

As in PyTorch, every parameter's state (step 0 and its sum) exists from the start.

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.Adagrad([w], lr=0.1)
>>> (w * 3).sum().backward(); _ = opt.step(); round(w.item(), 6)
0.9
"""
import numpy as np

from .optimizer import Optimizer, check_hyperparameters, implementation_switches


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        checked = check_hyperparameters("Adagrad", lr=lr, lr_decay=lr_decay, eps=eps,
                                        weight_decay=weight_decay,
                                        initial_accumulator_value=initial_accumulator_value)
        switches = implementation_switches("Adagrad", foreach=foreach,
                                           differentiable=differentiable, fused=fused)
        super().__init__(params, dict(lr=checked["lr"], lr_decay=checked["lr_decay"],
                                      eps=checked["eps"], weight_decay=checked["weight_decay"],
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=switches["foreach"], maximize=maximize,
                                      differentiable=False, fused=switches["fused"]))
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = self._initial_state(p, group)

    @staticmethod
    def _initial_state(p, group):
        return {"step": 0,
                "sum": np.full_like(p.array, group["initial_accumulator_value"])}

    def update(self, p, grad, state, group):
        if not state:                   # a group added after construction
            state.update(self._initial_state(p, group))
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p.array
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        p.sub_(clr * grad / (np.sqrt(state["sum"]) + group["eps"]))
