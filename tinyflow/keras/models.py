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
    """The same architecture with new weights (a functional or Sequential model)."""
    from .saving.model_config import layer_from_config, layer_config
    return layer_from_config(layer_config(model), custom_objects)


__all__ = ["Model", "Functional", "Sequential", "save_model", "load_model", "model_from_json",
           "clone_model"]
