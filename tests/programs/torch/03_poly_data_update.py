# compare: exact
# Older-style training loop: parameters in a list, updated through .data, gradients
# cleared with .grad.data.zero_(); numpy data converted with from_numpy and .type().
import numpy as np
import torch

rng = np.random.default_rng(3)
x_np = np.linspace(-1.5, 1.5, 64).reshape(-1, 1)        # float64 from numpy
y_np = 0.8 * x_np ** 3 - x_np + 0.3 + 0.05 * rng.standard_normal(x_np.shape)

x = torch.from_numpy(x_np).type(torch.FloatTensor)
y = torch.from_numpy(y_np).float()
print("x:", x.size(), x.dtype, x.type())

# features 1, x, x^2, x^3
X = torch.cat([x ** k for k in range(4)], dim=1)
print("features:", X.size(0), "rows,", X.size(1), "columns")

w = torch.from_numpy(rng.standard_normal((4, 1)).astype(np.float32))
w.requires_grad_(True)
b = torch.zeros(1, requires_grad=True)
params = [w, b]

lr = 0.05
losses = []
for epoch in range(300):
    pred = X.mm(w) + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    for p in params:
        p.data -= lr * p.grad.data
        p.grad.data.zero_()
    losses.append(loss.item())
    if epoch % 50 == 0:
        print("epoch", epoch, "loss", round(loss.item(), 5))

# one more step with the in-place method spelling
loss = ((X.mm(w) + b - y) ** 2).mean()
loss.backward()
for p in params:
    p.data.add_(p.grad.data, alpha=-lr)
    p.grad.data.zero_()

RESULTS = {
    "losses": losses[::20] + [losses[-1]],
    "last_loss": loss.item(),
    "w": w.detach().view(-1).tolist(),
    "b": b.item(),
    "x_type": x.type(),
    "x_np_dtype": str(torch.from_numpy(x_np).dtype),
    "x_dtype": str(x.dtype),
    "X_size": list(X.size()),
    "size0": X.size(0),
    "size_minus1": X.size(-1),
    "grad_after_zero": w.grad.abs().sum().item(),
    "w_requires_grad": w.requires_grad,
    "data_requires_grad": w.data.requires_grad,
}
