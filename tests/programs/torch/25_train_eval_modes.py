# compare: exact
# What model.train() and model.eval() change: Dropout zeroes and rescales only in training
# (the fraction zeroed is compared loosely, it depends on the random generator),
# BatchNorm1d uses batch statistics then running ones; the .training flags of submodules.
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(3)
rng = np.random.default_rng(16)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)
        self.bn = nn.BatchNorm1d(6, momentum=0.2)
        self.drop = nn.Dropout(p=0.25)

    def forward(self, x):
        return self.drop(torch.relu(self.bn(self.fc(x))))


model = nn.Sequential(Block(), nn.Linear(6, 2))
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.normal(0, 0.5, tuple(p.shape)), dtype=torch.float32))

x = torch.tensor(rng.normal(1.0, 2.0, (64, 6)), dtype=torch.float32)

flags_default = [m.training for m in model.modules()]
model.eval()
flags_eval = [m.training for m in model.modules()]
with torch.no_grad():
    out_eval_1 = model(x)
    out_eval_2 = model(x)
block = model[0]
print("running mean untouched in eval:", block.bn.running_mean.abs().sum().item())

model.train()
flags_train = [m.training for m in model.modules()]
with torch.no_grad():
    h = torch.relu(block.bn(block.fc(x)))       # one batch-statistics pass
    dropped = block.drop(torch.ones(200, 50))
zero_fraction = (dropped == 0).float().mean().item()
kept_values = dropped[dropped != 0].unique().tolist()

# the batch-normalized activations have (about) zero mean and unit variance per feature
z = block.bn(block.fc(x))
batch_mean = z.mean(dim=0).abs().max().item()
batch_var = z.var(dim=0, unbiased=False).mean().item()

model.eval()
with torch.no_grad():
    out_eval_3 = model(x)
model.train(False)
still_eval = model.training

fc_out = block.fc(x).detach()
# two training passes over the same batch, from a running mean of zero, at momentum 0.2
running_mean_expected = (1 - 0.8 ** 2) * fc_out.mean(0)

RESULTS = {
    "flags_default": flags_default,
    "flags_eval": flags_eval,
    "flags_train": flags_train,
    "still_eval_after_train_false": still_eval,
    "eval_deterministic": torch.equal(out_eval_1, out_eval_2),
    "eval_first_row": out_eval_1[0].tolist(),
    "eval_after_training_row": out_eval_3[0].tolist(),
    "zero_fraction": zero_fraction,
    "kept_values": kept_values,
    "batch_mean_small": batch_mean < 1e-5,
    "batch_var": batch_var,
    "running_mean": block.bn.running_mean.tolist(),
    "running_mean_formula": running_mean_expected.tolist(),
    "running_var": block.bn.running_var.tolist(),
    "tracked": block.bn.num_batches_tracked.item(),
    "h_shape": list(h.shape),
    "dropout_repr": repr(block.drop),
    "bn_repr": repr(block.bn),
}
COMPARE = {"zero_fraction": "abs:0.02", "batch_var": "close:rtol=1e-4"}
