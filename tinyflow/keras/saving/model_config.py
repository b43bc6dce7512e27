"""Models as JSON configs, and back: each layer's class name and ``get_config()``,
and for a functional model the calls between them ("inbound nodes").

A layer class is found by name among the built-in layers, the classes
registered with ``register_keras_serializable`` and the ``custom_objects``
given to ``load_model``; nothing else is ever constructed.

>>> from tinyflow import keras
>>> x = keras.Input((3,), name="x")
>>> model = keras.Model(x, keras.layers.Dense(2, name="d")(x), name="m")
>>> config = model.get_config()
>>> [l["name"] for l in config["layers"]], config["output_layers"]
(['x', 'd'], [['d', 0, 0]])
>>> clone = keras.Model.from_config(config)
>>> clone.name, [l.name for l in clone.layers], clone.output_shape
('m', ['x', 'd'], (None, 2))
"""
from ...base.nest import flatten
from .serialization import HELP, get_registered_name, get_registered_object

_TENSOR = "__keras_tensor__"


def builtin_layers():
    from .. import layers, model, sequential
    found = {name: getattr(layers, name) for name in layers.__all__
             if isinstance(getattr(layers, name), type)}
    found.update({"Sequential": sequential.Sequential, "Model": model.Model,
                  "Functional": model.Model})
    return found


def layer_config(layer):
    return {"class_name": get_registered_name(type(layer)), "config": layer.get_config(),
            "name": layer.name}


def layer_class(class_name, custom_objects=None):
    cls = get_registered_object(class_name, custom_objects, builtin_layers())
    if cls is None:
        raise ValueError(f"Unknown layer: '{class_name}'. {HELP}")
    return cls


def layer_from_config(item, custom_objects=None):
    cls = layer_class(item["class_name"], custom_objects)
    config = item.get("config", {})
    if hasattr(cls, "_network") or "layers" in config:      # a model: pass the names on
        return cls.from_config(config, custom_objects)
    return cls.from_config(config)


def _node_index(network, tensor):
    layer, index, tensor_index = tensor._keras_history
    node = layer._inbound_nodes[index]
    return network.nodes_of(layer).index(node), tensor_index


def _encode(network, structure):
    from ..keras_tensor import KerasTensor
    leaves, rebuild = flatten(structure)
    return rebuild([{_TENSOR: [t.node.layer.name, *_node_index(network, t)]}
                    if isinstance(t, KerasTensor) else t for t in leaves])


def functional_config(model):
    net = model._network
    layers = []
    for layer in net.layers:
        item = layer_config(layer)
        item["inbound_nodes"] = [] if layer in net.input_layers else [
            {"args": _encode(net, node.inputs), "kwargs": _encode(net, node.kwargs)}
            for node in net.nodes_of(layer)]
        layers.append(item)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": [[x.node.layer.name, *_node_index(net, x)] for x in net.inputs],
            "output_layers": [[y.node.layer.name, *_node_index(net, y)] for y in net.outputs]}


def _decode(structure, made):
    if isinstance(structure, dict) and _TENSOR in structure:
        name, node, index = structure[_TENSOR]
        return flatten(made[(name, node)])[0][index]
    if isinstance(structure, dict):
        return {k: _decode(v, made) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_decode(v, made) for v in structure)
    return structure


def _ready(structure, made):
    if isinstance(structure, dict) and _TENSOR in structure:
        return tuple(structure[_TENSOR][:2]) in made
    if isinstance(structure, dict):
        return all(_ready(v, made) for v in structure.values())
    if isinstance(structure, (list, tuple)):
        return all(_ready(v, made) for v in structure)
    return True


def functional_from_config(cls, config, custom_objects=None):
    """Make the layers, then replay their calls in an order their inputs allow."""
    layers, made, queue = {}, {}, []
    for item in config["layers"]:
        layer = layer_from_config(item, custom_objects)
        layers[item["name"]] = layer
        if not item.get("inbound_nodes") and hasattr(layer, "output"):
            made[(item["name"], 0)] = layer.output              # an InputLayer
        queue.append([item["name"], list(item.get("inbound_nodes", []))])
    while any(nodes for _, nodes in queue):
        progress = False
        for entry in queue:
            name, nodes = entry
            while nodes and _ready(nodes[0], made):
                node = nodes.pop(0)
                index = sum(1 for key in made if key[0] == name)
                made[(name, index)] = layers[name](_decode(node["args"], made),
                                                   **_decode(node.get("kwargs", {}), made))
                progress = True
        if not progress:
            raise ValueError(f"Cannot rebuild the model '{config.get('name')}' from its config: "
                             f"a layer's inputs are never produced")
    inputs = [flatten(made[(n, i)])[0][t] for n, i, t in config["input_layers"]]
    outputs = [flatten(made[(n, i)])[0][t] for n, i, t in config["output_layers"]]
    return cls(inputs=inputs if len(inputs) > 1 else inputs[0],
               outputs=outputs if len(outputs) > 1 else outputs[0], name=config.get("name"))
