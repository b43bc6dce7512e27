# compare: exact
# Binary logistic regression on two Gaussian blobs: a model computing torch.sigmoid,
# nn.BCELoss, then the same with logits and nn.BCEWithLogitsLoss; accuracy counted with
# (pred == y).sum().item().
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(21)
n = 100
pos = rng.normal([1.5, 1.0], 0.8, (n, 2))
neg = rng.normal([-1.0, -1.5], 0.8, (n, 2))
X = torch.tensor(np.vstack([pos, neg]), dtype=torch.float32)
y = torch.tensor(np.r_[np.ones(n), np.zeros(n)], dtype=torch.float32).view(-1, 1)


class LogisticRegression(nn.Module):
    def __init__(self, n_inputs):
        super().__init__()
        self.linear = nn.Linear(n_inputs, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression(2)
with torch.no_grad():
    model.linear.weight.fill_(-0.1)
    model.linear.bias.zero_()

criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
losses = []
for epoch in range(100):
    y_hat = model(X)
    loss = criterion(y_hat, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if (epoch + 1) % 25 == 0:
        print(f"epoch: {epoch + 1}, loss = {loss.item():.4f}")

with torch.no_grad():
    y_predicted = model(X)
    y_predicted_cls = y_predicted.round()
    acc = y_predicted_cls.eq(y).sum() / float(y.shape[0])
    correct = (y_predicted_cls == y).sum().item()
print(f"accuracy: {acc.item():.4f}  ({correct}/{y.shape[0]})")

# the same model on logits
linear = nn.Linear(2, 1)
nn.init.constant_(linear.weight, -0.1)
nn.init.constant_(linear.bias, 0.0)
criterion2 = nn.BCEWithLogitsLoss()
optimizer2 = torch.optim.SGD(linear.parameters(), lr=0.5)
losses2 = []
for epoch in range(100):
    loss = criterion2(linear(X), y)
    optimizer2.zero_grad()
    loss.backward()
    optimizer2.step()
    losses2.append(loss.item())

predicted = (linear(X) > 0).float()
correct2 = (predicted == y).sum().item()

RESULTS = {
    "losses": losses[::10] + [losses[-1]],
    "losses_logits": losses2[::10] + [losses2[-1]],
    "acc": acc.item(),
    "acc_dtype": str(acc.dtype),
    "correct": correct,
    "correct_type": type(correct).__name__,
    "correct_logits": correct2,
    "eq_dtype": str(y_predicted_cls.eq(y).dtype),
    "sum_of_bool_dtype": str((y_predicted_cls == y).sum().dtype),
    "weights": model.linear.weight.detach().view(-1).tolist() + [model.linear.bias.item()],
    "logit_weights": linear.weight.detach().view(-1).tolist() + linear.bias.tolist(),
    "predicted_dtype": str(predicted.dtype),
}
