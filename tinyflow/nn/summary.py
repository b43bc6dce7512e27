"""``summary``: a table of a model's layers, output shapes and parameter counts,
laid out like torchinfo's. It runs one forward pass on zeros (no gradients,
in eval mode so BatchNorm's running statistics stay as they were) and reads
the output shapes with forward hooks.

>>> import tinyflow.nn as nn
>>> nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).summary((1, 64))
==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Sequential                               [1, 10]                   --
├─Linear: 1-1                            [1, 128]                  8,320
├─ReLU: 1-2                              [1, 128]                  --
├─Linear: 1-3                            [1, 10]                   1,290
==========================================================================================
Total params: 9,610
Trainable params: 9,610
Non-trainable params: 0
==========================================================================================
Input size (MB): 0.00
Params size (MB): 0.04
==========================================================================================
"""
import numpy as np

from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor

NAME_WIDTH, COL_WIDTH = 40, 25
RULE = "=" * (NAME_WIDTH + 2 * COL_WIDTH)


def _tree(module, depth=0):
    """(depth, module) for module and everything below it, in registration order."""
    yield depth, module
    for child in module._modules.values():
        if child is not None:
            yield from _tree(child, depth + 1)


def _shape(out):
    if isinstance(out, (tuple, list)):
        return "[" + ", ".join(_shape(o) for o in out) + "]"
    shape = getattr(out, "shape", None)
    return "--" if shape is None else "[" + ", ".join(str(d) for d in shape) + "]"


def _inputs(input_shape, dtype):
    many = len(input_shape) > 0 and all(isinstance(s, (tuple, list)) for s in input_shape)
    shapes = input_shape if many else [input_shape]
    return [Tensor(np.zeros(tuple(s), dtype)) for s in shapes]


def _row(name, shape, params):
    return f"{name:<{NAME_WIDTH}} {shape:<{COL_WIDTH}} {params}".rstrip()


def summary(model, input_shape, dtype=np.float32, print_fn=print):
    """Print the layer table of ``model`` for an input of ``input_shape``
    (batch dimension included; a list of shapes for several inputs) through
    ``print_fn``. Param # counts the parameters each module owns itself.
    """
    rows = list(_tree(model))
    shapes = {}

    def record(module, args, out):
        shapes.setdefault(id(module), _shape(out))

    handles = [m.register_forward_hook(record) for m in model.modules()]
    modes = [(m, m.training) for m in model.modules()]
    inputs = _inputs(input_shape, dtype)
    model.eval()
    try:
        with no_grad():
            model(*inputs)
    finally:
        for h in handles:
            h.remove()
        for m, mode in modes:
            object.__setattr__(m, "training", mode)

    lines = [RULE, _row("Layer (type:depth-idx)", "Output Shape", "Param #"), RULE]
    counters = {}
    for depth, m in rows:
        name = type(m).__name__
        if depth:
            counters[depth] = counters.get(depth, 0) + 1
            tree = "├─" if depth == 1 else "│    " * (depth - 1) + "└─"
            name = f"{tree}{name}: {depth}-{counters[depth]}"
        own = sum(p.numel() for p in m.parameters(recurse=False))
        lines.append(_row(name, shapes.get(id(m), "--"), f"{own:,}" if own else "--"))
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    input_mb = sum(t.data.nbytes for t in inputs) / 1e6
    params_mb = sum(p.data.nbytes for p in params) / 1e6
    lines += [RULE, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", RULE,
              f"Input size (MB): {input_mb:.2f}", f"Params size (MB): {params_mb:.2f}", RULE]
    print_fn("\n".join(lines))
