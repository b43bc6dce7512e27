"""Adadelta (Zeiler, 2012), as PyTorch documents it:

    g = grad + weight_decay * p             (-grad first, with maximize=True)
    v = rho * v + (1 - rho) * g**2
    delta = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * delta**2
    p = p - lr * delta                      (lr defaults to 1.0)

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.Adadelta([w])
>>> (w * 3).sum().backward(); _ = opt.step(); round(w.item(), 6)
0.996838
"""
import numpy as np

from .optimizer import Optimizer, check_hyperparameters, implementation_switches


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        checked = check_hyperparameters("Adadelta", lr=lr, rho=rho, eps=eps,
                                        weight_decay=weight_decay)
        switches = implementation_switches("Adadelta", foreach=foreach, capturable=capturable,
                                           differentiable=differentiable)
        super().__init__(params, dict(checked, maximize=maximize, capturable=capturable,
                                      foreach=switches["foreach"], differentiable=False))

    def update(self, p, grad, state, group):
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p.array)
            state["acc_delta"] = np.zeros_like(p.array)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p.array
        v, u = state["square_avg"], state["acc_delta"]
        v *= rho
        v += (1 - rho) * grad * grad
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * grad
        u *= rho
        u += (1 - rho) * delta * delta
        p.sub_(group["lr"] * delta)
