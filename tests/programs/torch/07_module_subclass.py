# compare: exact float64
# nn.Module subclasses: a two-layer net, and a "dynamic" net that reuses its middle layer
# a varying number of times (chosen with Python's random module, seeded). Weights are
# loaded from numpy through load_state_dict; training with optim.SGD.
import random

import numpy as np
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = nn.Linear(D_in, H)
        self.linear2 = nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        return self.linear2(h_relu)


class DynamicNet(nn.Module):
    def __init__(self, D_in, H, D_out, rnd):
        super(DynamicNet, self).__init__()
        self.input_linear = nn.Linear(D_in, H)
        self.middle_linear = nn.Linear(H, H)
        self.output_linear = nn.Linear(H, D_out)
        self.rnd = rnd

    def forward(self, x):
        h = self.input_linear(x).clamp(min=0)
        for _ in range(self.rnd.randint(0, 2)):
            h = self.middle_linear(h).clamp(min=0)
        return self.output_linear(h)


N, D_in, H, D_out = 16, 8, 12, 2
rng = np.random.default_rng(11)
x = torch.from_numpy(rng.standard_normal((N, D_in)))
y = torch.from_numpy(rng.standard_normal((N, D_out)))


def numpy_state(model):
    """Same shapes and names as model.state_dict(), values drawn with numpy."""
    return {name: torch.from_numpy(rng.uniform(-0.3, 0.3, tuple(t.shape)))
            for name, t in model.state_dict().items()}


results = {}
for kind in ("two_layer", "dynamic"):
    if kind == "two_layer":
        model = TwoLayerNet(D_in, H, D_out)
    else:
        model = DynamicNet(D_in, H, D_out, random.Random(0))
    model = model.double()
    model.load_state_dict(numpy_state(model))
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.5 if kind == "dynamic" else 0)
    losses = []
    for t in range(150):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(kind, "loss", losses[0], "->", losses[-1])
    results[kind] = {
        "losses": losses[::10] + [losses[-1]],
        "state_keys": list(model.state_dict().keys()),
        "param_names": [n for n, _ in model.named_parameters()],
        "param_shapes": [list(p.shape) for p in model.parameters()],
        "n_weights": sum(p.numel() for p in model.parameters()),
        "children": [name for name, _ in model.named_children()],
        "dtype": str(next(model.parameters()).dtype),
        "weight_requires_grad": list(model.parameters())[0].requires_grad,
    }

print(model)
RESULTS = {**results, "repr_first_line": repr(model).splitlines()[0],
           "is_module": isinstance(model, nn.Module),
           "training": model.training}
