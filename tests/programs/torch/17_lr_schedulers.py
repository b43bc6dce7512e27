# compare: exact float64
# Learning-rate schedulers: the learning rate each one gives epoch by epoch
# (StepLR, ExponentialLR, CosineAnnealingLR, MultiStepLR, LambdaLR, ReduceLROnPlateau),
# and a short training run with StepLR in the usual optimizer.step(); scheduler.step() order.
import numpy as np
import torch
import torch.nn as nn
from torch.optim import SGD, Adam
from torch.optim.lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR, MultiStepLR,
                                      ReduceLROnPlateau, StepLR)


def fresh_optimizer(lr=0.1):
    w = nn.Parameter(torch.zeros(3, dtype=torch.float64))
    return SGD([w], lr=lr)


def schedule(make_scheduler, epochs=12):
    optimizer = fresh_optimizer()
    scheduler = make_scheduler(optimizer)
    lrs = []
    for epoch in range(epochs):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    return lrs, scheduler.get_last_lr()


schedules = {}
last = {}
for name, make in {
    "StepLR": lambda opt: StepLR(opt, step_size=3, gamma=0.5),
    "ExponentialLR": lambda opt: ExponentialLR(opt, gamma=0.9),
    "CosineAnnealingLR": lambda opt: CosineAnnealingLR(opt, T_max=10, eta_min=0.001),
    "MultiStepLR": lambda opt: MultiStepLR(opt, milestones=[3, 7], gamma=0.1),
    "LambdaLR": lambda opt: LambdaLR(opt, lr_lambda=lambda epoch: 1.0 / (1 + epoch)),
}.items():
    schedules[name], last[name] = schedule(make)
    print(f"{name:>18}:", [round(v, 5) for v in schedules[name]])

# ReduceLROnPlateau watches a metric: here a validation loss that stalls
optimizer = fresh_optimizer(lr=1.0)
plateau = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
metrics = [1.0, 0.8, 0.7, 0.71, 0.72, 0.70, 0.69, 0.69, 0.69, 0.69, 0.5, 0.5, 0.5, 0.5]
plateau_lrs = []
for m in metrics:
    optimizer.step()
    plateau.step(m)
    plateau_lrs.append(optimizer.param_groups[0]["lr"])
print("ReduceLROnPlateau:", plateau_lrs)

# training with a scheduler
rng = np.random.default_rng(6)
X = torch.tensor(rng.normal(0, 1, (50, 4)))
y = X @ torch.tensor([[1.0], [-1.0], [0.5], [2.0]], dtype=torch.float64)
model = nn.Linear(4, 1).double()
with torch.no_grad():
    model.weight.zero_()
    model.bias.zero_()
optimizer = Adam(model.parameters(), lr=0.2)
scheduler = StepLR(optimizer, step_size=10, gamma=0.3)
losses, lrs = [], []
for epoch in range(40):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    losses.append(loss.item())
    lrs.append(scheduler.get_last_lr()[0])

RESULTS = {
    "schedules": schedules,
    "last_lr": last,
    "plateau_lrs": plateau_lrs,
    "train_losses": losses[::4] + [losses[-1]],
    "train_lrs": lrs[::5],
    "initial_lr": optimizer.param_groups[0]["initial_lr"],
    "last_epoch": scheduler.last_epoch,
    "state_keys": sorted(k for k in scheduler.state_dict().keys() if not k.startswith("_")),
}
