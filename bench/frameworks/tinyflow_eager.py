"""tinyflow eager: the tape, PyTorch spellings."""
import tinyflow as tf
import tinyflow.nn.functional as F

from workloads import chain

NAME = "tinyflow eager"


def setup(threads):
    pass


def w1(x0):
    x = tf.tensor(x0, requires_grad=True)

    def run():
        x.grad = None
        total = chain(x, lambda t: t.tanh()).sum()
        total.backward()
        return total, x.grad
    return run


def loss(params, x, y):
    """Mean softmax cross-entropy of the MLP (also traced by tinyflow_function)."""
    h = x
    for W, b in zip(params[0:-2:2], params[1:-2:2]):
        h = (h @ W + b).relu()
    logits = h @ params[-2] + params[-1]
    return F.cross_entropy(logits, y)       # one fused op, like PyTorch's F.cross_entropy


def cnn_loss(params, x, y):
    """Mean softmax cross-entropy of W4's CNN (also traced by tinyflow_function)."""
    K1, b1, K2, b2, W, b = params
    h = F.max_pool2d(F.conv2d(x, K1, b1, padding=1).relu(), 2)
    h = F.max_pool2d(F.conv2d(h, K2, b2, padding=1).relu(), 2)
    return F.cross_entropy(h.flatten(1) @ W + b, y)


def _sgd(loss_fn, params, x, y, lr):
    params = [tf.tensor(p, requires_grad=True) for p in params]
    x, y = tf.tensor(x), tf.tensor(y)

    def step():
        for p in params:
            p.grad = None           # before the forward: last step's gradients are not kept alive
        value = loss_fn(params, x, y)
        value.backward()
        with tf.no_grad():
            for p in params:
                p -= lr * p.grad
        return value

    return step, lambda: [p.detach().numpy().copy() for p in params]


def mlp(params, x, y, lr):
    return _sgd(loss, params, x, y, lr)


def cnn(params, x, y, lr):
    return _sgd(cnn_loss, params, x, y, lr)
