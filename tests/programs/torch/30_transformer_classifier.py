# compare: exact float64
# A tiny transformer encoder classifying padded token sequences: nn.Embedding for tokens
# and a learned positional nn.Embedding, nn.TransformerEncoderLayer (batch_first=True,
# dropout=0 so that nothing is random) stacked by nn.TransformerEncoder, the padding
# masked with src_key_padding_mask, mean pooling over real tokens with masked_fill, Adam.
# The task: is the first token of a sequence larger than its last (real) one?
# Weights come from numpy and everything runs in float64, so both runs compute the same.
import numpy as np
import torch
import torch.nn as nn

PAD, VOCAB, MAX_LEN = 0, 8, 8
rng = np.random.default_rng(30)


def make_data(n):
    seqs, labels = [], []
    for _ in range(n):
        length = int(rng.integers(3, MAX_LEN + 1))
        tokens = rng.integers(1, VOCAB, length)
        while tokens[0] == tokens[-1]:
            tokens[-1] = rng.integers(1, VOCAB)
        seqs.append(list(tokens) + [PAD] * (MAX_LEN - length))
        labels.append(int(tokens[0] > tokens[-1]))
    return torch.tensor(seqs), torch.tensor(labels)


x_train, y_train = make_data(96)
x_test, y_test = make_data(32)


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, max_len, n_classes):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos_embed = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.fc = nn.Linear(d_model, n_classes)

    def forward(self, x):
        pad_mask = x == PAD                                    # True where there is no token
        positions = torch.arange(x.size(1)).unsqueeze(0).expand(x.size(0), -1)
        h = self.embed(x) + self.pos_embed(positions)
        h = self.encoder(h, src_key_padding_mask=pad_mask)
        h = h.masked_fill(pad_mask.unsqueeze(-1), 0.0)         # mean over the real tokens
        pooled = h.sum(dim=1) / (~pad_mask).sum(dim=1, keepdim=True)
        return self.fc(pooled)


model = TransformerClassifier(VOCAB, d_model=16, nhead=2, num_layers=2, max_len=MAX_LEN,
                              n_classes=2).double()
with torch.no_grad():
    for name, p in model.named_parameters():
        if "norm" in name:
            p.copy_(torch.ones_like(p) if name.endswith("weight") else torch.zeros_like(p))
        else:
            p.copy_(torch.from_numpy(rng.normal(0, 0.25, tuple(p.shape))))
    model.embed.weight[PAD] = 0.0
print(model.encoder.layers[0])

# attention weights of the first layer: no query looks at a padded key
with torch.no_grad():
    h0 = model.embed(x_train[:3]) + model.pos_embed(torch.arange(MAX_LEN))
    _, attn = model.encoder.layers[0].self_attn(h0, h0, h0, key_padding_mask=x_train[:3] == PAD)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
losses = []
for step in range(60):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(x_train), y_train)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if step % 20 == 19:
        print(f"step {step + 1}: loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    train_acc = (model(x_train).argmax(1) == y_train).float().mean().item()
    test_logits = model(x_test)
    test_pred = test_logits.argmax(1)
    test_acc = (test_pred == y_test).float().mean().item()
print(f"train accuracy {train_acc:.2f}, test accuracy {test_acc:.2f}")

RESULTS = {
    "x_shape": list(x_train.shape),
    "lengths": (x_train != PAD).sum(1).tolist()[:10],
    "labels": y_train.tolist()[:24],
    "attn_shape": list(attn.shape),
    "attn_row_sums": attn.sum(-1)[0].tolist(),
    "attn_on_padding": attn[0, :, (x_train[0] == PAD)].abs().sum().item(),
    "attn_first_row": attn[1, 0].tolist(),
    "param_names": [n for n, _ in model.named_parameters()],
    "n_params": sum(p.numel() for p in model.parameters()),
    "losses": losses[::5] + [losses[-1]],
    "train_accuracy": train_acc,
    "test_accuracy": test_acc,
    "test_logits": test_logits[:4].tolist(),
    "test_predictions": test_pred.tolist(),
    "layer_repr": repr(model.encoder.layers[0]),
}
