"""``model.save_weights(path)`` / ``load_weights(path)``: the weights, in
``model.weights`` order, in an .npz file (written atomically; read without
ever unpickling). The model that loads them must have the same architecture.
``load_weights`` also reads the weights out of a ``.keras`` file (as tf_keras
does): the way to load a saved model that ``load_model`` refuses -- one with a
``Lambda`` layer -- into the same model rebuilt in code.

>>> import os, tempfile, numpy as np
>>> from tinyflow import keras
>>> model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
>>> path = os.path.join(tempfile.mkdtemp(), "m.weights.npz")
>>> model.save_weights(path)
>>> twin = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
>>> twin.load_weights(path)
>>> all(np.array_equal(a, b) for a, b in zip(model.get_weights(), twin.get_weights()))
True
"""
import os

import numpy as np

from ...io.files import load_npz, save_npz


def weight_arrays(weights, prefix="w"):
    arrays = {f"{prefix}{i:04d}": np.asarray(w.array) for i, w in enumerate(weights)}
    arrays[f"{prefix}_names"] = np.array([w.name or "" for w in weights], dtype=str)
    return arrays


def set_from_arrays(model, arrays, where, prefix="w"):
    weights = model.weights
    n = len([k for k in arrays if k.startswith(prefix) and k[len(prefix):].isdigit()])
    if n != len(weights):
        raise ValueError(f"Weight count mismatch when loading weights from {where}: the model "
                         f"{model.name!r} expects {len(weights)} weights, found {n} saved "
                         f"weights.")
    names = [str(s) for s in arrays.get(f"{prefix}_names", [])]
    values = []
    for i, w in enumerate(weights):
        value = arrays[f"{prefix}{i:04d}"]
        if tuple(value.shape) != tuple(w.array.shape):
            saved = f" (saved as {names[i]!r})" if i < len(names) else ""
            raise ValueError(f"Weight {w.name!r}{saved} has shape {tuple(w.array.shape)} in the "
                             f"model but {tuple(value.shape)} in {where}")
        values.append(value)
    model.set_weights(values)


def save_weights(model, filepath, overwrite=True):
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_weights: {filepath} exists (overwrite=False)")
    save_npz(filepath, weight_arrays(model.weights))


def load_weights(model, filepath):
    if not model.built or not model.weights and model.layers:
        raise ValueError(f"Unable to load weights into the model {model.name!r}, which has not "
                         f"created its weights yet. Call the model on a batch of data (or "
                         f"`model.build(input_shape)`) first, then load the weights.")
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        from .keras_file import read_keras_file       # (keras_file imports this module)
        arrays = read_keras_file(filepath)[1]          # the model's; the optimizer's skipped
    else:
        arrays = load_npz(filepath, "load_weights")
    set_from_arrays(model, arrays, filepath)
