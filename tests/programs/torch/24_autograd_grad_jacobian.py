# compare: exact float64
# Gradients beyond .backward(): torch.autograd.grad (create_graph for a second derivative,
# grad_outputs, allow_unused), torch.autograd.functional.jacobian and hessian, backward
# with a gradient argument, retain_graph, and gradients accumulating in .grad.
import torch
from torch.autograd.functional import hessian, jacobian

x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)

y = (x ** 3).sum()
(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)
(d2,) = torch.autograd.grad(dy_dx.sum(), x)
print("first:", dy_dx, "second:", d2)

u = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
v = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
unused = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
f = u ** 2 * v + torch.sin(u * v)
gu, gv, gn = torch.autograd.grad(f, (u, v, unused), allow_unused=True)

z = x * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
(vjp,) = torch.autograd.grad(z, x, grad_outputs=torch.tensor([1.0, 0.5, 0.25], dtype=torch.float64))


def f_vec(t):
    return torch.stack([t[0] * t[1], torch.exp(t[2]) - t[0], t.pow(2).sum()])


def f_scalar(t):
    return (t[0] ** 2) * t[1] + torch.cos(t[2]) * t[0]


point = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
J = jacobian(f_vec, point)
H = hessian(f_scalar, point)
J_linear = jacobian(lambda a: a @ torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64), point)

# backward on a non-scalar needs the gradient argument
x.grad = None
out = x * 2
out.backward(torch.ones_like(out))
g_once = x.grad.clone()

# retain_graph lets us go through the same graph twice; .grad accumulates
x.grad = None
s = (x * x).sum()
s.backward(retain_graph=True)
s.backward()
g_twice = x.grad.clone()

try:
    (x * 2).backward()
    nonscalar_error = None
except RuntimeError as e:
    nonscalar_error = type(e).__name__

RESULTS = {
    "first": dy_dx.tolist(),
    "first_requires_grad": dy_dx.requires_grad,
    "second": d2.tolist(),
    "gu": gu.item(),
    "gv": gv.item(),
    "unused_is_none": gn is None,
    "vjp": vjp.tolist(),
    "J": J.tolist(),
    "J_shape": list(J.shape),
    "H": H.tolist(),
    "J_linear": J_linear.tolist(),
    "g_once": g_once.tolist(),
    "g_twice": g_twice.tolist(),
    "nonscalar_error": nonscalar_error,
    "grad_type": type(dy_dx).__name__,
}
