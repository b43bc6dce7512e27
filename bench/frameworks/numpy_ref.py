"""Hand-written numpy: the forward and the backward spelled out, updates in place."""
import numpy as np

from workloads import CHAIN_LENGTH, TANH_EVERY

NAME = "numpy (hand-written)"


def setup(threads):
    pass


def w1(x0):
    def run():
        x, tanhs = x0, []
        for i in range(CHAIN_LENGTH):
            x = x * 1.0001 + 0.001
            if i % TANH_EVERY == TANH_EVERY - 1:
                x = np.tanh(x)
                tanhs.append(x)
        total = x.sum()
        g = np.ones_like(x)
        for i in reversed(range(CHAIN_LENGTH)):
            if i % TANH_EVERY == TANH_EVERY - 1:
                t = tanhs.pop()
                g = g * (1 - t * t)
            g = g * 1.0001
        return total, g
    return run


def mlp(params, x, y, lr):
    params = [p.copy() for p in params]
    layers = list(zip(params[0::2], params[1::2]))
    rows = np.arange(len(x))

    def step():
        hs = [x]
        for W, b in layers[:-1]:
            hs.append(np.maximum(hs[-1] @ W + b, 0))
        W, b = layers[-1]
        z = hs[-1] @ W + b
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - z[rows, y])
        g = e / s                      # d loss / d logits = (softmax - onehot) / n
        g[rows, y] -= 1
        g /= len(x)
        for i in reversed(range(len(layers))):
            W, b = layers[i]
            gW, gb = hs[i].T @ g, g.sum(axis=0)
            if i:
                g = (g @ W.T) * (hs[i] > 0)
            W -= lr * gW
            b -= lr * gb
        return loss

    return step, lambda: [p.copy() for p in params]
