"""``summary``: a table of a model's layers, output shapes and parameter counts,
laid out like torchinfo's. Given an input shape, it runs one forward pass on
zeros (no gradients, in eval mode so BatchNorm's running statistics stay as
they were) and reads the output shapes with forward hooks; without one, it
lists the layers and their parameter counts only.

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
    cells = f"{name:<{NAME_WIDTH}} "
    if shape is not None:
        cells += f"{shape:<{COL_WIDTH}} "
    return (cells + params).rstrip()


def _output_shapes(model, input_shape, dtype):
    """{id(module): shape text} from one forward pass on zeros, and the inputs."""
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
    return shapes, inputs


def summary(model, input_shape=None, dtype=np.float32, print_fn=print):
    """Print the layer table of ``model`` through ``print_fn``. Param # counts the
    parameters each module owns itself. Given ``input_shape`` (batch dimension
    included; a list of shapes for several inputs), the table has each layer's
    output shape too and the sizes in MB; without it, as torchinfo's
    ``summary(model)``, layers and parameter counts only.

    >>> import tinyflow.nn as nn
    >>> nn.Sequential(nn.Linear(4, 2), nn.ReLU()).summary()
    =================================================================
    Layer (type:depth-idx)                   Param #
    =================================================================
    Sequential                               --
    ├─Linear: 1-1                            10
    ├─ReLU: 1-2                              --
    =================================================================
    Total params: 10
    Trainable params: 10
    Non-trainable params: 0
    =================================================================
    """
    with_shapes = input_shape is not None
    shapes, inputs = _output_shapes(model, input_shape, dtype) if with_shapes else ({}, [])
    rule = "=" * (NAME_WIDTH + (2 if with_shapes else 1) * COL_WIDTH)
    lines = [rule, _row("Layer (type:depth-idx)", "Output Shape" if with_shapes else None,
                        "Param #"), rule]
    counters = {}
    for depth, m in _tree(model):
        name = type(m).__name__
        if depth:
            counters[depth] = counters.get(depth, 0) + 1
            tree = "├─" if depth == 1 else "│    " * (depth - 1) + "└─"
            name = f"{tree}{name}: {depth}-{counters[depth]}"
        own = sum(p.numel() for p in m.parameters(recurse=False))
        shape = shapes.get(id(m), "--") if with_shapes else None
        lines.append(_row(name, shape, f"{own:,}" if own else "--"))
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    lines += [rule, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", rule]
    if with_shapes:
        input_mb = sum(t.array.nbytes for t in inputs) / 1e6
        params_mb = sum(p.array.nbytes for p in params) / 1e6
        lines += [f"Input size (MB): {input_mb:.2f}", f"Params size (MB): {params_mb:.2f}", rule]
    print_fn("\n".join(lines))
