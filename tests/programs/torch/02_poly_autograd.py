# compare: exact float64
# The same cubic fit, with autograd: the coefficients require gradients, loss.backward()
# fills their .grad, and the update runs under torch.no_grad().
import numpy as np
import torch

dtype = torch.double
x = torch.linspace(-2.0, 2.0, 400, dtype=dtype)
y = torch.sin(x) + 0.5 * torch.cos(2 * x)

init = np.random.default_rng(1).standard_normal(4)
a = torch.tensor(init[0], dtype=dtype, requires_grad=True)
b = torch.tensor(init[1], dtype=dtype, requires_grad=True)
c = torch.tensor(init[2], dtype=dtype, requires_grad=True)
d = torch.tensor(init[3], dtype=dtype, requires_grad=True)

print("a is a leaf:", a.is_leaf, "requires grad:", a.requires_grad)

lr = 2e-5
losses = []
for t in range(1200):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 0:
        print(f"step {t:4d}  loss {loss.item():.4f}")
    losses.append(loss.item())

    loss.backward()

    with torch.no_grad():
        a -= lr * a.grad
        b -= lr * b.grad
        c -= lr * c.grad
        d -= lr * d.grad

        # gradients add up: clear them for the next step
        a.grad.zero_()
        b.grad.zero_()
        c.grad = None
        d.grad = None

print(f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3")

final = a + b * x + c * x ** 2 + d * x ** 3
with torch.no_grad():
    detached = final * 2

RESULTS = {
    "losses": losses[::50] + [losses[-1]],
    "coefficients": [a.item(), b.item(), c.item(), d.item()],
    "a_is_leaf": a.is_leaf,
    "final_requires_grad": final.requires_grad,
    "final_is_leaf": final.is_leaf,
    "final_has_grad_fn": final.grad_fn is not None,
    "detached_requires_grad": detached.requires_grad,
    "a_grad_after_zero": a.grad.item(),
    "c_grad_is_none": c.grad is None,
    "loss_type": type(loss.item()).__name__,
    "formatted": f"{loss.item():.4f}",
}
