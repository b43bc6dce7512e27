"""RMSprop (Hinton's lecture 6e), as PyTorch documents it:

    g = grad + weight_decay * p             (-grad first, with maximize=True)
    v = alpha * v + (1 - alpha) * g**2
    centered: a = alpha * a + (1 - alpha) * g;  v_t = v - a**2   (else v_t = v)
    momentum: b = momentum * b + g / (sqrt(v_t) + eps);  p = p - lr * b
    otherwise: p = p - lr * g / (sqrt(v_t) + eps)

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.RMSprop([w], lr=0.01)
>>> (w * 3).sum().backward(); _ = opt.step(); round(w.item(), 4)
0.9
"""
import numpy as np

from .optimizer import Optimizer, check_hyperparameters, implementation_switches


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        checked = check_hyperparameters("RMSprop", lr=lr, momentum=momentum, alpha=alpha,
                                        eps=eps, weight_decay=weight_decay)
        switches = implementation_switches("RMSprop", capturable=capturable, foreach=foreach,
                                           differentiable=differentiable)
        super().__init__(params, dict(lr=checked["lr"], momentum=checked["momentum"],
                                      alpha=checked["alpha"], eps=checked["eps"],
                                      centered=centered, weight_decay=checked["weight_decay"],
                                      capturable=capturable, foreach=switches["foreach"],
                                      maximize=maximize, differentiable=False))

    def update(self, p, grad, state, group):
        alpha = group["alpha"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p.array)
            if group["momentum"]:
                state["momentum_buffer"] = np.zeros_like(p.array)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(p.array)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p.array
        v = state["square_avg"]
        v *= alpha
        v += (1 - alpha) * grad * grad
        if group["centered"]:
            a = state["grad_avg"]
            a *= alpha
            a += (1 - alpha) * grad
            v = v - a * a
        denom = np.sqrt(v) + group["eps"]
        if group["momentum"]:
            b = state["momentum_buffer"]
            b *= group["momentum"]
            b += grad / denom
            p.sub_(group["lr"] * b)
        else:
            p.sub_(group["lr"] * grad / denom)
