"""HIPS autograd: numpy code differentiated by value_and_grad."""
from importlib.metadata import version

import autograd.numpy as anp
from autograd import value_and_grad

from workloads import chain

NAME = f"HIPS autograd {version('autograd')}"


def setup(threads):
    pass


def w1(x0):
    forward_backward = value_and_grad(lambda x: anp.sum(chain(x, anp.tanh)))
    return lambda: forward_backward(x0)


def _loss(params, x, y):
    h = x
    for W, b in zip(params[0:-2:2], params[1:-2:2]):
        h = anp.maximum(h @ W + b, 0)
    z = h @ params[-2] + params[-1]
    z = z - anp.max(z, axis=1, keepdims=True)
    logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
    return -anp.mean(logp[anp.arange(len(y)), y])


def mlp(params, x, y, lr):
    params = [p.copy() for p in params]
    loss_and_grads = value_and_grad(_loss)

    def step():
        loss, grads = loss_and_grads(params, x, y)
        for p, g in zip(params, grads):
            p -= lr * g
        return loss

    return step, lambda: [p.copy() for p in params]
