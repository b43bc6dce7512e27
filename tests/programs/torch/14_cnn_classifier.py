# compare: trend
# A small convolutional network in the classic style: Conv2d, BatchNorm2d, MaxPool2d,
# Dropout2d, F.relu, x.view(-1, ...), log_softmax + nll_loss, trained on synthetic 12x12
# images of horizontal, vertical and diagonal strokes; everything moved .to(device).
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def strokes(n, rng):
    images = rng.normal(0, 0.3, (n, 1, 12, 12)).astype(np.float32)
    labels = rng.integers(0, 3, n)
    for img, label in zip(images, labels):
        k = rng.integers(2, 10)
        if label == 0:
            img[0, k, 1:11] += 1.0
        elif label == 1:
            img[0, 1:11, k] += 1.0
        else:
            idx = np.arange(1, 11)
            img[0, idx, idx] += 1.0
    return torch.from_numpy(images), torch.from_numpy(labels)


rng = np.random.default_rng(0)
x_train, y_train = strokes(384, rng)
x_test, y_test = strokes(96, rng)
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
test_loader = DataLoader(TensorDataset(x_test, y_test), batch_size=48, shuffle=False)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.conv2_drop = nn.Dropout2d(p=0.2)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 3)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.bn1(self.conv1(x)), 2))      # 8 x 6 x 6
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))  # 16 x 2 x 2
        x = x.view(-1, 16 * 2 * 2)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


model = Net().to(device)
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

shapes = {}
with torch.no_grad():
    probe = x_train[:2].to(device)
    shapes["conv1"] = list(model.conv1(probe).shape)
    shapes["pool1"] = list(nn.MaxPool2d(2)(model.conv1(probe)).shape)
    shapes["flat"] = list(torch.flatten(model.conv1(probe), 1).shape)


def train(epoch):
    model.train()
    losses = []
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if batch_idx % 6 == 0:
            print("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
    return sum(losses) / len(losses)


def test():
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print("\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
        test_loss, correct, len(test_loader.dataset), 100. * correct / len(test_loader.dataset)))
    return test_loss, correct


train_losses, test_losses = [], []
for epoch in range(1, 11):
    train_losses.append(train(epoch))
    test_loss, correct = test()
    test_losses.append(test_loss)

RESULTS = {
    "train_losses": train_losses,
    "test_losses": test_losses,
    "test_accuracy": correct / len(test_loader.dataset),
    "correct_type": type(correct).__name__,
    "shapes": shapes,
    "output_shape": list(model(x_test[:5].to(device)).shape),
    "n_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
    "state_keys": list(model.state_dict().keys()),
    "bn_momentum": model.bn1.momentum,
    "bn_eps": model.bn1.eps,
}
