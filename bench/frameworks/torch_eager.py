"""PyTorch eager on the CPU, raw tensors (no nn.Module), the same math."""
import torch
import torch.nn.functional as F

from workloads import chain

NAME = f"PyTorch {torch.__version__.split('+')[0]} eager"


def setup(threads):
    torch.set_num_threads(threads)


def w1(x0):
    x = torch.tensor(x0, requires_grad=True)

    def run():
        x.grad = None
        total = chain(x, torch.tanh).sum()
        total.backward()
        return total.detach(), x.grad
    return run


def mlp(params, x, y, lr):
    params = [torch.tensor(p, requires_grad=True) for p in params]
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        h = x
        for W, b in zip(params[0:-2:2], params[1:-2:2]):
            h = torch.relu(h @ W + b)
        loss = F.cross_entropy(h @ params[-2] + params[-1], y)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss.detach()

    return step, lambda: [p.detach().numpy().copy() for p in params]


def cnn(params, x, y, lr):
    params = [torch.tensor(p, requires_grad=True) for p in params]
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        K1, b1, K2, b2, W, b = params
        h = F.max_pool2d(torch.relu(F.conv2d(x, K1, b1, padding=1)), 2)
        h = F.max_pool2d(torch.relu(F.conv2d(h, K2, b2, padding=1)), 2)
        loss = F.cross_entropy(h.flatten(1) @ W + b, y)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss.detach()

    return step, lambda: [p.detach().numpy().copy() for p in params]
