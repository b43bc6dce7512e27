# compare: exact
# A custom Dataset (__len__ / __getitem__) returning tensors, Python numbers and dicts;
# what DataLoader's default collate makes of them; then a linear model trained on it
# without shuffling.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Points(Dataset):
    """Points in the plane, labelled by which side of a line they fall."""

    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.xy = rng.uniform(-1, 1, (n, 2)).astype(np.float32)
        self.labels = (self.xy[:, 0] + 2 * self.xy[:, 1] > 0.2).astype(np.int64)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        features = torch.tensor(self.xy[idx])
        return features, int(self.labels[idx])


class Records(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": torch.full((3,), float(i)), "index": i, "weight": 0.5 * i,
                "name": f"item{i}"}


train = Points(90, seed=1)
print("dataset length:", len(train), "first item:", train[0])

loader = DataLoader(train, batch_size=16, shuffle=False)
features, labels = next(iter(loader))
print("batch:", features.shape, labels.shape, labels.dtype)
sizes = [len(lbl) for _, lbl in loader]

records = DataLoader(Records(10), batch_size=4)
batch = next(iter(records))
print("dict batch:", {k: (type(v).__name__) for k, v in batch.items()})
last = list(records)[-1]

drop = DataLoader(Records(10), batch_size=4, drop_last=True)

model = nn.Linear(2, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.2, -0.1], [-0.3, 0.4]]))
    model.bias.copy_(torch.tensor([0.05, -0.05]))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
epoch_losses = []
for epoch in range(15):
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(yb)
    epoch_losses.append(total / len(train))
print("epoch losses:", [round(v, 4) for v in epoch_losses])

with torch.no_grad():
    all_x = torch.stack([train[i][0] for i in range(len(train))])
    all_y = torch.tensor([train[i][1] for i in range(len(train))])
    accuracy = (model(all_x).argmax(dim=1) == all_y).float().mean().item()

RESULTS = {
    "len": len(train),
    "n_batches": len(loader),
    "batch_sizes": sizes,
    "features_shape": list(features.shape),
    "features_dtype": str(features.dtype),
    "labels_shape": list(labels.shape),
    "labels_dtype": str(labels.dtype),
    "labels_first": labels[:8].tolist(),
    "dict_keys": sorted(batch.keys()),
    "dict_x_shape": list(batch["x"].shape),
    "dict_index": batch["index"].tolist(),
    "dict_index_dtype": str(batch["index"].dtype),
    "dict_weight_dtype": str(batch["weight"].dtype),
    "dict_weight": batch["weight"].tolist(),
    "dict_name": batch["name"],
    "last_dict_index": last["index"].tolist(),
    "drop_last_batches": len(drop),
    "epoch_losses": epoch_losses,
    "accuracy": accuracy,
    "stacked_dtype": str(all_y.dtype),
}
