# compare: exact
# Text classification two ways on a toy corpus: a bag-of-words vector fed to a linear layer
# with log_softmax and NLLLoss, and an nn.Embedding (from_pretrained numpy vectors,
# padding_idx) averaged over the words of padded batches; labels as torch.LongTensor.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

train_data = [
    ("the pasta was wonderful and warm".split(), "FOOD"),
    ("we ordered soup and fresh bread".split(), "FOOD"),
    ("the striker scored a late goal".split(), "SPORT"),
    ("our team lost the match again".split(), "SPORT"),
    ("fresh cheese and warm bread for dinner".split(), "FOOD"),
    ("the keeper saved a penalty in the match".split(), "SPORT"),
]
test_data = [("warm soup for dinner".split(), "FOOD"),
             ("a goal in the last match".split(), "SPORT")]

word_to_ix = {"<pad>": 0}
for sent, _ in train_data + test_data:
    for word in sent:
        if word not in word_to_ix:
            word_to_ix[word] = len(word_to_ix)
label_to_ix = {"FOOD": 0, "SPORT": 1}
VOCAB_SIZE, NUM_LABELS = len(word_to_ix), len(label_to_ix)
print("vocabulary:", VOCAB_SIZE, "words")


def make_bow_vector(sentence):
    vec = torch.zeros(len(word_to_ix))
    for word in sentence:
        vec[word_to_ix[word]] += 1
    return vec.view(1, -1)


def make_target(label):
    return torch.LongTensor([label_to_ix[label]])


class BoWClassifier(nn.Module):
    def __init__(self, num_labels, vocab_size):
        super().__init__()
        self.linear = nn.Linear(vocab_size, num_labels)

    def forward(self, bow_vec):
        return F.log_softmax(self.linear(bow_vec), dim=1)


rng = np.random.default_rng(12)
model = BoWClassifier(NUM_LABELS, VOCAB_SIZE)
with torch.no_grad():
    model.linear.weight.copy_(torch.from_numpy(rng.normal(0, 0.1, (NUM_LABELS, VOCAB_SIZE)).astype(np.float32)))
    model.linear.bias.zero_()

with torch.no_grad():
    sample = make_bow_vector(test_data[0][0])
    before = model(sample)
print("log probs before training:", before)

loss_function = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
bow_losses = []
for epoch in range(30):
    total = 0.0
    for instance, label in train_data:
        model.zero_grad()
        log_probs = model(make_bow_vector(instance))
        loss = loss_function(log_probs, make_target(label))
        loss.backward()
        optimizer.step()
        total += loss.item()
    bow_losses.append(total / len(train_data))

with torch.no_grad():
    after = [model(make_bow_vector(s)).argmax(dim=1).item() for s, _ in test_data]
food_weight = model.linear.weight[:, word_to_ix["bread"]].tolist()


# --- the same with embeddings -------------------------------------------------------
def encode(batch):
    length = max(len(s) for s in batch)
    ids = [[word_to_ix[w] for w in s] + [0] * (length - len(s)) for s in batch]
    return torch.tensor(ids, dtype=torch.long)


class EmbeddingBag(nn.Module):
    def __init__(self, vectors, num_labels):
        super().__init__()
        self.embedding = nn.Embedding.from_pretrained(vectors, freeze=False, padding_idx=0)
        self.fc = nn.Linear(vectors.shape[1], num_labels)

    def forward(self, ids):
        mask = (ids != 0).unsqueeze(-1).float()
        summed = (self.embedding(ids) * mask).sum(dim=1)
        return self.fc(summed / mask.sum(dim=1))


vectors = torch.from_numpy(rng.normal(0, 1, (VOCAB_SIZE, 8)).astype(np.float32))
vectors[0] = 0
emb_model = EmbeddingBag(vectors, NUM_LABELS)
with torch.no_grad():
    emb_model.fc.weight.copy_(torch.from_numpy(rng.normal(0, 0.3, (NUM_LABELS, 8)).astype(np.float32)))
    emb_model.fc.bias.fill_(0.0)
ids = encode([s for s, _ in train_data])
targets = torch.tensor([label_to_ix[l] for _, l in train_data])
opt = torch.optim.Adam(emb_model.parameters(), lr=0.05)
emb_losses = []
for step in range(40):
    opt.zero_grad()
    loss = F.cross_entropy(emb_model(ids), targets)
    loss.backward()
    opt.step()
    emb_losses.append(loss.item())

plain = nn.Embedding(VOCAB_SIZE, 4, padding_idx=0)

RESULTS = {
    "vocab_size": VOCAB_SIZE,
    "bow_shape": list(sample.shape),
    "bow_dtype": str(sample.dtype),
    "bow_sum": sample.sum().item(),
    "before": before.view(-1).tolist(),
    "bow_losses": bow_losses,
    "test_predictions": after,
    "bread_weights": food_weight,
    "target": make_target("SPORT").tolist(),
    "target_dtype": str(make_target("SPORT").dtype),
    "ids_shape": list(ids.shape),
    "ids_dtype": str(ids.dtype),
    "embedded_shape": list(emb_model.embedding(ids).shape),
    "emb_losses": emb_losses[::4] + [emb_losses[-1]],
    "pad_row_after_training": emb_model.embedding.weight[0].abs().sum().item(),
    "pad_row_grad": emb_model.embedding.weight.grad[0].abs().sum().item(),
    "embedding_requires_grad": emb_model.embedding.weight.requires_grad,
    "fresh_padding_row": plain.weight[0].tolist(),
    "embedding_repr": repr(emb_model.embedding),
}
