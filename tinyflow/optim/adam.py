"""Adam and AdamW (Kingma & Ba, 2014; Loshchilov & Hutter, 2017), as PyTorch
documents them. For step t:

    g = grad (+ weight_decay * p for Adam; AdamW instead sets p = p * (1 - lr * weight_decay))
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t);  v_hat = v / (1 - beta2**t)   (amsgrad: v_hat uses max of all v)
    p = p - lr * m_hat / (sqrt(v_hat) + eps)

>>> import tinyflow as tf
>>> from tinyflow import optim
>>> w = tf.tensor([1.0], requires_grad=True)
>>> opt = optim.Adam([w], lr=0.1)
>>> (w * 3).sum().backward(); _ = opt.step(); w
tensor([0.9], requires_grad=True)
"""
import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    decoupled = False       # AdamW: weight decay shrinks p directly, not through the gradient

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False):
        if lr < 0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"Invalid beta parameters: {betas}; each must be in [0, 1)")
        if eps < 0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if weight_decay < 0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad))

    def update(self, p, grad, state, group):
        lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p.data)
            state["exp_avg_sq"] = np.zeros_like(p.data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p.data)
        if wd and self.decoupled:
            p.mul_(1 - lr * wd)
        elif wd:
            grad = grad + wd * p.data
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
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
