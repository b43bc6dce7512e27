# compare: exact
# Linear regression with nn.Linear(1, 1): numpy data, weights set with nn.init, full-batch
# SGD, the classic "Epoch [k/n], Loss: ..." printout, predictions back to numpy.
import numpy as np
import torch
import torch.nn as nn

input_size, output_size = 1, 1
num_epochs = 120
learning_rate = 0.05

rng = np.random.default_rng(0)
x_train = rng.uniform(0, 10, (40, 1)).astype(np.float32)
y_train = (2.5 * x_train - 1.0 + rng.normal(0, 1.0, (40, 1))).astype(np.float32)
x_train /= 10.0

model = nn.Linear(input_size, output_size)
nn.init.constant_(model.weight, 0.5)
nn.init.zeros_(model.bias)

criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

inputs = torch.from_numpy(x_train)
targets = torch.from_numpy(y_train)
losses = []
lines = []
for epoch in range(num_epochs):
    outputs = model(inputs)
    loss = criterion(outputs, targets)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    losses.append(loss.item())
    if (epoch + 1) % 20 == 0:
        line = "Epoch [{}/{}], Loss: {:.4f}".format(epoch + 1, num_epochs, loss.item())
        print(line)
        lines.append(line)

predicted = model(torch.from_numpy(x_train)).detach().numpy()
print("predicted:", predicted.shape, predicted.dtype)

w, b = model.weight.item(), model.bias.item()
print(f"learned: y = {w:.3f} * x + {b:.3f}")

# the closed-form least-squares answer, for comparison
A = np.hstack([x_train, np.ones_like(x_train)])
w_ls, b_ls = np.linalg.lstsq(A, y_train, rcond=None)[0].ravel()

RESULTS = {
    "losses": losses[::10] + [losses[-1]],
    "printed": lines,
    "w": w,
    "b": b,
    "gap_to_least_squares": float(abs(w - w_ls) + abs(b - b_ls)) > 0.0,
    "predicted_first": predicted[:3, 0].tolist(),
    "predicted_type": type(predicted).__name__,
    "predicted_dtype": str(predicted.dtype),
    "predicted_shape": list(predicted.shape),
    "weight_shape": list(model.weight.shape),
    "bias_shape": list(model.bias.shape),
    "model_repr": repr(model),
}
