# compare: exact float64
# Sentiment of short reviews with a packed, bidirectional, two-layer LSTM (the PyTorch
# sentiment tutorial's model): word indices padded with pad_sequence, packed with
# pack_padded_sequence(enforce_sorted=False) so the LSTM skips the padding, h_n's last
# layer (forward and backward) into nn.Linear, BCEWithLogitsLoss and Adam. Then a GRU
# encoder as in the seq2seq tutorial: pack_sequence, pad_packed_sequence(total_length).
# Weights come from numpy and everything runs in float64, so both runs compute the same.
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence,
                                pad_sequence)

reviews = [("a great film with a great cast", 1), ("dull and far too long", 0),
           ("loved it", 1), ("the worst plot i have seen", 0), ("great fun", 1),
           ("boring", 0), ("a moving and funny story", 1), ("too long and too dull", 0)]
vocab = {"<pad>": 0}
for text, _ in reviews:
    for word in text.split():
        vocab.setdefault(word, len(vocab))
sequences = [torch.tensor([vocab[w] for w in text.split()]) for text, _ in reviews]
lengths = torch.tensor([len(s) for s in sequences])
labels = torch.tensor([float(y) for _, y in reviews], dtype=torch.float64)
padded = pad_sequence(sequences, batch_first=True)


class Sentiment(nn.Module):
    def __init__(self, n_words, embed_dim, hidden_size):
        super().__init__()
        self.embedding = nn.Embedding(n_words, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=2, bidirectional=True,
                            batch_first=True)
        self.fc = nn.Linear(2 * hidden_size, 1)

    def forward(self, text, lengths):
        packed = pack_padded_sequence(self.embedding(text), lengths, batch_first=True,
                                      enforce_sorted=False)
        packed_output, (hidden, cell) = self.lstm(packed)
        hidden = torch.cat((hidden[-2], hidden[-1]), dim=1)       # last layer, both ways
        return self.fc(hidden).squeeze(1), packed_output


model = Sentiment(len(vocab), 5, 6).double()
rng = np.random.default_rng(33)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(p.shape))))
    model.embedding.weight[0].fill_(0)

_, packed_output = model(padded, lengths)
output, output_lengths = pad_packed_sequence(packed_output, batch_first=True)

criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
losses = []
for epoch in range(40):
    optimizer.zero_grad()
    logits, _ = model(padded, lengths)
    loss = criterion(logits, labels)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
with torch.no_grad():
    predictions = (model(padded, lengths)[0] > 0).long()
accuracy = (predictions == labels.long()).double().mean().item()

# the seq2seq tutorial's encoder: a GRU over a packed batch, padded back for attention
encoder = nn.GRU(5, 4, bidirectional=True).double()
with torch.no_grad():
    for p in encoder.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(p.shape))))
embedded = [model.embedding(s).detach() for s in sequences[:4]]
enc_packed = pack_sequence(embedded, enforce_sorted=False)
enc_out, enc_h = encoder(enc_packed)
enc_padded, enc_lengths = pad_packed_sequence(enc_out, total_length=8, padding_value=-1.0)
enc_padded.sum().backward()
alone_out, alone_h = encoder(embedded[2].unsqueeze(1))

RESULTS = {
    "padded_shape": list(padded.shape),
    "lengths": lengths.tolist(),
    "batch_sizes": packed_output.batch_sizes.tolist(),
    "sorted_indices": packed_output.sorted_indices.tolist(),
    "unsorted_indices": packed_output.unsorted_indices.tolist(),
    "packed_data_shape": list(packed_output.data.shape),
    "output_shape": list(output.shape),
    "output_lengths": output_lengths.tolist(),
    "output_row": output[2].tolist(),
    "losses": losses[::5] + [losses[-1]],
    "predictions": predictions.tolist(),
    "accuracy": accuracy,
    "embedding_pad_grad": model.embedding.weight.grad[0].abs().sum().item(),
    "enc_batch_sizes": enc_packed.batch_sizes.tolist(),
    "enc_padded_shape": list(enc_padded.shape),
    "enc_padded_col": enc_padded[:, 2].tolist(),
    "enc_lengths": enc_lengths.tolist(),
    "enc_h": enc_h.tolist(),
    "enc_h_alone": [alone_h[d, 0].tolist() for d in range(2)],
    "enc_grads": [p.grad.sum().item() for p in encoder.parameters()],
}
