# compare: exact float64
# Classifying names by language with a GRU: names of different lengths become tensors of
# letter indices, padded into one batch with nn.utils.rnn.pad_sequence (batch_first);
# nn.Embedding with padding_idx, nn.GRU, and each name's output read at its own last
# letter (with gather, and with advanced indexing), then nn.Linear and plain SGD.
# Weights come from numpy and everything runs in float64, so both runs compute the same.
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

data = {
    "Italian": ["rossi", "bianchi", "ferrari", "esposito", "romano", "colombo", "ricci"],
    "German": ["schmidt", "schneider", "fischer", "weber", "wagner", "becker", "hoffmann"],
    "Japanese": ["sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "kato"],
}
categories = list(data)
letters = "abcdefghijklmnopqrstuvwxyz"
letter_to_index = {ch: i + 1 for i, ch in enumerate(letters)}     # 0 is the padding


def name_to_tensor(name):
    return torch.tensor([letter_to_index[ch] for ch in name], dtype=torch.long)


pairs = [(name, categories.index(lang)) for lang, names in data.items() for name in names]
sequences = [name_to_tensor(name) for name, _ in pairs]
lengths = torch.tensor([len(s) for s in sequences])
labels = torch.tensor([label for _, label in pairs])
padded = pad_sequence(sequences, batch_first=True, padding_value=0)
print("padded batch:", tuple(padded.shape), "lengths:", lengths.tolist())


class NameGRU(nn.Module):
    def __init__(self, n_letters, embed_dim, hidden_size, n_categories):
        super().__init__()
        self.embedding = nn.Embedding(n_letters, embed_dim, padding_idx=0)
        self.gru = nn.GRU(embed_dim, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, n_categories)

    def forward(self, x, lengths):
        output, h_n = self.gru(self.embedding(x))           # (batch, max_len, hidden)
        # the output at each name's own last letter, not at the padded end
        idx = (lengths - 1).view(-1, 1, 1).expand(-1, 1, output.size(2))
        last = output.gather(1, idx).squeeze(1)              # (batch, hidden)
        return self.out(last)


model = NameGRU(len(letters) + 1, 6, 12, len(categories)).double()
rng = np.random.default_rng(29)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.4, tuple(p.shape))))
    model.embedding.weight[0].fill_(0)

# gather and indexing pick the same vectors; for an unpadded name the GRU's own h_n agrees
with torch.no_grad():
    output, h_n = model.gru(model.embedding(padded))
    by_gather = output.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, 12)).squeeze(1)
    by_index = output[torch.arange(len(sequences)), lengths - 1]
    _, h_alone = model.gru(model.embedding(sequences[2].unsqueeze(0)))
    same_as_alone = torch.allclose(by_index[2], h_alone[0, 0])
    padded_end_differs = not torch.allclose(output[2, -1], h_alone[0, 0])

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
losses = []
for epoch in range(60):
    optimizer.zero_grad()
    logits = model(padded, lengths)
    loss = criterion(logits, labels)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if epoch % 20 == 19:
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}")

with torch.no_grad():
    predictions = model(padded, lengths).argmax(dim=1)
accuracy = (predictions == labels).float().mean().item()


def predict(name):
    with torch.no_grad():
        logits = model(name_to_tensor(name).unsqueeze(0), torch.tensor([len(name)]))
        probs = torch.softmax(logits, dim=1)[0]
    top_p, top_i = probs.topk(2)
    return [(categories[i], p) for p, i in zip(top_p.tolist(), top_i.tolist())]


RESULTS = {
    "padded_shape": list(padded.shape),
    "padded_dtype": str(padded.dtype),
    "padded_row": padded[5].tolist(),
    "lengths": lengths.tolist(),
    "h_n_shape": list(h_n.shape),
    "by_gather_equals_by_index": torch.equal(by_gather, by_index),
    "same_as_alone": same_as_alone,
    "padded_end_differs": padded_end_differs,
    "last_hidden_row": by_index[2].tolist(),
    "gru_param_shapes": [[n] + list(p.shape) for n, p in model.gru.named_parameters()],
    "n_params": sum(p.numel() for p in model.parameters()),
    "losses": losses[::6] + [losses[-1]],
    "predictions": predictions.tolist(),
    "accuracy": accuracy,
    "predict_unseen": [predict(n) for n in ("bruno", "muller", "yamada")],
    "pad_row_grad": model.embedding.weight.grad[0].abs().sum().item(),
    "gru_repr": repr(model.gru),
}
