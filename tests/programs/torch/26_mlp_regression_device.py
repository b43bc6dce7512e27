# compare: trend
# A regression MLP in the everyday modern style: data drawn with torch's own generator
# (torch.rand, torch.randn, torch.normal), moved .to(device), a DataLoader, Adam with
# weight decay, a StepLR schedule, Huber loss, and an evaluation under inference_mode.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2024)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

n = 512
X = torch.rand(n, 3) * 4 - 2
noise = torch.normal(0.0, 0.05, size=(n, 1))
y = (torch.sin(X[:, :1]) * X[:, 1:2] + 0.3 * X[:, 2:] ** 2 + noise)
X_val = torch.randn(128, 3).clamp(-2, 2)
y_val = torch.sin(X_val[:, :1]) * X_val[:, 1:2] + 0.3 * X_val[:, 2:] ** 2

train_loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)

model = nn.Sequential(
    nn.Linear(3, 64), nn.ReLU(),
    nn.Linear(64, 64), nn.ReLU(),
    nn.Linear(64, 1),
).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)

epoch_losses, val_losses, lrs = [], [], []
for epoch in range(25):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        pred = model(xb)
        loss = F.huber_loss(pred, yb, delta=1.0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * len(xb)
    scheduler.step()
    lrs.append(optimizer.param_groups[0]["lr"])
    epoch_losses.append(running / n)

    model.eval()
    with torch.inference_mode():
        val_losses.append(F.mse_loss(model(X_val.to(device)), y_val.to(device)).item())
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1:3d} | train {epoch_losses[-1]:.4f} | val {val_losses[-1]:.4f} | "
              f"lr {lrs[-1]:.5f}")

with torch.inference_mode():
    sample = model(X_val[:4].to(device)).cpu()

RESULTS = {
    "epoch_losses": epoch_losses,
    "val_losses": val_losses,
    "lrs": lrs,
    "X_dtype": str(X.dtype),
    "noise_shape": list(noise.shape),
    "sample_shape": list(sample.shape),
    "sample_requires_grad": sample.requires_grad,
    "n_batches": len(train_loader),
    "n_params": sum(p.numel() for p in model.parameters()),
}
COMPARE = {"lrs": "exact"}
