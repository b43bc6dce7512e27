# compare: exact float64
# A character-level language model: nn.Embedding -> a 2-layer nn.LSTM (batch_first) ->
# nn.Linear over the vocabulary, trained with CrossEntropyLoss and Adam on a short text cut
# into (batch, seq_len) windows; truncated backpropagation through time (the hidden state
# is carried from batch to batch and detached), clip_grad_norm_, then greedy sampling.
# Weights come from numpy and the model runs in float64, so both runs compute the same.
import numpy as np
import torch
import torch.nn as nn

text = ("the quick brown fox jumps over the lazy dog. "
        "the lazy dog sleeps in the sun. the quick fox runs home. ") * 2
chars = sorted(set(text))
char2idx = {ch: i for i, ch in enumerate(chars)}
idx2char = {i: ch for ch, i in char2idx.items()}
vocab_size = len(chars)
encoded = torch.tensor([char2idx[ch] for ch in text], dtype=torch.long)
print(f"{len(text)} characters, {vocab_size} distinct")

batch_size, seq_len = 4, 12


def get_batches(data, batch_size, seq_len):
    """Cut the text into batch_size parallel streams and walk them seq_len at a time:
    the targets are the inputs shifted by one character."""
    n_steps = (len(data) - 1) // (batch_size * seq_len)
    usable = n_steps * batch_size * seq_len
    x = data[:usable].view(batch_size, -1)
    y = data[1:usable + 1].view(batch_size, -1)
    for i in range(0, x.size(1), seq_len):
        yield x[:, i:i + seq_len], y[:, i:i + seq_len]


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embed_dim=8, hidden_size=16, num_layers=2):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, hidden):
        emb = self.embed(x)                          # (batch, seq, embed)
        out, hidden = self.lstm(emb, hidden)         # (batch, seq, hidden)
        logits = self.fc(out.reshape(-1, self.hidden_size))
        return logits, hidden

    def init_hidden(self, batch_size):
        weight = next(self.parameters())
        return (weight.new_zeros(self.num_layers, batch_size, self.hidden_size),
                weight.new_zeros(self.num_layers, batch_size, self.hidden_size))


model = CharLSTM(vocab_size).double()
rng = np.random.default_rng(28)
with torch.no_grad():
    for name, param in model.named_parameters():
        param.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(param.shape))))
n_params = sum(p.numel() for p in model.parameters())
print(model)
print("parameters:", n_params)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)

clip = 0.5                    # the largest gradient norm an update may use
losses, grad_norms = [], []
for epoch in range(30):
    hidden = model.init_hidden(batch_size)
    for inputs, targets in get_batches(encoded, batch_size, seq_len):
        # detach: backpropagate through this batch only, not through the whole history
        hidden = tuple(h.detach() for h in hidden)
        optimizer.zero_grad()
        logits, hidden = model(inputs, hidden)
        loss = criterion(logits, targets.reshape(-1))
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=clip)
        optimizer.step()
        losses.append(loss.item())
        grad_norms.append(norm.item())
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1}: loss {losses[-1]:.4f}")

h_shapes = [list(h.shape) for h in hidden]
logits_shape = list(logits.shape)


def sample(model, prompt, length):
    """Greedy decoding: feed the prompt, then always take the most likely character."""
    model.eval()
    hidden = model.init_hidden(1)
    with torch.no_grad():
        x = torch.tensor([[char2idx[ch] for ch in prompt]])
        logits, hidden = model(x, hidden)
        out = prompt
        for _ in range(length):
            next_idx = logits[-1].argmax().item()
            out += idx2char[next_idx]
            logits, hidden = model(torch.tensor([[next_idx]]), hidden)
    return out


generated = sample(model, "the ", 20)
print("sample:", repr(generated))

with torch.no_grad():
    probe, _ = model(encoded[:10].view(1, -1), model.init_hidden(1))
    probs = torch.softmax(probe, dim=1)

RESULTS = {
    "vocab": "".join(chars),
    "n_params": n_params,
    "lstm_param_names": [n for n, _ in model.lstm.named_parameters()],
    "state_keys": list(model.state_dict().keys()),
    "model_repr": repr(model),
    "n_batches_per_epoch": len(list(get_batches(encoded, batch_size, seq_len))),
    "losses": losses[::5] + [losses[-1]],
    "grad_norms": grad_norms[::5],
    "n_clipped_steps": sum(n > clip for n in grad_norms),
    "first_loss": losses[0],
    "h_shapes": h_shapes,
    "logits_shape": logits_shape,
    "hidden_requires_grad": hidden[0].requires_grad,
    "generated": generated,
    "probe_probs_row": probs[3].tolist(),
    "probe_argmax": probs.argmax(dim=1).tolist(),
    "weight_ih_l1_sum": model.lstm.weight_ih_l1.sum().item(),
}
