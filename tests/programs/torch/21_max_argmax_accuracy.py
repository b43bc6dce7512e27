# compare: exact
# Turning network outputs into predictions and scores: torch.max(out, 1) and its
# (values, indices), argmax, topk, sort, softmax, equality counts with .sum().item(),
# the pred.eq(target.view_as(pred)) idiom and a confusion matrix.
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(14)
logits = torch.tensor(rng.normal(0, 2, (20, 4)), dtype=torch.float32)
labels = torch.tensor(rng.integers(0, 4, 20))

values, indices = torch.max(logits, 1)
result = torch.max(logits, dim=1)
_, predicted = torch.max(logits.data, 1)
overall = torch.max(logits)
pairwise = torch.max(logits, torch.zeros_like(logits))
kept = torch.max(logits, 1, keepdim=True)

correct = (predicted == labels).sum().item()
accuracy = 100 * correct / labels.size(0)
print(f"Accuracy: {accuracy:.1f} %  ({correct}/{labels.size(0)})")

pred = logits.argmax(dim=1, keepdim=True)
correct2 = pred.eq(labels.view_as(pred)).sum().item()

probs = F.softmax(logits, dim=1)
top2 = torch.topk(probs, k=2, dim=1)
sorted_vals, sorted_idx = torch.sort(logits[0], descending=True)
mean_acc = (predicted == labels).float().mean()

confusion = torch.zeros(4, 4, dtype=torch.int64)
for t, p in zip(labels.view(-1), predicted.view(-1)):
    confusion[t.long(), p.long()] += 1
per_class = (confusion.diag().float() / confusion.sum(1).clamp(min=1).float()).tolist()

RESULTS = {
    "values": values.tolist(),
    "indices": indices.tolist(),
    "indices_dtype": str(indices.dtype),
    "named_fields": [result.values.tolist() == values.tolist(), result.indices.tolist() == indices.tolist()],
    "result_type": type(result).__name__,
    "result_len": len(result),
    "overall": overall.item(),
    "overall_shape": list(overall.shape),
    "pairwise_sum": pairwise.sum().item(),
    "kept_shapes": [list(kept[0].shape), list(kept[1].shape)],
    "correct": correct,
    "correct_type": type(correct).__name__,
    "accuracy": accuracy,
    "correct2": correct2,
    "eq_dtype": str((predicted == labels).dtype),
    "sum_dtype": str((predicted == labels).sum().dtype),
    "mean_acc": mean_acc.item(),
    "argmax_all": logits.argmax().item(),
    "top2_values": top2.values[:3].tolist(),
    "top2_indices": top2.indices[:3].tolist(),
    "top2_type": type(top2).__name__,
    "sorted": sorted_vals.tolist(),
    "sorted_idx": sorted_idx.tolist(),
    "prob_rows_sum": probs.sum(dim=1)[:3].tolist(),
    "confusion": confusion.tolist(),
    "per_class": per_class,
    "diag_dtype": str(confusion.diag().dtype),
}
