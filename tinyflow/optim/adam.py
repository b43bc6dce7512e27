"""Adam and AdamW (Kingma & Ba, 2014; Loshchilov & Hutter, 2017), as PyTorch
documents them. For step t:

    g = grad (-grad with maximize=True) (+ weight_decay * p for Adam;
        AdamW, or Adam(decoupled_weight_decay=True), instead sets p = p * (1 - lr * weight_decay))
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t);  v_hat = v / (1 - beta2**t)   (amsgrad: v_hat uses max of all v)
    p = p - lr * m_hat / (sqrt(v_hat) + eps)

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.Adam([w], lr=0.1)
>>> (w * 3).sum().backward(); _ = opt.step(); w
tensor([0.9000], requires_grad=True)
"""
import numpy as np

from .optimizer import Optimizer, check_hyperparameters, implementation_switches


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        name = type(self).__name__
        checked = check_hyperparameters(name, lr=lr, betas=betas, eps=eps,
                                        weight_decay=weight_decay)
        switches = implementation_switches(name, foreach=foreach, capturable=capturable,
                                           differentiable=differentiable, fused=fused)
        super().__init__(params, dict(checked, amsgrad=amsgrad, maximize=maximize,
                                      foreach=switches["foreach"], capturable=capturable,
                                      differentiable=False, fused=switches["fused"],
                                      decoupled_weight_decay=decoupled_weight_decay))

    def update(self, p, grad, state, group):
        lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p.array)
            state["exp_avg_sq"] = np.zeros_like(p.array)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p.array)
        if wd and group["decoupled_weight_decay"]:
            p.mul_(1 - lr * wd)
        elif wd:
            grad = grad + wd * p.array
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        p.sub_(lr * m_hat / (np.sqrt(v_hat) + group["eps"]))


class AdamW(Adam):
    """Adam with decoupled weight decay (default 0.01): p shrinks by lr * weight_decay
    each step, independently of the gradient's scaling."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)
