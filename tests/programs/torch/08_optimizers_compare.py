# compare: exact float64
# One small regression network, trained from the same starting weights with each of
# torch.optim's classic optimizers; the loss histories side by side.
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

rng = np.random.default_rng(5)
X = torch.tensor(rng.uniform(-1, 1, (64, 2)))
Y = torch.sin(2 * X[:, :1]) * torch.cos(X[:, 1:])      # (64, 1)
print("data:", X.shape, Y.shape, X.dtype)

init = {
    "0.weight": rng.normal(0, 0.5, (16, 2)), "0.bias": np.zeros(16),
    "2.weight": rng.normal(0, 0.5, (1, 16)), "2.bias": np.zeros(1),
}


def make_model():
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1)).double()
    model.load_state_dict({k: torch.tensor(v) for k, v in init.items()})
    return model


optimizers = {
    "SGD": lambda p: optim.SGD(p, lr=0.1),
    "SGD_momentum": lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    "SGD_nesterov": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "SGD_weight_decay": lambda p: optim.SGD(p, lr=0.1, weight_decay=1e-2),
    "Adam": lambda p: optim.Adam(p, lr=0.01),
    "AdamW": lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.01),
    "RMSprop_momentum": lambda p: optim.RMSprop(p, lr=0.002, alpha=0.9, momentum=0.5, centered=True),
    "Adagrad": lambda p: optim.Adagrad(p, lr=0.1),
    "Adadelta": lambda p: optim.Adadelta(p, lr=1.0),
}

loss_fn = nn.MSELoss()
histories = {}
defaults = {}
for name, make in optimizers.items():
    model = make_model()
    optimizer = make(model.parameters())
    history = []
    for step in range(60):
        optimizer.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    histories[name] = history[::6] + [history[-1]]
    group = optimizer.param_groups[0]
    defaults[name] = {"lr": group["lr"], "n_params": len(group["params"]),
                      "class": type(optimizer).__name__}
    print(f"{name:>18}: {history[0]:.5f} -> {history[-1]:.5f}")

adam = optim.Adam(make_model().parameters())
RESULTS = {
    "histories": histories,
    "groups": defaults,
    "adam_defaults": {k: adam.defaults[k] for k in ("lr", "betas", "eps", "weight_decay", "amsgrad")},
    "sgd_default_momentum": optim.SGD(make_model().parameters(), lr=0.1).defaults["momentum"],
    "rmsprop_default_alpha": optim.RMSprop(make_model().parameters()).defaults["alpha"],
    "state_dict_keys": sorted(adam.state_dict().keys()),
}
