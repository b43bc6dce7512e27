"""The functional API's symbolic tensors: what ``keras.Input`` returns and what a
layer called on one returns.

A ``KerasTensor`` wraps a placeholder of a private graph (the batch size left
unknown), so calling a layer on it runs the layer's ``call`` once on graph
tensors: the weights get built, the output shape comes from the ops' shape rules,
and the call is recorded as a ``Node`` (layer, inputs, outputs). A functional
``Model(inputs, outputs)`` later walks those nodes (functional.py).

>>> from tinyflow import keras
>>> x = keras.Input(shape=(4,), name="pixels")
>>> y = keras.layers.Dense(3, name="d")(x)
>>> y
<KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'd')>
>>> y.node.layer.name, [t.name for t in y.node.keras_inputs]
('d', ['pixels'])
"""
import itertools

import numpy as np

from ..base.nest import flatten
from ..graph.graph import Graph
from ..graph.api import placeholder
from ..graph.tensor import SymbolicTensor

_node_ids = itertools.count()
_GRAPH = []                 # the one private graph the placeholders live in (made when needed)


def scratch_graph():
    if not _GRAPH:
        _GRAPH.append(Graph("keras_functional"))
    return _GRAPH[0]


class KerasTensor:
    """A symbolic input or output of the functional API: a shape (batch None), a
    dtype and the layer call that made it."""

    def __init__(self, symbolic, history=None, name=None):
        self._symbolic = symbolic
        self._keras_history = history          # (layer, node_index, tensor_index)
        self.name = name

    @property
    def shape(self):
        return self._symbolic.shape

    @property
    def dtype(self):
        return self._symbolic.dtype

    @property
    def node(self):
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self):
        layer = self._keras_history[0].name if self._keras_history else "?"
        shape = tuple(self._symbolic._shape) if self._symbolic._shape is not None else None
        return f"<KerasTensor: shape={shape} dtype={np.dtype(self.dtype).name} " \
               f"(created by layer '{layer}')>"

    def __len__(self):
        raise TypeError("Keras symbolic inputs/outputs do not implement `__len__`. You may be "
                        "trying to pass Keras symbolic inputs/outputs to a function that "
                        "needs concrete values; use a layer instead.")

    def __array__(self, *args, **kwargs):
        raise TypeError(f"You are passing {self!r}, an intermediate Keras symbolic input/output, "
                        f"to a function that needs its value (numpy). A KerasTensor has no value: "
                        f"build a Model(inputs, outputs) and call it on data.")


class Node:
    """One call of a layer on KerasTensors."""

    def __init__(self, layer, inputs, args, kwargs, outputs):
        self.id = next(_node_ids)
        self.layer = layer
        self.inputs, self.args, self.kwargs = inputs, args, kwargs
        self.outputs = outputs
        self.keras_inputs = [t for t in flatten((inputs, args, kwargs))[0]
                             if isinstance(t, KerasTensor)]
        self.keras_outputs = [t for t in flatten(outputs)[0] if isinstance(t, KerasTensor)]
        layer._inbound_nodes.append(self)
        index = len(layer._inbound_nodes) - 1
        for i, t in enumerate(self.keras_outputs):
            t._keras_history = (layer, index, i)

    @property
    def is_input(self):
        return not self.keras_inputs

    def parent_nodes(self):
        return [t.node for t in self.keras_inputs]

    def iterate_inbound(self):
        """(layer, node_index, tensor_index, tensor) for each input: "dense[0][0]"."""
        for t in self.keras_inputs:
            layer, node_index, tensor_index = t._keras_history
            yield layer, node_index, tensor_index, t


def has_keras_tensors(*structures):
    return any(isinstance(t, KerasTensor) for t in flatten(list(structures))[0])


def _symbolic(structure):
    leaves, rebuild = flatten(structure)
    return rebuild([t._symbolic if isinstance(t, KerasTensor) else t for t in leaves])


def call_on_keras_tensors(layer, inputs, args, kwargs):
    """Run ``layer`` on the placeholders behind KerasTensors and record the call."""
    kwargs = dict(kwargs)
    with scratch_graph().as_default():
        out = layer(_symbolic(inputs), *_symbolic(list(args)), **_symbolic(kwargs))
    leaves, rebuild = flatten(out)
    outputs = rebuild([KerasTensor(t, name=None) if isinstance(t, SymbolicTensor) else t
                       for t in leaves])
    node = Node(layer, inputs, tuple(args), kwargs, outputs)
    for i, t in enumerate(node.keras_outputs):
        t.name = layer.name if len(node.keras_outputs) == 1 else f"{layer.name}_{i}"
    return outputs


def placeholder_for(shape, dtype, name):
    """A placeholder of the private graph (``None`` dimensions stay unknown)."""
    g = scratch_graph()
    with g.as_default():
        return placeholder(np.dtype(dtype), tuple(shape), name=name)


def output_shape_of(layer, input_shape):
    """``layer``'s output shape for ``input_shape``, by running it on placeholders."""
    shapes = input_shape if input_shape and isinstance(input_shape[0], (list, tuple)) else None
    if shapes is None:
        x = placeholder_for(input_shape, layer.dtype, "x")
    else:
        x = [placeholder_for(s, layer.dtype, f"x{i}") for i, s in enumerate(shapes)]
    with scratch_graph().as_default():
        out = layer(x)
    leaves, rebuild = flatten(out)
    return rebuild([tuple(t._shape) for t in leaves])
