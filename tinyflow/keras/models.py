"""``keras.models``: the model classes and saving/loading whole models.

>>> from tinyflow import keras
>>> keras.models.Sequential is keras.Sequential
True
"""
from .model import Model, Functional
from .sequential import Sequential
from .saving.keras_file import save_model, load_model


def model_from_json(json_string, custom_objects=None):
    """A model (new weights) from ``model.to_json()``."""
    import json
    from .saving.model_config import layer_from_config
    from .saving.serialization import custom_object_scope
    with custom_object_scope(custom_objects or {}):
        return layer_from_config(json.loads(json_string), custom_objects)


def clone_model(model, custom_objects=None):
    """The same architecture with new weights (a functional or Sequential model).
    A ``Lambda`` layer's clone calls the same Python function (the config holds the
    function itself, ``function_type="raw"``, as tf_keras's in-process configs may):
    nothing goes through a file, so there is no stored code to refuse."""
    from .saving.model_config import layer_from_config, layer_config
    config = layer_config(model)
    _keep_functions(config, {layer.name: layer for layer in _all_layers(model)})
    return layer_from_config(config, custom_objects)


def _all_layers(model):
    for layer in getattr(model, "layers", ()):
        yield layer
        yield from _all_layers(layer)


def _keep_functions(item, layers):
    """Put each Lambda layer's function object into its config, in place."""
    config = item.get("config", {})
    if item.get("class_name") == "Lambda" and config.get("name") in layers:
        config["function"] = layers[config["name"]].function
        config["function_type"] = "raw"
    for inner in config.get("layers", ()):
        _keep_functions(inner, layers)


__all__ = ["Model", "Functional", "Sequential", "save_model", "load_model", "model_from_json",
           "clone_model"]
