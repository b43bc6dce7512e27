"""The workloads, their sizes, their data, and how a result is checked.

Every framework runs the same math on the same data:

- W1 per-op overhead: x of shape (16,), 200 times ``x = x*1.0001 + 0.001``
  with a tanh after every 10th, then ``sum`` and the gradient of the sum wrt x.
- W2 small MLP step: batch 64, 64-256-256-10, ReLU, softmax cross-entropy with
  integer labels, one SGD step (lr 0.1).
- W3 large MLP step: batch 512, 1024-1024-1024-10, otherwise as W2.
- W4 CNN steps, two models of the same shape: 3x3 convolution (padding 1) with a
  bias, ReLU, 2x2 max pooling, again, then a linear layer to 10 classes; softmax
  cross-entropy, one SGD step (lr 0.1). W4a is lesson 13's CNN (1->16->32 channels,
  1x8x8 images), W4b an MNIST-sized one (1->32->64 channels, 1x28x28 images);
  batch 64 both.
"""
import numpy as np

CHAIN_LENGTH = 200
TANH_EVERY = 10
LR = 0.1

# Framework-visible ops in W1: 200 muls + 200 adds + 20 tanh + 1 sum.
W1_OPS = 2 * CHAIN_LENGTH + CHAIN_LENGTH // TANH_EVERY + 1

FULL = {
    "W1": {"size": 16},
    "W2": {"batch": 64, "sizes": [64, 256, 256, 10]},
    "W3": {"batch": 512, "sizes": [1024, 1024, 1024, 10]},
    "W4a": {"batch": 64, "image": 8, "channels": [1, 16, 32], "classes": 10},
    "W4b": {"batch": 64, "image": 28, "channels": [1, 32, 64], "classes": 10},
}
SMOKE = {
    "W1": {"size": 16},
    "W2": {"batch": 8, "sizes": [8, 16, 16, 10]},
    "W3": {"batch": 16, "sizes": [32, 32, 32, 10]},
    "W4a": {"batch": 4, "image": 8, "channels": [1, 2, 3], "classes": 10},
    "W4b": {"batch": 4, "image": 12, "channels": [1, 3, 2], "classes": 10},
}
CNN = ("W4a", "W4b")

DESCRIPTIONS = {
    "W1": "per-op overhead: (16,) chain of 200 x*1.0001+0.001, tanh every 10th, sum, backward",
    "W2": "small MLP SGD step: batch 64, 64-256-256-10, ReLU, softmax cross-entropy, lr 0.1",
    "W3": "large MLP SGD step: batch 512, 1024-1024-1024-10, ReLU, softmax cross-entropy, lr 0.1",
    "W4a": "lesson 13's CNN SGD step: batch 64, 1x8x8, conv 3x3 1->16, ReLU, max pool 2, "
           "conv 3x3 16->32, ReLU, max pool 2, linear 128->10, softmax cross-entropy, lr 0.1",
    "W4b": "MNIST-sized CNN SGD step: batch 64, 1x28x28, conv 3x3 1->32, ReLU, max pool 2, "
           "conv 3x3 32->64, ReLU, max pool 2, linear 3136->10, softmax cross-entropy, lr 0.1",
}
UNITS = {"W1": "us/op", "W2": "ms/step", "W3": "ms/step", "W4a": "ms/step", "W4b": "ms/step"}

# Largest allowed error, relative to the size of the numpy reference value.
TOLERANCE = {"float64": 1e-9, "float32": 5e-4}


def chain(x, tanh):
    """The W1 forward chain, for any array type with * and +."""
    for i in range(CHAIN_LENGTH):
        x = x * 1.0001 + 0.001
        if i % TANH_EVERY == TANH_EVERY - 1:
            x = tanh(x)
    return x


def w1_data(spec, dtype):
    """The W1 input x."""
    return np.linspace(-1.5, 1.5, spec["size"]).astype(dtype)


def mlp_data(spec, dtype, seed=0):
    """Parameters [W1, b1, W2, b2, ...], a batch x and integer labels y."""
    rng = np.random.default_rng(seed)
    sizes = spec["sizes"]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params.append((rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype))
        params.append((rng.standard_normal(n_out) * 0.1).astype(dtype))
    x = rng.standard_normal((spec["batch"], sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], spec["batch"]).astype(np.int64)
    return params, x, y


def cnn_data(spec, dtype, seed=0):
    """Parameters [K1, b1, K2, b2, W, b] (kernels (out, in, 3, 3), the linear layer's
    W (features, classes) applied as h @ W + b), a batch x (N, 1, H, W), integer labels y."""
    rng = np.random.default_rng(seed)
    c0, c1, c2 = spec["channels"]
    params = []
    for n_in, n_out in ((c0, c1), (c1, c2)):
        params.append(rng.standard_normal((n_out, n_in, 3, 3)) * np.sqrt(2.0 / (9 * n_in)))
        params.append(rng.standard_normal(n_out) * 0.1)
    features = c2 * (spec["image"] // 4) ** 2
    params.append(rng.standard_normal((features, spec["classes"])) * np.sqrt(1.0 / features))
    params.append(rng.standard_normal(spec["classes"]) * 0.1)
    x = rng.standard_normal((spec["batch"], c0, spec["image"], spec["image"]))
    y = rng.integers(0, spec["classes"], spec["batch"]).astype(np.int64)
    return [p.astype(dtype) for p in params], x.astype(dtype), y


def relative_error(got, want):
    """max |got - want| / max |want|, in float64."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        raise ValueError(f"shape {got.shape}, expected {want.shape}")
    scale = max(float(np.max(np.abs(want))), 1e-300)
    return float(np.max(np.abs(got - want))) / scale


def dtype_of(value):
    """The dtype of a framework's array or scalar (torch and tinyflow tensors included)."""
    dt = getattr(value, "dtype", None)
    if dt is not None and not isinstance(dt, np.dtype):
        dt = str(dt).replace("torch.", "").replace("tinyflow.", "")
    return np.dtype(dt) if dt is not None else np.asarray(value).dtype
