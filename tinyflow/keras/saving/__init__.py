"""Saving Keras models: ``.keras`` files (keras_file.py), weights (weights.py),
configs (model_config.py), names of custom objects (serialization.py) and
inference exports (export.py). Never pickle: every file is JSON and arrays.
"""
from .serialization import (register_keras_serializable, get_registered_name,
                            get_registered_object, custom_object_scope, CustomObjectScope)
from .keras_file import save_model, load_model

__all__ = ["register_keras_serializable", "get_registered_name", "get_registered_object",
           "custom_object_scope", "CustomObjectScope", "save_model", "load_model"]
