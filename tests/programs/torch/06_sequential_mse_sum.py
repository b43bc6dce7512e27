# compare: exact
# nn.Sequential on polynomial features: x -> (x, x^2, x^3) -> Linear(3, 1) -> Flatten(0, 1),
# trained with nn.MSELoss(reduction='sum') and a hand-written update over model.parameters().
import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 1000)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print("features:", tuple(xx.shape), xx.dtype)

model = nn.Sequential(
    nn.Linear(3, 1),
    nn.Flatten(0, 1),
)
print(model)

# start from fixed weights rather than the random initialization
w0 = np.array([[0.5, -0.2, 0.1]], dtype=np.float32)
with torch.no_grad():
    model[0].weight.copy_(torch.from_numpy(w0))
    model[0].bias.fill_(0.1)

loss_fn = nn.MSELoss(reduction="sum")

learning_rate = 1e-6
losses = []
for t in range(400):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())
    losses.append(loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
print(f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
      f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3")

RESULTS = {
    "p_dtype": str(p.dtype),
    "xx_shape": list(xx.shape),
    "xx_dtype": str(xx.dtype),
    "y_pred_shape": list(y_pred.shape),
    "losses": losses[::25] + [losses[-1]],
    "weight": linear_layer.weight.detach().flatten().tolist(),
    "bias": linear_layer.bias.item(),
    "model_repr": repr(model),
    "n_params": len(list(model.parameters())),
    "param_names": [name for name, _ in model.named_parameters()],
    "len_model": len(model),
    "weight_shape": list(model[0].weight.shape),
    "loss_repr_reduction": loss_fn.reduction,
}
