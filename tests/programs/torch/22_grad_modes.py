# compare: exact
# When autograd records and when it does not: torch.no_grad (as a context and as a
# decorator), torch.inference_mode, torch.set_grad_enabled (context and call),
# torch.enable_grad, detach, requires_grad_, and the errors of asking for a gradient
# that cannot exist.
import torch

torch.manual_seed(0)
w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
x = torch.tensor([0.5, 0.25, -1.0])

y = (w * x).sum()
print("recorded:", y.requires_grad, y.grad_fn is not None)

with torch.no_grad():
    y_ng = (w * x).sum()
print("under no_grad:", y_ng.requires_grad)


@torch.no_grad()
def evaluate(v):
    return (w * v).sum()


y_dec = evaluate(x)

with torch.inference_mode():
    y_inf = (w * x).sum() * 2
print("inference mode:", y_inf.requires_grad)

with torch.set_grad_enabled(False):
    y_off = w * 2
    with torch.enable_grad():
        y_on_inside = w * 2
is_training = True
with torch.set_grad_enabled(is_training):
    y_on = w * 3

torch.set_grad_enabled(False)
y_global_off = w * 4
enabled_while_off = torch.is_grad_enabled()
torch.set_grad_enabled(True)
enabled_after = torch.is_grad_enabled()

d = (w * 2).detach()
z = torch.ones(3)
z.requires_grad_()
(z * w).sum().backward()

errors = {}
try:
    x.sum().backward()
except RuntimeError as e:
    errors["backward_without_grad"] = type(e).__name__
try:
    y_ng.backward()
except RuntimeError as e:
    errors["backward_under_no_grad"] = type(e).__name__
try:
    with torch.no_grad():
        pass
    torch.tensor([1, 2, 3]).requires_grad_()
except RuntimeError as e:
    errors["int_requires_grad"] = type(e).__name__
try:
    w2 = torch.tensor([1.0, 2.0], requires_grad=True)
    w2 += 1
except RuntimeError as e:
    errors["leaf_inplace"] = type(e).__name__
try:
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    out = (v * v).sum()
    out.backward()
    out.backward()
except RuntimeError as e:
    errors["backward_twice"] = type(e).__name__

RESULTS = {
    "y_requires_grad": y.requires_grad,
    "no_grad": y_ng.requires_grad,
    "decorated": y_dec.requires_grad,
    "decorated_value": y_dec.item(),
    "inference": y_inf.requires_grad,
    "inference_value": y_inf.item(),
    "set_grad_off": y_off.requires_grad,
    "enable_grad_inside": y_on_inside.requires_grad,
    "set_grad_on": y_on.requires_grad,
    "global_off": y_global_off.requires_grad,
    "enabled_while_off": enabled_while_off,
    "enabled_after": enabled_after,
    "detached": d.requires_grad,
    "detached_is_leaf": d.is_leaf,
    "z_grad": z.grad.tolist(),
    "w_grad": w.grad.tolist(),
    "errors": errors,
}
