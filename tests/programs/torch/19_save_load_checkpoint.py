# compare: exact
# Saving and loading: state_dict to a file with torch.save / torch.load, into a fresh model
# (load_state_dict and its result), a checkpoint dict with the optimizer's state and the
# epoch, resuming training from it, and saving plain tensors; all in a temporary folder.
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 6)
        self.out = nn.Linear(6, 1)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


rng = np.random.default_rng(13)
X = torch.tensor(rng.normal(0, 1, (32, 4)), dtype=torch.float32)
y = torch.tensor(rng.normal(0, 1, (32, 1)), dtype=torch.float32)
start = {k: torch.tensor(rng.normal(0, 0.5, tuple(v.shape)), dtype=torch.float32)
         for k, v in Regressor().state_dict().items()}


def train(model, optimizer, steps):
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


model = Regressor()
model.load_state_dict(start)
optimizer = optim.Adam(model.parameters(), lr=0.01)
first_losses = train(model, optimizer, 20)

tmp = tempfile.TemporaryDirectory()
weights_path = os.path.join(tmp.name, "model_weights.pth")
torch.save(model.state_dict(), weights_path)

model2 = Regressor()
result = model2.load_state_dict(torch.load(weights_path))
model2.eval()
with torch.no_grad():
    same = torch.equal(model(X), model2(X))
print("reloaded model gives the same outputs:", same)

# a full checkpoint
ckpt_path = os.path.join(tmp.name, "checkpoint.tar")
torch.save({
    "epoch": 20,
    "model_state_dict": model.state_dict(),
    "optimizer_state_dict": optimizer.state_dict(),
    "loss": first_losses[-1],
}, ckpt_path)

# keep training the original ...
continued = train(model, optimizer, 10)

# ... and resume a new one from the checkpoint: both must follow the same path
checkpoint = torch.load(ckpt_path)
resumed_model = Regressor()
resumed_opt = optim.Adam(resumed_model.parameters(), lr=0.01)
resumed_model.load_state_dict(checkpoint["model_state_dict"])
resumed_opt.load_state_dict(checkpoint["optimizer_state_dict"])
epoch, saved_loss = checkpoint["epoch"], checkpoint["loss"]
resumed_model.train()
resumed = train(resumed_model, resumed_opt, 10)
print("continued:", continued[-1], "resumed:", resumed[-1])

# tensors and containers of tensors
t = torch.arange(6).view(2, 3)
torch.save({"t": t, "list": [torch.ones(2), torch.zeros(1)]}, os.path.join(tmp.name, "t.pt"))
back = torch.load(os.path.join(tmp.name, "t.pt"))

# a state dict with an extra key: strict=False reports it
extra = dict(model.state_dict())
extra["scale"] = torch.ones(1)
report = model2.load_state_dict(extra, strict=False)
try:
    model2.load_state_dict(extra)
    strict_error = None
except RuntimeError as e:
    strict_error = type(e).__name__

sd = model.state_dict()
opt_sd = optimizer.state_dict()
tmp.cleanup()

RESULTS = {
    "first_losses": first_losses,
    "same_after_reload": same,
    "load_result_missing": list(result.missing_keys),
    "load_result_unexpected": list(result.unexpected_keys),
    "load_result_repr": repr(result),
    "continued": continued,
    "resumed": resumed,
    "epoch": epoch,
    "saved_loss": saved_loss,
    "saved_loss_type": type(saved_loss).__name__,
    "state_keys": list(sd.keys()),
    "state_type": type(sd).__name__,
    "state_value_type": type(sd["hidden.weight"]).__name__,
    "state_requires_grad": sd["hidden.weight"].requires_grad,
    "optimizer_state_keys": sorted(opt_sd.keys()),
    "optimizer_param_ids": opt_sd["param_groups"][0]["params"],
    "optimizer_state_entries": sorted(opt_sd["state"][0].keys()),
    "adam_step": float(opt_sd["state"][0]["step"]),
    "loaded_tensor": back["t"].tolist(),
    "loaded_dtype": str(back["t"].dtype),
    "loaded_list_len": len(back["list"]),
    "strict_false_unexpected": list(report.unexpected_keys),
    "strict_error": strict_error,
    "mode_after_eval": model2.training,
}
