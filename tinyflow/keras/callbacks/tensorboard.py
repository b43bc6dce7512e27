"""``TensorBoard(log_dir)``: the curves and the graph of training, in real
TensorBoard event files (written by ``tinyflow.summary.SummaryWriter``).

As Keras lays them out: ``log_dir/train`` holds ``epoch_loss``,
``epoch_accuracy``... per epoch (and ``batch_loss``... with ``update_freq``), the
graph of the traced train step and, with ``histogram_freq``, the weights'
histograms; ``log_dir/validation`` holds the validation curves under the same
names, so TensorBoard draws the two runs on one chart.
Run ``tensorboard --logdir logs`` to look.

>>> from tinyflow import keras
>>> keras.callbacks.TensorBoard("logs").update_freq
'epoch'
"""
import os

from .base import Callback


class TensorBoard(Callback):
    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None, **kwargs):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.write_graph = histogram_freq, write_graph
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._writers = {}
        self._graph_written = False
        self._batches = 0

    def _writer(self, which):
        if which not in self._writers:
            from ...summary.writer import SummaryWriter
            self._writers[which] = SummaryWriter(os.path.join(self.log_dir, which))
        return self._writers[which]

    def on_train_begin(self, logs=None):
        self._graph_written = False
        self._batches = 0
        self._writer("train")

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self.write_graph and not self._graph_written:
            fn = getattr(self.model, "train_function", None)
            if getattr(fn, "concrete_functions", None):        # traced: draw its graph
                self._writer("train").add_graph(fn)
                self._graph_written = True
        if isinstance(self.update_freq, int) and self._batches % self.update_freq == 0:
            for k, v in (logs or {}).items():
                self._writer("train").add_scalar(f"batch_{k}", float(v), self._batches)

    def on_epoch_end(self, epoch, logs=None):
        for k, v in (logs or {}).items():
            if k.startswith("val_"):
                self._writer("validation").add_scalar(f"epoch_{k[4:]}", float(v), epoch)
            else:
                self._writer("train").add_scalar(f"epoch_{k}", float(v), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for w in self.model.weights:
                # tf_keras's tag: "dense/kernel:0" -> "dense/kernel_0/histogram"
                tag = w.name.replace(":", "_") + "/histogram"
                self._writer("train").add_histogram(tag, w.array, epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_test_end(self, logs=None):
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
