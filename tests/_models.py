"""Models and references that several test files share."""
import numpy as np

import tinyflow as tf
import tinyflow.nn as nn


def mlp():
    """The lessons' digits MLP, 64-128-10."""
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def graph_mlp(hidden, optimizer):
    """The digits MLP as a TensorFlow 1 graph in a fresh default graph, 64-hidden-10:
    (x, labels, logits, loss, train_op)."""
    import tinyflow.compat.v1 as v1
    v1.reset_default_graph()
    v1.set_random_seed(0)
    x = v1.placeholder(v1.float32, [None, 64], name="x")
    labels = v1.placeholder(v1.int64, [None], name="labels")
    h = v1.layers.dense(x, hidden, activation=v1.nn.relu, name="fc1")
    logits = v1.layers.dense(h, 10, name="fc2")
    loss = v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    return x, labels, logits, loss, optimizer.minimize(loss)


def cnn():
    """The lessons' small digits CNN, for (N, 1, 8, 8) inputs."""
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 2 * 2, 10))


def data(*shape, dtype=np.float32, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def eager(model, *xs):
    """The model's output in eval mode, without recording, as numpy."""
    model.eval()
    with tf.no_grad():
        return model(*[tf.tensor(x) for x in xs]).numpy()


def conv2d_reference(x, w, stride, pad):
    """2-D cross-correlation written the slow, obvious way (no bias)."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=((1, 2, 3), (1, 2, 3)))
    return out
