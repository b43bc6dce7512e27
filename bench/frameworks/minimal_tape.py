"""A minimal tape: the least any Python autograd tape can do, as a yardstick.

Each op computes its numpy result and remembers a closure that turns the output's
gradient into its inputs' gradients (micrograd's design, on whole arrays). There
is nothing else: no checks, no dtype rules, no hooks, no anomaly mode, no version
counters, no graph mode. It is not part of tinyflow and no learner should use it;
it is here so the table shows how much of tinyflow eager's distance to
hand-written numpy any tape pays (bench/README.md: "What a tape costs").
"""
import numpy as np

from workloads import CHAIN_LENGTH, TANH_EVERY

NAME = "minimal tape (no checks)"


class Var:
    __slots__ = ("value", "grad", "parents", "backward_fn", "needs_grad")

    def __init__(self, value, parents=(), backward_fn=None, needs_grad=False):
        self.value = value
        self.grad = None
        self.parents = parents            # the Vars this one was computed from
        self.backward_fn = backward_fn    # g -> one gradient per parent (None: not needed)
        self.needs_grad = needs_grad or any(p.needs_grad for p in parents)

    def __matmul__(self, other):
        a, b, need_a = self.value, other.value, self.needs_grad
        return Var(a @ b, (self, other), lambda g: (g @ b.T if need_a else None, a.T @ g))

    def __add__(self, other):             # other: a bias of shape (n,), or a number
        if not isinstance(other, Var):
            return Var(self.value + other, (self,), lambda g: (g,))
        return Var(self.value + other.value, (self, other), lambda g: (g, g.sum(axis=0)))

    def __mul__(self, c):                 # by a number
        return Var(self.value * c, (self,), lambda g: (g * c,))

    def tanh(self):
        out = np.tanh(self.value)
        return Var(out, (self,), lambda g: (g * (1 - out * out),))

    def relu(self):
        out = np.maximum(self.value, 0)
        return Var(out, (self,), lambda g: (g * (out > 0),))

    def sum(self):
        shape, dtype = self.value.shape, self.value.dtype
        return Var(self.value.sum(), (self,), lambda g: (np.full(shape, g, dtype),))

    def cross_entropy(self, y):           # mean softmax cross-entropy, integer labels
        z = self.value - self.value.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = np.mean(np.log(s[:, 0]) - z[rows, y])

        def backward_fn(g):
            p = e / s
            p[rows, y] -= 1
            p *= g / len(y)
            return (p,)
        return Var(np.asarray(loss, self.value.dtype), (self,), backward_fn)

    def backward(self):
        # Depth-first, each Var after what it depends on. (A loop with a stack rather
        # than a recursive inner function: that would be a reference cycle holding the
        # whole tape until Python's cycle collector runs.)
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((p, False) for p in v.parents)
        self.grad = np.ones_like(self.value)
        for v in reversed(order):
            if v.backward_fn is None or v.grad is None:
                continue
            for p, g in zip(v.parents, v.backward_fn(v.grad)):
                if g is not None and p.needs_grad:
                    p.grad = g if p.grad is None else p.grad + g


def setup(threads):
    pass


def w1(x0):
    def run():
        x = Var(x0, needs_grad=True)
        h = x
        for i in range(CHAIN_LENGTH):
            h = h * 1.0001 + 0.001
            if i % TANH_EVERY == TANH_EVERY - 1:
                h = h.tanh()
        total = h.sum()
        total.backward()
        return total.value, x.grad
    return run


def mlp(params, x, y, lr):
    params = [Var(p.copy(), needs_grad=True) for p in params]
    x = Var(x)

    def step():
        for p in params:
            p.grad = None
        h = x
        for W, b in zip(params[0:-2:2], params[1:-2:2]):
            h = (h @ W + b).relu()
        loss = (h @ params[-2] + params[-1]).cross_entropy(y)
        loss.backward()
        for p in params:
            p.value -= lr * p.grad
        return loss.value

    return step, lambda: [p.value.copy() for p in params]
