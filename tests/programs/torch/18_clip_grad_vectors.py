# compare: exact float64
# Gradient clipping (clip_grad_norm_, clip_grad_value_) in a training loop that would
# otherwise blow up, and flattening parameters to one vector and back
# (parameters_to_vector / vector_to_parameters).
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

rng = np.random.default_rng(9)
X = torch.tensor(rng.normal(0, 3, (40, 3)))
y = torch.tensor(rng.normal(0, 10, (40, 1)))

model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).to(torch.float64)
vec0 = torch.tensor(rng.normal(0, 0.5, parameters_to_vector(model.parameters()).numel()))
vector_to_parameters(vec0, model.parameters())
print("number of parameters:", vec0.numel())

optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
criterion = nn.MSELoss()
losses, norms, clipped_norms = [], [], []
for step in range(30):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    norms.append(total_norm.item())
    clipped = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters()))
    clipped_norms.append(clipped.item())
    optimizer.step()
    losses.append(loss.item())
print("gradient norms before clipping:", [f"{n:.2f}" for n in norms[:5]])

# clip by value
optimizer.zero_grad()
criterion(model(X), y).backward()
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.1)
max_abs = max(p.grad.abs().max().item() for p in model.parameters())

# an infinity norm, and norm_type as a float
optimizer.zero_grad()
criterion(model(X), y).backward()
inf_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=100.0, norm_type=float("inf"))

vec = parameters_to_vector(model.parameters())
vec2 = vec * 0.5
vector_to_parameters(vec2, model.parameters())

RESULTS = {
    "n_params": vec0.numel(),
    "losses": losses[::3] + [losses[-1]],
    "norms": norms[::3],
    "clipped_norms": clipped_norms[::3],
    "total_norm_dtype": str(total_norm.dtype),
    "total_norm_is_tensor": isinstance(total_norm, torch.Tensor),
    "max_abs_after_clip_value": max_abs,
    "inf_norm": inf_norm.item(),
    "vec_shape": list(vec.shape),
    "vec_requires_grad": vec.requires_grad,
    "first_weight_after_halving": model[0].weight[0].tolist(),
    "vec_sum": vec.sum().item(),
}
