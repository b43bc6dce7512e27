# compare: exact float64
# A 1-D convolutional network on synthetic signals (noisy sines, square waves and
# sawtooths): nn.Conv1d layers with max pooling over neighbouring pairs (written with a
# view and .max(dim=...), the way you pool without nn.MaxPool1d), global average pooling
# and a linear classifier; plus a small autoencoder head that rebuilds the signal with
# nn.Upsample and F.interpolate(mode="linear"). Cross-entropy + MSE, trained with SGD.
# Weights come from numpy (a state_dict) and everything runs in float64.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(32)
LENGTH, CLASSES = 32, ["sine", "square", "sawtooth"]


def make_signals(n):
    t = np.linspace(0, 1, LENGTH, endpoint=False)
    xs, ys = [], []
    for _ in range(n):
        label = int(rng.integers(0, 3))
        freq, phase = rng.uniform(2, 4), rng.uniform(0, 1)
        u = (freq * t + phase) % 1.0
        wave = [np.sin(2 * np.pi * u), np.sign(np.sin(2 * np.pi * u)), 2 * u - 1][label]
        xs.append(wave + rng.normal(0, 0.1, LENGTH))
        ys.append(label)
    return torch.tensor(np.array(xs)).unsqueeze(1), torch.tensor(ys)   # (N, 1, L), (N,)


x_train, y_train = make_signals(60)
x_test, y_test = make_signals(30)


class SignalNet(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 4, kernel_size=5, padding=2)        # 4 x 32
        self.conv2 = nn.Conv1d(4, 8, kernel_size=3, padding=1)        # 8 x 16
        self.fc = nn.Linear(8, n_classes)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")          # 8 x 8 -> 8 x 16
        self.dec = nn.Conv1d(8, 4, kernel_size=3, padding=1)
        self.out = nn.Conv1d(4, 1, kernel_size=3, padding=1)

    @staticmethod
    def pool(x):
        n, c, length = x.shape
        return x.view(n, c, length // 2, 2).max(dim=3).values       # halves the length

    def forward(self, x):
        h = self.pool(F.relu(self.conv1(x)))                          # 4 x 16
        h = self.pool(F.relu(self.conv2(h)))                          # 8 x 8
        logits = self.fc(h.mean(dim=2))                               # global average pool
        r = F.relu(self.dec(self.up(h)))                              # 4 x 16
        r = F.interpolate(r, size=LENGTH, mode="linear", align_corners=False)   # 4 x 32
        return logits, self.out(r)


model = SignalNet().double()
state = {k: torch.from_numpy(rng.normal(0, 0.3, tuple(v.shape)))
         for k, v in model.state_dict().items()}
model.load_state_dict(state)
print(model)

# the shapes along the way, for one batch of two signals
shapes = {}
with torch.no_grad():
    probe = x_train[:2]
    c1 = model.conv1(probe)
    shapes["conv1"] = list(c1.shape)
    shapes["pool1"] = list(model.pool(c1).shape)
    shapes["up"] = list(model.up(torch.zeros(2, 8, 8, dtype=torch.float64)).shape)
    logits, recon = model(probe)
    shapes["logits"], shapes["recon"] = list(logits.shape), list(recon.shape)

# the functional spelling, with a stride and a dilation
direct = F.conv1d(probe, model.conv1.weight, model.conv1.bias, stride=2, padding=4, dilation=2)
linear_up = F.interpolate(torch.arange(4.0).view(1, 1, 4), scale_factor=2, mode="linear",
                          align_corners=False)

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
losses, ce_losses, mse_losses = [], [], []
for epoch in range(40):
    for i in range(0, len(x_train), 20):
        xb, yb = x_train[i:i + 20], y_train[i:i + 20]
        optimizer.zero_grad()
        logits, recon = model(xb)
        ce = F.cross_entropy(logits, yb)
        mse = F.mse_loss(recon, xb)
        loss = ce + 0.5 * mse
        loss.backward()
        optimizer.step()
    losses.append(loss.item())
    ce_losses.append(ce.item())
    mse_losses.append(mse.item())
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: loss {loss.item():.4f} (ce {ce.item():.4f}, "
              f"mse {mse.item():.4f})")

model.eval()
with torch.no_grad():
    test_logits, test_recon = model(x_test)
    predicted = test_logits.argmax(dim=1)
    accuracy = (predicted == y_test).sum().item() / len(y_test)
print(f"test accuracy: {accuracy:.2f}")

RESULTS = {
    "x_shape": list(x_train.shape),
    "shapes": shapes,
    "direct_shape": list(direct.shape),
    "direct_row": direct[0, 1].tolist(),
    "linear_up": linear_up.view(-1).tolist(),
    "state_keys": list(model.state_dict().keys()),
    "n_params": sum(p.numel() for p in model.parameters()),
    "losses": losses[::4] + [losses[-1]],
    "ce_losses": ce_losses[::4],
    "mse_losses": mse_losses[::4],
    "conv1_weight_grad": model.conv1.weight.grad[0, 0].tolist(),
    "predicted": predicted.tolist(),
    "accuracy": accuracy,
    "recon_row": test_recon[0, 0, :8].tolist(),
    "conv_repr": repr(model.conv1),
    "up_repr": repr(model.up),
}
