# compare: exact
# The mistakes every learner makes, and what the framework says: which built-in exception
# an `except` clause would catch for each (the messages are free to differ; a library may
# raise its own subclass), and the few that only warn.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

linear = nn.Linear(4, 2)
conv = nn.Conv2d(1, 2, 3)
logits = torch.tensor([[0.2, 1.5, -0.3], [1.0, 0.1, 0.4]])
labels = torch.tensor([1, 0])

mistakes = {
    "item_of_vector": lambda: torch.ones(3).item(),
    "float_of_vector": lambda: float(torch.ones(2)),
    "bool_of_vector": lambda: bool(torch.ones(2) > 0),
    "len_of_scalar": lambda: len(torch.tensor(1.0)),
    "matmul_shapes": lambda: torch.ones(2, 3) @ torch.ones(2, 3),
    "add_shapes": lambda: torch.ones(2) + torch.ones(3),
    "linear_wrong_features": lambda: linear(torch.ones(3, 5)),
    "linear_double_input": lambda: linear(torch.ones(3, 4, dtype=torch.float64)),
    "linear_long_input": lambda: linear(torch.tensor([[1, 2, 3, 4]])),
    "conv_on_2d_input": lambda: conv(torch.ones(4, 9)),
    "cross_entropy_label_out_of_range": lambda: F.cross_entropy(logits, torch.tensor([1, 3])),
    "cross_entropy_float_labels": lambda: F.cross_entropy(logits, labels.float()),
    "nll_wrong_batch": lambda: F.nll_loss(F.log_softmax(logits, 1), torch.tensor([0, 1, 2])),
    "mean_of_long": lambda: torch.tensor([1, 2]).mean(),
    "embedding_float_indices": lambda: nn.Embedding(5, 2)(torch.tensor([0.0, 1.0])),
    "embedding_index_out_of_range": lambda: nn.Embedding(5, 2)(torch.tensor([7])),
    "index_out_of_range": lambda: torch.ones(3)[5],
    "view_wrong_size": lambda: torch.ones(2, 3).view(4),
    "view_not_divisible": lambda: torch.ones(2, 3).view(-1, 4),
    "cat_mismatch": lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
    "squeeze_bad_dim": lambda: torch.zeros(2, 2).squeeze(5),
    "numpy_of_requires_grad": lambda: torch.ones(2, requires_grad=True).numpy(),
    "setitem_on_leaf": lambda: torch.ones(2, requires_grad=True).__setitem__(0, 5.0),
    "batch_size_zero": lambda: DataLoader(TensorDataset(torch.ones(4)), batch_size=0),
    "optimizer_single_tensor": lambda: torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1),
    "optimizer_empty": lambda: torch.optim.SGD([], lr=0.1),
    "load_state_dict_wrong_shape": lambda: nn.Linear(4, 3).load_state_dict(linear.state_dict()),
    "module_without_super_init": lambda: type("Bad", (nn.Module,), {
        "__init__": lambda self: setattr(self, "fc", nn.Linear(1, 1))})(),
}

errors = {}
for name, thunk in mistakes.items():
    try:
        thunk()
        errors[name] = None
    except Exception as e:  # noqa: BLE001 -- which one is the point
        caught_by = (RuntimeError, ValueError, TypeError, IndexError, KeyError, AttributeError,
                     NotImplementedError, AssertionError)
        errors[name] = next((c.__name__ for c in caught_by if isinstance(e, c)), type(e).__name__)
    print(f"{name:>34}: {errors[name]}")

# accepted, but usually a bug: the framework warns
warned = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    broadcast_loss = nn.MSELoss()(torch.ones(3, 1), torch.zeros(3))
warned["mse_broadcast"] = [w.category.__name__ for w in caught]

int_of_float = int(torch.tensor(2.7))
float_of_one = float(torch.tensor([1.5]))

RESULTS = {
    "errors": errors,
    "warned": warned,
    "broadcast_loss": broadcast_loss.item(),
    "int_of_float": int_of_float,
    "float_of_one": float_of_one,
}
