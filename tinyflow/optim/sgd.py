"""Stochastic gradient descent, with momentum, dampening, Nesterov momentum and
weight decay, exactly as PyTorch's ``torch.optim.SGD`` documents it:

    g = grad + weight_decay * p             (-grad first, with maximize=True)
    b = g                                   (first step)
    b = momentum * b + (1 - dampening) * g  (later steps)
    g = g + momentum * b  if nesterov  else  b
    p = p - lr * g

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.1)
>>> (w * 3).sum().backward(); _ = opt.step(); w
tensor([0.7000], requires_grad=True)
>>> opt.defaults["momentum"]
0
"""
from .optimizer import Optimizer, check_hyperparameters, implementation_switches


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        checked = check_hyperparameters("SGD", lr=lr, momentum=momentum,
                                        weight_decay=weight_decay)
        if nesterov and (checked["momentum"] <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        switches = implementation_switches("SGD", foreach=foreach, differentiable=differentiable,
                                           fused=fused)
        super().__init__(params, dict(lr=checked["lr"], momentum=checked["momentum"],
                                      dampening=dampening, weight_decay=checked["weight_decay"],
                                      nesterov=nesterov, maximize=maximize,
                                      foreach=switches["foreach"], differentiable=False,
                                      fused=switches["fused"]))

    def update(self, p, grad, state, group):
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p.array
        mu = group["momentum"]
        if mu:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.copy()
            else:
                buf *= mu
                buf += (1 - group["dampening"]) * grad
            grad = grad + mu * buf if group["nesterov"] else buf
        p.sub_(group["lr"] * grad)
