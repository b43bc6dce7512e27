"""``keras.callbacks``: hooks into ``fit`` -- ``History``, ``EarlyStopping``,
``ModelCheckpoint``, ``TensorBoard``, ``CSVLogger``, ``LearningRateScheduler``,
``ReduceLROnPlateau``, ``LambdaCallback``, ``TerminateOnNaN``.

>>> from tinyflow import keras
>>> sorted(n for n in dir(keras.callbacks) if n[0].isupper())[:4]
['CSVLogger', 'Callback', 'CallbackList', 'EarlyStopping']
"""
import math

from .base import Callback, CallbackList, History, ProgbarLogger, LambdaCallback
from .early_stopping import EarlyStopping
from .model_checkpoint import ModelCheckpoint
from .learning_rate import LearningRateScheduler, ReduceLROnPlateau
from .tensorboard import TensorBoard
from .csv_logger import CSVLogger


class TerminateOnNaN(Callback):
    """Stop training when the loss becomes nan or inf."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (math.isnan(loss) or math.isinf(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "LambdaCallback",
           "EarlyStopping", "ModelCheckpoint", "LearningRateScheduler", "ReduceLROnPlateau",
           "TensorBoard", "CSVLogger", "TerminateOnNaN"]
