"""``model.summary()``: Keras 2's table, column for column (tf_keras's
``print_summary``): a Sequential-like model gets Layer (type) / Output Shape /
Param # in 65 characters; a branching functional model also gets "Connected
to", in 98. Then the totals, with their memory at each weight's dtype size.

>>> from tinyflow import keras
>>> keras.backend.clear_session()
>>> model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
>>> model.summary()     # doctest: +NORMALIZE_WHITESPACE
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               (None, 3)                 15
=================================================================
Total params: 15 (60.00 Byte)
Trainable params: 15 (60.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________
"""
import numpy as np

from ..base.nest import flatten


def count_params(weights):
    return int(sum(np.prod(w.array.shape) for w in {id(w): w for w in weights}.values()))


def weight_memory_size(weights):
    return int(sum(w.array.size * w.array.dtype.itemsize
                   for w in {id(w): w for w in weights}.values()))


def readable_memory_size(size):
    """Bytes as Keras writes them: '524.00 Byte', '5.66 KB', '6.81 MB'."""
    for unit in ["Byte", "KB", "MB", "GB", "TB", "PB"]:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _sequential_like(model):
    net = getattr(model, "_network", None)
    if type(model).__name__ == "Sequential" or net is None:
        return True
    by_depth = {}
    for node in net.nodes:
        by_depth.setdefault(net.depth[id(node)], []).append(node)
    for nodes in by_depth.values():
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].keras_inputs) > 1):
            return False
    return all(len(net.nodes_of(layer)) <= 1 for layer in model.layers)


def _row(fields, positions, print_fn):
    """One table row, wrapped at the column widths (and after "),", "]," ...)."""
    left = [str(x) for x in fields]
    while any(left):
        line = ""
        for col in range(len(left)):
            start = positions[col - 1] if col > 0 else 0
            end = positions[col]
            space = 2 if col != len(positions) - 1 else 0
            cutoff = end - start - space
            if col != len(positions) - 1:
                cutoff -= 1
            fit = left[col][:cutoff]
            cuts = [fit.find(x) + len(x) for x in ("),", "},", "],", "',") if fit.find(x) >= 0]
            if cuts:
                cutoff = min(cuts)
                fit = fit[:cutoff]
            if col == 0:
                line += " "
            line += fit + " " * space
            left[col] = left[col][cutoff:]
            line += " " * (positions[col] - len(line))
        print_fn(line)


def _class_name(layer):
    name = type(layer).__name__
    return "Functional" if name == "Model" and getattr(layer, "_network", None) else name


def _output_shape(layer):
    try:
        return layer.output_shape
    except AttributeError:
        return "multiple"


def print_summary(model, line_length=None, positions=None, print_fn=None, show_trainable=False):
    print_fn = print_fn or print
    sequential_like = _sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.70, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    if show_trainable:
        line_length += 11
        positions = positions + [line_length]
        header.append("Trainable")
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    _row(header, positions, print_fn)
    print_fn("=" * line_length)
    net = getattr(model, "_network", None)
    for layer in model.layers:
        params = layer.count_params() if layer.built or getattr(layer, "_network", None) \
            else "0 (unused)"
        fields = [f"{layer.name} ({_class_name(layer)})", _output_shape(layer), params]
        if not sequential_like:
            connections = [f"{l.name}[{n}][{t}]" for node in net.nodes_of(layer)
                           for l, n, t, _ in node.iterate_inbound()]
            fields.append(connections)
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        _row(fields, positions, print_fn)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    t_count, n_count = count_params(trainable), count_params(frozen)
    t_mem, n_mem = weight_memory_size(trainable), weight_memory_size(frozen)
    print_fn(f"Total params: {t_count + n_count} ({readable_memory_size(t_mem + n_mem)})")
    print_fn(f"Trainable params: {t_count} ({readable_memory_size(t_mem)})")
    print_fn(f"Non-trainable params: {n_count} ({readable_memory_size(n_mem)})")
    print_fn("_" * line_length)


del flatten
