"""tinyflow.function: the whole step (GradientTape and updates) traced into one graph."""
import tinyflow as tf

from workloads import chain
from frameworks.tinyflow_eager import cnn_loss, loss

NAME = "tinyflow.function"


def setup(threads):
    pass


def w1(x0):
    @tf.function
    def forward_backward(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = chain(x, lambda t: t.tanh()).sum()
        return total, tape.gradient(total, x)

    x = tf.tensor(x0)
    return lambda: forward_backward(x)


def _sgd(loss_fn, params, x, y, lr):
    params = [tf.Variable(p) for p in params]

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            value = loss_fn(params, xb, yb)
        for p, g in zip(params, tape.gradient(value, params)):
            p.assign_sub(lr * g)
        return value

    x, y = tf.tensor(x), tf.tensor(y)
    return lambda: train_step(x, y), lambda: [p.detach().numpy().copy() for p in params]


def mlp(params, x, y, lr):
    return _sgd(loss, params, x, y, lr)


def cnn(params, x, y, lr):
    return _sgd(cnn_loss, params, x, y, lr)
