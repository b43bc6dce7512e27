# compare: exact float64
# A custom autograd Function for the Legendre polynomial P3(z) = (5 z^3 - 3 z) / 2, used
# inside a model y = a + b * P3(c + d * x) fitted to a sine; scalars made with torch.full.
import math

import torch


class LegendreP3(torch.autograd.Function):
    """P3 and its derivative P3'(z) = 1.5 (5 z^2 - 1)."""

    @staticmethod
    def forward(ctx, z):
        ctx.save_for_backward(z)
        return 0.5 * (5 * z ** 3 - 3 * z)

    @staticmethod
    def backward(ctx, grad_output):
        z, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * z ** 2 - 1)


dtype = torch.float64
x = torch.linspace(-math.pi, math.pi, 300, dtype=dtype)
y = torch.sin(x)

a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)

P3 = LegendreP3.apply
lr = 5e-6
losses = []
for step in range(1000):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if step % 100 == 99:
        print(step, f"{loss.item():.6f}")
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= lr * p.grad
            p.grad = None

print(f"y = {a.item():.4f} + {b.item():.4f} * P3({c.item():.4f} + {d.item():.4f} x)")

z = torch.tensor([0.3, -0.7, 1.2], dtype=dtype, requires_grad=True)
passed = torch.autograd.gradcheck(LegendreP3.apply, (z,))

RESULTS = {
    "losses": losses[::50] + [losses[-1]],
    "params": [a.item(), b.item(), c.item(), d.item()],
    "scalar_shape": list(a.shape),
    "scalar_dim": a.dim(),
    "gradcheck": passed,
    "p3_values": P3(z).tolist(),
    "y_pred_grad_fn": type(y_pred.grad_fn).__name__,
}
