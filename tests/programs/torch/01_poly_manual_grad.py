# compare: exact float64
# Fit y = exp(x) on [-1, 1] with a cubic a + b x + c x^2 + d x^3, using tensors the way
# one would use numpy arrays: forward pass, loss, and the gradients written out by hand.
import math

import numpy as np
import torch

dtype = torch.float64
device = torch.device("cpu")

x = torch.linspace(-1, 1, 500, device=device, dtype=dtype)
y = torch.exp(x)

# starting coefficients: drawn with numpy so every framework starts from the same point
rng = np.random.default_rng(7)
start = rng.standard_normal(4)
a = torch.tensor(start[0], device=device, dtype=dtype)
b = torch.tensor(start[1], device=device, dtype=dtype)
c = torch.tensor(start[2], device=device, dtype=dtype)
d = torch.tensor(start[3], device=device, dtype=dtype)

learning_rate = 1e-3
history = []
for t in range(1500):
    # forward pass: predict y
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    # squared error, summed
    loss = (y_pred - y).pow(2).sum().item()
    if t % 100 == 99:
        print(t, loss)
        history.append(loss)

    # backward pass, by hand
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()

    # gradient descent step
    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

# the Taylor series says roughly 1 + x + x^2/2 + x^3/6
max_err = (a + b * x + c * x ** 2 + d * x ** 3 - y).abs().max().item()

RESULTS = {
    "history": history,
    "coefficients": [a.item(), b.item(), c.item(), d.item()],
    "max_err": max_err,
    "x_shape": list(x.shape),
    "x_dtype": str(x.dtype),
    "a_dtype": str(a.dtype),
    "a_dim": a.dim(),
    "close_to_taylor": bool(abs(b.item() - 1.0) < 0.1 and abs(a.item() - 1.0) < 0.1),
    "e": math.e,
}
