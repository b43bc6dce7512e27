"""A functional model's graph of layer calls: found from its outputs, run on data.

``Network(inputs, outputs)`` walks back from the outputs through the recorded
``Node``s (keras_tensor.py) to the ``keras.Input``s, and orders the layers as
Keras does (by depth from the outputs, inputs first). ``run`` replays the
nodes, in the order they were made, on real tensors -- eager ones, or the
placeholders of a graph that ``tinyflow.function`` is tracing.

>>> import numpy as np
>>> from tinyflow import keras
>>> a = keras.Input((3,), name="a")
>>> h = keras.layers.Dense(4, name="h")(a)
>>> net = Network([a], [keras.layers.Dense(2, name="out")(h)])
>>> [l.name for l in net.layers]
['a', 'h', 'out']
>>> run(net, [np.ones((5, 3), "float32")])[0].shape
tinyflow.Size([5, 2])
"""
from ..base.nest import flatten
from .keras_tensor import KerasTensor
from .layers.input_spec import InputSpec


class Network:
    """The nodes and layers between ``inputs`` and ``outputs`` (KerasTensors)."""

    def __init__(self, inputs, outputs):
        self.nested_inputs, self.nested_outputs = inputs, outputs
        self.inputs, self.outputs = flatten(inputs)[0], flatten(outputs)[0]
        for x in self.inputs:
            if not isinstance(x, KerasTensor) or not x.node.is_input:
                raise ValueError(f"Input tensors to a Functional must come from "
                                 f"`tf.keras.Input`. Received: {x} (missing previous layer "
                                 f"metadata).")
        for y in self.outputs:
            if not isinstance(y, KerasTensor):
                raise ValueError(f"Output tensors of a Functional model must be the output of "
                                 f"a TF-Keras `Layer` (thus holding past layer metadata). Found: "
                                 f"{y}")
        self.nodes, post_order = self._walk()
        self.layers = self._layers_by_depth(post_order)
        self.input_layers = [x.node.layer for x in self.inputs]
        self.output_layers = [y.node.layer for y in self.outputs]

    def _walk(self):
        """The nodes that the outputs need (in creation order) and Keras's post-order."""
        seen, post, inputs = set(), [], {id(x.node) for x in self.inputs}
        reached = []

        def visit(node):
            if id(node) in seen:
                return
            if node.is_input and id(node) not in inputs:
                raise ValueError(f"Graph disconnected: cannot obtain value for tensor "
                                 f"{node.keras_outputs[0]} at layer \"{node.layer.name}\". The "
                                 f"following previous layers were accessed without issue: "
                                 f"{[n.layer.name for n in reached]}")
            for parent in node.parent_nodes():
                visit(parent)
            seen.add(id(node))
            post.append(node)
            reached.append(node)
        for y in self.outputs:
            visit(y.node)
        return sorted(post, key=lambda n: n.id), post

    def _layers_by_depth(self, post_order):
        """Keras's layer order: deepest (furthest from the outputs) first; ties in the
        order the walk from the outputs first met them. Inputs lead."""
        depth = {}
        for node in reversed(post_order):
            d = depth.setdefault(id(node), 0)
            for parent in node.parent_nodes():
                depth[id(parent)] = max(depth.get(id(parent), 0), d + 1)
        first_seen, layer_depth = {}, {}
        for i, node in enumerate(post_order):
            first_seen.setdefault(id(node.layer), (i, node.layer))
            layer_depth[id(node.layer)] = max(layer_depth.get(id(node.layer), 0), depth[id(node)])
        self.depth = depth                         # id(node) -> its distance from the outputs
        order = sorted(first_seen.values(),
                       key=lambda t: (-layer_depth[id(t[1])], t[0]))
        layers = [layer for _, layer in order]
        inputs = [x.node.layer for x in self.inputs]
        return inputs + [l for l in layers if not any(l is i for i in inputs)]

    def input_specs(self):
        """What the model accepts: each input's shape (batch left open)."""
        return [InputSpec(shape=tuple(x._symbolic._shape), allow_last_axis_squeeze=True,
                          name=x.node.layer.name) for x in self.inputs]

    def nodes_of(self, layer):
        """``layer``'s nodes that belong to this network, in order."""
        ids = {id(n) for n in self.nodes}
        return [n for n in layer._inbound_nodes if id(n) in ids]


def _as_list(network, inputs):
    """The model's inputs as a flat list, matching a dict by the inputs' names."""
    if isinstance(inputs, dict):
        names = [x.node.layer.name for x in network.inputs]
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(f'Missing data for input "{missing[0]}". You passed a data '
                             f'dictionary with keys {list(inputs)}. Expected the following '
                             f'keys: {names}')
        return [inputs[n] for n in names]
    flat = flatten(inputs)[0]
    if len(flat) != len(network.inputs):
        raise ValueError(f"Layer \"model\" expects {len(network.inputs)} input(s), but it "
                         f"received {len(flat)} input tensors.")
    return flat


def run(network, inputs, training=None):
    """The outputs of the network on ``inputs`` (tensors or arrays)."""
    values = {id(x): v for x, v in zip(network.inputs, _as_list(network, inputs))}

    def value(t):
        return values[id(t)] if isinstance(t, KerasTensor) else t

    def fill(structure):
        leaves, rebuild = flatten(structure)
        return rebuild([value(t) for t in leaves])

    for node in network.nodes:
        if node.is_input:
            continue
        kwargs = fill(node.kwargs)
        if training is not None:
            kwargs["training"] = training
        out = node.layer(fill(node.inputs), *fill(list(node.args)), **kwargs)
        for t, v in zip(flatten(node.outputs)[0], flatten(out)[0]):
            if isinstance(t, KerasTensor):
                values[id(t)] = v
    leaves, rebuild = flatten(network.nested_outputs)
    return rebuild([values[id(t)] for t in leaves])
