"""Models and references that several test files share."""
import numpy as np

import tinyflow as tf
import tinyflow.nn as nn


def mlp():
    """The lessons' digits MLP, 64-128-10."""
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


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
