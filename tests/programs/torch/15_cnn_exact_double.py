# compare: exact float64
# A convolutional network computed in float64 from weights drawn with numpy: Conv2d with
# stride and padding, BatchNorm2d (training, then evaluation with running statistics),
# MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, nn.Flatten; gradients and a few SGD steps.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(8)
images = torch.tensor(rng.normal(0, 1, (6, 2, 10, 10)))
labels = torch.tensor([0, 1, 2, 1, 0, 2])


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(2, 4, kernel_size=3, stride=1, padding=1),   # 4 x 10 x 10
            nn.BatchNorm2d(4),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),                 # 4 x 5 x 5
            nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=1),   # 6 x 3 x 3
            nn.ReLU(),
            nn.AvgPool2d(kernel_size=2, stride=1),                 # 6 x 2 x 2
        )
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(6, 3)

    def forward(self, x):
        x = self.features(x)
        x = self.pool(x)
        x = self.flatten(x)
        return self.classifier(x)


model = ConvNet().double()
state = {}
for name, tensor in model.state_dict().items():
    if name.endswith("num_batches_tracked"):
        state[name] = tensor
    elif name.endswith("running_var"):
        state[name] = torch.ones_like(tensor)
    elif name.endswith("running_mean"):
        state[name] = torch.zeros_like(tensor)
    else:
        state[name] = torch.tensor(rng.normal(0, 0.4, tuple(tensor.shape)))
model.load_state_dict(state)

shapes = []
h = images
for layer in model.features:
    h = layer(h)
    shapes.append([type(layer).__name__] + list(h.shape))

out = model(images)
loss = F.cross_entropy(out, labels)
loss.backward()
conv_grad = model.features[0].weight.grad

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
losses = [loss.item()]
for step in range(8):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
print("losses:", losses)

bn = model.features[1]
model.eval()
with torch.no_grad():
    eval_out = model(images)
model.train()

# functional spellings agree with the modules
w = model.features[0].weight
direct = F.conv2d(images, w, model.features[0].bias, stride=1, padding=1)
pooled = F.max_pool2d(direct, 2)
avg = F.avg_pool2d(direct, kernel_size=2)

RESULTS = {
    "layer_shapes": shapes,
    "first_logits": out[0].tolist(),
    "first_loss": losses[0],
    "conv_grad_sum": conv_grad.sum().item(),
    "conv_grad_abs_sum": conv_grad.abs().sum().item(),
    "conv_grad_shape": list(conv_grad.shape),
    "losses": losses,
    "running_mean": bn.running_mean.tolist(),
    "running_var": bn.running_var.tolist(),
    "num_batches_tracked": bn.num_batches_tracked.item(),
    "num_batches_tracked_dtype": str(bn.num_batches_tracked.dtype),
    "eval_logits": eval_out[:2].tolist(),
    "direct_shape": list(direct.shape),
    "pooled_sum": pooled.sum().item(),
    "avg_sum": avg.sum().item(),
    "state_keys": list(model.state_dict().keys()),
    "n_parameters": len(list(model.parameters())),
    "out_dtype": str(out.dtype),
}
