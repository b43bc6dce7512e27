# compare: exact float64
# A ReLU of our own as a torch.autograd.Function: forward saves its input with
# ctx.save_for_backward, backward reads it back from ctx.saved_tensors.
import numpy as np
import torch


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


dtype = torch.float64
N, D_in, H, D_out = 32, 10, 20, 3

rng = np.random.default_rng(4)
x = torch.tensor(rng.standard_normal((N, D_in)), dtype=dtype)
y = torch.tensor(rng.standard_normal((N, D_out)), dtype=dtype)
w1 = torch.tensor(rng.standard_normal((D_in, H)) * 0.3, dtype=dtype, requires_grad=True)
w2 = torch.tensor(rng.standard_normal((H, D_out)) * 0.3, dtype=dtype, requires_grad=True)

# the custom function's gradients agree with the built-in relu's
relu = MyReLU.apply
h = relu(x.mm(w1))
h.sum().backward()
g_custom = w1.grad.clone()
w1.grad = None
torch.relu(x.mm(w1)).sum().backward()
g_builtin = w1.grad.clone()
w1.grad = None
print("custom vs builtin gradient:", (g_custom - g_builtin).abs().max().item())

out = relu(x.mm(w1))
print("output of MyReLU:", type(out).__name__, out.grad_fn is not None)

learning_rate = 1e-3
losses = []
for t in range(200):
    y_pred = relu(x.mm(w1)).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
print("final loss", losses[-1])

# gradcheck on points away from the kink
xc = torch.tensor(rng.uniform(0.1, 1.0, (4, 3)) * rng.choice([-1.0, 1.0], (4, 3)),
                  dtype=dtype, requires_grad=True)
ok = torch.autograd.gradcheck(MyReLU.apply, (xc,), eps=1e-6, atol=1e-4)
print("gradcheck:", ok)

RESULTS = {
    "same_grad_as_builtin": bool(torch.equal(g_custom, g_builtin)),
    "grad_sum": g_custom.sum().item(),
    "out_has_grad_fn": out.grad_fn is not None,
    "losses": losses[::10] + [losses[-1]],
    "w2_sum": w2.sum().item(),
    "gradcheck": ok,
    "dtype": str(out.dtype),
}
