# compare: exact float64
# The loss functions a course meets, as modules and as functions, with their reductions
# and options: MSE, L1, SmoothL1 (beta), Huber (delta), NLL (weight, ignore_index),
# CrossEntropy (label_smoothing, probabilities as targets), KLDiv (batchmean, log_target),
# BCE, BCEWithLogits (pos_weight); values and gradients.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(15)
pred = torch.tensor(rng.normal(0, 1.5, (6, 4)), requires_grad=True)
target = torch.tensor(rng.normal(0, 1.5, (6, 4)))
classes = torch.tensor([0, 3, 1, 1, 2, 3])
probs_target = torch.softmax(torch.tensor(rng.normal(0, 1, (6, 4))), dim=1)
binary = torch.tensor(rng.integers(0, 2, (6, 4)).astype(np.float64))

values = {}
grads = {}


def record(name, loss):
    """Store the loss's value, and a summary of d(loss.sum())/d(pred)."""
    values[name] = loss.tolist() if loss.dim() else loss.item()
    if pred.grad is not None:
        pred.grad = None
    loss.sum().backward()
    grads[name] = pred.grad.sum().item() + 0.5 * pred.grad.abs().sum().item()


record("mse_mean", nn.MSELoss()(pred, target))
record("mse_sum", nn.MSELoss(reduction="sum")(pred, target))
record("mse_none_row0", F.mse_loss(pred, target, reduction="none")[0])
record("l1", nn.L1Loss()(pred, target))
record("l1_sum", F.l1_loss(pred, target, reduction="sum"))
record("smooth_l1", nn.SmoothL1Loss()(pred, target))
record("smooth_l1_beta", F.smooth_l1_loss(pred, target, beta=0.5))
record("huber", nn.HuberLoss(delta=2.0)(pred, target))
record("huber_fn", F.huber_loss(pred, target, delta=0.7, reduction="sum"))

record("nll", nn.NLLLoss()(F.log_softmax(pred, dim=1), classes))
weights = torch.tensor([1.0, 2.0, 0.5, 1.0], dtype=torch.float64)
record("nll_weighted", nn.NLLLoss(weight=weights)(F.log_softmax(pred, dim=1), classes))
record("nll_ignore", F.nll_loss(F.log_softmax(pred, dim=1), classes, ignore_index=3))
record("cross_entropy", nn.CrossEntropyLoss()(pred, classes))
record("cross_entropy_smooth", nn.CrossEntropyLoss(label_smoothing=0.1)(pred, classes))
record("cross_entropy_probs", F.cross_entropy(pred, probs_target))
record("cross_entropy_none", F.cross_entropy(pred, classes, reduction="none"))

record("kl_batchmean", nn.KLDivLoss(reduction="batchmean")(F.log_softmax(pred, 1), probs_target))
record("kl_sum", F.kl_div(F.log_softmax(pred, 1), probs_target, reduction="sum"))
record("kl_log_target", F.kl_div(F.log_softmax(pred, 1), probs_target.log(), reduction="batchmean",
                                 log_target=True))

record("bce", nn.BCELoss()(torch.sigmoid(pred), binary))
record("bce_logits", nn.BCEWithLogitsLoss()(pred, binary))
pos_weight = torch.full((4,), 3.0, dtype=torch.float64)
record("bce_logits_pos_weight", nn.BCEWithLogitsLoss(pos_weight=pos_weight)(pred, binary))
record("bce_logits_fn", F.binary_cross_entropy_with_logits(pred, binary, reduction="sum"))

for name in ("mse_mean", "smooth_l1", "nll", "kl_batchmean"):
    print(f"{name:>14}: {values[name]:.6f}")

criterion = nn.CrossEntropyLoss()
RESULTS = {
    "values": values,
    "grads": grads,
    "dtype": str(F.mse_loss(pred, target).dtype),
    "loss_shape": list(F.mse_loss(pred, target).shape),
    "none_shape": list(F.l1_loss(pred, target, reduction="none").shape),
    "criterion_repr": repr(criterion),
    "criterion_reduction": criterion.reduction,
    "huber_delta": nn.HuberLoss().delta,
    "smooth_beta": nn.SmoothL1Loss().beta,
}
