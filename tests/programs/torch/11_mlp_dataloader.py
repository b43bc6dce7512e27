# compare: trend
# An MLP classifier on three interleaved spirals (made with numpy), fed by TensorDataset and
# a shuffling DataLoader; default (random) initialization, Adam, CrossEntropyLoss;
# accuracy with torch.max(outputs, 1) and (predicted == labels).sum().item().
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def spirals(n_per_class, n_classes, rng):
    xs, ys = [], []
    for c in range(n_classes):
        r = np.linspace(0.05, 1.0, n_per_class)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class) + rng.normal(0, 0.15, n_per_class)
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)])
        ys.append(np.full(n_per_class, c))
    return np.vstack(xs).astype(np.float32), np.concatenate(ys).astype(np.int64)


X, y = spirals(100, 3, np.random.default_rng(0))
dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
loader = DataLoader(dataset, batch_size=32, shuffle=True, num_workers=0)
print(f"{len(dataset)} samples, {len(loader)} batches per epoch")


class MLP(nn.Module):
    def __init__(self, in_features=2, hidden=64, n_classes=3):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


model = MLP().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

epoch_losses = []
first_batch = None
for epoch in range(40):
    model.train()
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(loader):
        inputs, labels = inputs.to(device), labels.to(device)
        if first_batch is None:
            first_batch = (inputs, labels)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
    epoch_losses.append(running_loss / len(dataset))
    if epoch % 10 == 9:
        print(f"[epoch {epoch + 1}] loss: {epoch_losses[-1]:.3f}")

model.eval()
correct = 0
total = 0
with torch.no_grad():
    for inputs, labels in DataLoader(dataset, batch_size=100):
        outputs = model(inputs.to(device))
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels.to(device)).sum().item()
print(f"Accuracy of the network on the {total} training points: {100 * correct // total} %")

xb, yb = first_batch
RESULTS = {
    "epoch_losses": epoch_losses,
    "accuracy": correct / total,
    "total": total,
    "n_batches": len(loader),
    "last_batch_size": len(dataset) % 32,
    "batch_x_shape": list(xb.shape),
    "batch_x_dtype": str(xb.dtype),
    "batch_y_dtype": str(yb.dtype),
    "outputs_shape": list(outputs.shape),
    "predicted_dtype": str(predicted.dtype),
    "correct_type": type(correct).__name__,
    "dataset_item_types": [type(t).__name__ for t in dataset[0]],
    "dataset_item_shapes": [list(t.shape) for t in dataset[0]],
}
