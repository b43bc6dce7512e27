"""``CSVLogger(filename)``: one row per epoch -- the epoch (counted from 0), then
every log in sorted order -- in a file any spreadsheet or ``pandas.read_csv`` opens.

The file is what tf_keras writes: a header ``epoch,accuracy,loss,...``, rows
ending in ``\\r\\n`` (the csv module's "excel" dialect), numbers as Python prints
them. The columns are fixed by the first epoch; if it had no validation logs,
``val_`` columns are added for every log anyway and filled with ``NA`` on the
epochs without validation (so ``validation_freq=2`` still fits the header).
``append=True`` continues an existing file (no second header).

Each row is flushed and synced to disk as it is written: a run that dies in
epoch 7 leaves epochs 0 to 5 in the file.
"""
import collections
import collections.abc
import csv
import os

import numpy as np

from ...io.files import MissingFileError, path_arg
from .base import Callback


class CSVLogger(Callback):
    """Stream each epoch's logs to ``filename`` (``separator`` between columns).

    >>> import os, shutil, tempfile, numpy as np
    >>> from tinyflow import keras
    >>> model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> folder = tempfile.mkdtemp()
    >>> log = keras.callbacks.CSVLogger(os.path.join(folder, "log.csv"))
    >>> _ = model.fit(np.ones((4, 2)), np.zeros(4), epochs=2, verbose=0, callbacks=[log])
    >>> print(open(log.filename).read().replace("\\r", ""), end="")  # doctest: +ELLIPSIS
    epoch,loss,val_loss
    0,...,NA
    1,...,NA
    >>> shutil.rmtree(folder)
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(separator, str) or len(separator) != 1:
            raise TypeError(f"CSVLogger: argument 'separator' must be a 1-character string, "
                            f"got {separator!r}")
        self.sep = separator
        self.filename = path_arg("CSVLogger", "filename", filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        folder = os.path.dirname(self.filename)
        if folder and not os.path.isdir(folder):
            raise MissingFileError(f"CSVLogger: cannot write filename={self.filename!r}: the "
                                   f"folder {folder!r} does not exist")
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, newline="") as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        self.csv_file = open(self.filename, mode, newline="")   # the csv module ends rows

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(k.startswith("val_") for k in self.keys):
                # validation may come later (validation_freq > 1): make room for it now
                self.keys.extend(["val_" + k for k in self.keys])
        if not self.writer:
            dialect = type("CustomDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((k, _cell(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()                   # the row is in the file now...
        os.fsync(self.csv_file.fileno())        # ...and on the disk, whatever happens next

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.writer = None


def _cell(value):
    """A log as tf_keras writes it: numbers as they are, a list as "[1, 2]"."""
    if isinstance(value, str) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value
    if isinstance(value, collections.abc.Iterable):
        return f"\"[{', '.join(map(str, value))}]\""
    return value
