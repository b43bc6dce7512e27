"""``model.save("m.keras")`` and ``keras.models.load_model("m.keras")``.

A .keras file is a zip archive, as Keras 3's: ``config.json`` (the architecture,
the compile settings, the input shape to build with), ``metadata.json`` and
``model.weights.npz`` (the weights, then the optimizer's state). It is data:
loading constructs only built-in or registered classes, reads the arrays with
pickling refused, and needs none of the code that built the model -- except
custom layers, found by their registered name or in ``custom_objects``. A
``Lambda`` layer's Python function is saved by name only (tf_keras saves its
bytecode), so loading it is refused with a message saying what to do: rebuild
the model in code and ``model.load_weights("m.keras")``.

>>> import os, tempfile, numpy as np
>>> from tinyflow import keras
>>> model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
>>> model.compile(optimizer="adam", loss="mse")
>>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
>>> model.save(path)
>>> loaded = keras.models.load_model(path)
>>> x = np.ones((1, 3), "float32")
>>> bool(np.allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0)))
True
>>> type(loaded.optimizer).__name__
'Adam'
"""
import io
import json
import os
import tempfile
import zipfile

import numpy as np

from ...base.errors import CheckpointError
from ...io.files import MissingFileError, atomic_write, load_npz
from .model_config import layer_class
from .serialization import custom_object_scope, get_registered_name
from .weights import set_from_arrays, weight_arrays

FORMAT = "tinyflow.keras v1"
MAX_JSON = 64 * 2 ** 20


def save_model(model, filepath, overwrite=True):
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"Invalid filepath extension for saving. Please add the `.keras` "
                         f"extension (tinyflow writes the native Keras format only). Received: "
                         f"filepath={filepath}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save: {filepath} exists (overwrite=False)")
    if not model.built:
        raise ValueError(f"The model {model.name!r} has no weights yet: call it on a batch of "
                         f"data (or build it) before saving.")
    config = {"class_name": get_registered_name(type(model)), "config": model.get_config(),
              "build_config": {"input_shape": _jsonable(model._build_input_shape)},
              "compile_config": getattr(model, "_compile_config", None)
              if model._is_compiled else None}
    arrays = weight_arrays(model.weights)
    if model.optimizer is not None and model.optimizer._built:
        arrays.update(weight_arrays(model.optimizer.variables, "opt"))
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)

    def write(f):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("metadata.json", json.dumps({"format": FORMAT}))
            z.writestr("config.json", json.dumps(config, indent=1, allow_nan=False))
            z.writestr("model.weights.npz", buffer.getvalue())
    atomic_write(filepath, write)


def _jsonable(shape):
    if shape is None:
        return None
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [list(s) for s in shape]
    return list(shape)


def read_keras_file(filepath):
    """(config, arrays) of a .keras file, checked before anything is built."""
    if not os.path.exists(filepath):
        raise MissingFileError(f"No file or directory found at {filepath}")
    if os.path.isdir(filepath):
        raise CheckpointError(f"load_model: {filepath} is a directory; tinyflow loads .keras "
                              f"files (a SavedModel bundle loads with "
                              f"tinyflow.saved_model.load)")
    try:
        with zipfile.ZipFile(filepath) as z:
            sizes = {i.filename: i.file_size for i in z.infolist()}
            if "config.json" not in sizes or "model.weights.npz" not in sizes:
                raise CheckpointError(f"load_model: {filepath} is a zip but not a .keras file "
                                      f"(no config.json / model.weights.npz)")
            if sizes["config.json"] > MAX_JSON:
                raise CheckpointError(f"load_model: {filepath}'s config is too large")
            config = json.loads(z.read("config.json").decode("utf-8"))
            weights = z.read("model.weights.npz")
    except zipfile.BadZipFile:
        raise CheckpointError(f"load_model: {filepath} is not a .keras file (a zip archive "
                              f"of JSON and npz)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"load_model: {filepath} holds an unreadable config ({e})") from None
    with tempfile.TemporaryDirectory() as folder:      # the npz reader's checks, on a file
        path = os.path.join(folder, "model.weights.npz")
        with open(path, "wb") as f:
            f.write(weights)
        arrays = load_npz(path, "load_model")
    return config, arrays


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved at ``filepath`` (a .keras file), compiled as it was."""
    filepath = os.fspath(filepath)
    config, arrays = read_keras_file(filepath)
    with custom_object_scope(custom_objects or {}):
        cls = layer_class(config["class_name"], custom_objects)
        inner = config["config"]
        model = cls.from_config(inner, custom_objects) if _takes_objects(cls) \
            else cls.from_config(inner)
        shape = (config.get("build_config") or {}).get("input_shape")
        if not model.built and shape is not None:
            model.build(_shape(shape))
        compiled = config.get("compile_config")
        if compile and compiled and compiled.get("optimizer") and compiled.get("loss"):
            model.compile(optimizer=compiled["optimizer"], loss=compiled["loss"],
                          metrics=compiled.get("metrics"),
                          loss_weights=compiled.get("loss_weights"),
                          run_eagerly=compiled.get("run_eagerly"))
    set_from_arrays(model, arrays, filepath)
    if model.optimizer is not None and any(k.startswith("opt0") for k in arrays):
        opt = model.optimizer
        opt.build(model.trainable_weights)
        set_from_arrays(_Holder(opt), arrays, filepath, "opt")
    return model


def _takes_objects(cls):
    return hasattr(cls, "_init_training")


def _shape(shape):
    if shape and isinstance(shape[0], list):
        return [tuple(s) for s in shape]
    return tuple(shape)


class _Holder:
    """The optimizer's variables seen as a model's weights (for set_from_arrays)."""

    def __init__(self, optimizer):
        self.name, self.weights = optimizer.name, optimizer.variables

    def set_weights(self, values):
        for w, v in zip(self.weights, values):
            np.copyto(w.array, v, casting="unsafe")
