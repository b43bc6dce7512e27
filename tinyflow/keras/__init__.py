"""Keras, TensorFlow 2's third way, on tinyflow's ops: layers that build
themselves, models (``Sequential``, functional, subclassed), and
``compile``/``fit``/``evaluate``/``predict`` with Keras 2's (tf_keras's) defaults,
formulas, messages and output.

``fit`` traces its train step with ``tinyflow.function`` and runs the graph
(``model.train_function`` draws it); ``compile(run_eagerly=True)`` runs the
Python instead, where a debugger can stop inside ``call``.

>>> import numpy as np, tinyflow as tf
>>> from tinyflow import keras
>>> tf.manual_seed(0)
>>> model = keras.Sequential([
...     keras.layers.Dense(16, activation="relu", input_shape=(4,)),
...     keras.layers.Dense(3, activation="softmax"),
... ])
>>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
...               metrics=["accuracy"])
>>> x, y = np.random.default_rng(0).normal(size=(64, 4)), np.arange(64) % 3
>>> history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
>>> sorted(history.history), model.predict(x[:2], verbose=0).shape
(['accuracy', 'loss'], (2, 3))

Imported as ``tinyflow.keras`` (and, by ``tinyflow.compat.v2``, as ``tf.keras``).
The distribution strategies plug into ``model.distribute_strategy`` and
``optimizer.aggregate_gradients``.
"""
from . import backend, activations, initializers, regularizers, losses, metrics, optimizers
from . import callbacks, layers, utils, saving
from .layers import Input, InputSpec
from .model import Model
from .sequential import Sequential
from . import models
from .models import load_model, save_model

__all__ = ["backend", "activations", "initializers", "regularizers", "losses", "metrics",
           "optimizers", "callbacks", "layers", "utils", "saving", "models", "Input",
           "InputSpec", "Model", "Sequential", "load_model", "save_model"]
