"""``compile``, ``fit``, ``evaluate``, ``predict``: the Keras training loop.

One step is one function of the model and a batch: ``train_step(data)`` runs
the model under a ``GradientTape``, computes the compiled loss, and hands the
gradients to ``optimizer.minimize`` -- the one place where weights change.
``make_train_function`` wraps the step in ``tinyflow.function``, so ``fit`` runs
a traced graph (``model.train_function`` can be drawn), unless
``compile(run_eagerly=True)``: then the Python runs step by step, and a
breakpoint inside ``call`` stops there. Override ``train_step`` to customize a
step, as in Keras.

>>> import numpy as np, tinyflow as tf
>>> from tinyflow import keras
>>> tf.manual_seed(0)
>>> model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
>>> model.compile(optimizer="sgd", loss="mse")
>>> history = model.fit(np.ones((8, 3)), np.zeros((8, 2)), epochs=2, verbose=0)
>>> len(history.history["loss"]), model.train_function
(2, <tinyflow.function train_function (1 traced)>)
"""
import numpy as np

from ..base.nest import flatten
from ..eager.gradient_tape import GradientTape
from ..eager.grad_mode import no_grad
from ..tracing.function import function
from . import distribute_fit, optimizers
from .callbacks.base import CallbackList
from .compile_utils import CompiledLoss, CompiledMetrics
from .data_adapter import DataHandler, train_validation_split, unpack, to_tensors


def _python(logs):
    """Logs as Python floats (what callbacks and History see)."""
    return {k: float(np.asarray(getattr(v, "array", v))) for k, v in logs.items()}


def _skeleton(structure):
    leaves, rebuild = flatten(structure)
    return repr(rebuild(["T" if x is not None else None for x in leaves]))


class Trainer:
    """The training half of ``Model`` (a mixin)."""

    def _init_training(self):
        self.optimizer = None
        self.compiled_loss = self.compiled_metrics = None
        self.loss = None
        self._is_compiled = False
        self._run_eagerly = None
        self.stop_training = False
        self.history = None
        self.train_function = self.test_function = self.predict_function = None
        self.distribute_strategy = distribute_fit.strategy_in_scope()   # made in a scope
        self._structures = {}

    # --- compile ---
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=None,
                jit_compile=None, **kwargs):
        """Choose the optimizer, the loss and the metrics (names or objects)."""
        self.optimizer = optimizers.get(optimizer)
        self.distribute_strategy = distribute_fit.strategy_in_scope(self.distribute_strategy)
        names = self._output_names()
        self.compiled_loss = CompiledLoss(loss, loss_weights, names)
        self.compiled_metrics = CompiledMetrics(metrics, weighted_metrics, names)
        self.loss = loss
        self._run_eagerly = run_eagerly
        self._is_compiled = True
        self._compile_config = {"optimizer": optimizer if isinstance(optimizer, str) else
                                optimizers.serialize(self.optimizer),
                                "loss": loss if isinstance(loss, (str, list, dict)) else None,
                                "metrics": metrics if isinstance(metrics, (list, dict)) and all(
                                    isinstance(m, str) for m in flatten(metrics)[0]) else None,
                                "loss_weights": loss_weights, "run_eagerly": run_eagerly}
        self.train_function = self.test_function = self.predict_function = None

    def _output_names(self):
        net = getattr(self, "_network", None)
        if net is None:
            return ["output_1"]
        return [y.node.layer.name for y in net.outputs]

    @property
    def run_eagerly(self):
        return bool(self._run_eagerly)

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = value
        self.train_function = self.test_function = self.predict_function = None

    @property
    def metrics(self):
        """The loss tracker(s) and the compiled metrics, once built."""
        if not self._is_compiled:
            return []
        return self.compiled_loss.metrics + self.compiled_metrics.metrics

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _assert_compiled(self):
        if not self._is_compiled:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    # --- the steps: each a function of one batch ---
    def train_step(self, data):
        """One step of training on ``data`` = (x, y, sample_weight); returns the logs."""
        x, y, sample_weight = unpack(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        if y is None and self.loss is not None:
            raise ValueError(f"Target data is missing. Your model was compiled with "
                             f"loss={self.loss}, and therefore expects target data to be "
                             f"provided in `fit()`.")
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack(data)
        y_pred = self(x, training=False)
        self.compute_loss(x, y, y_pred, sample_weight)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        """The compiled loss plus the layers' penalties (``model.losses``)."""
        loss = self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)
        return distribute_fit.scale_loss(loss)     # in a replica: its share of the mean

    def compute_metrics(self, x, y, y_pred, sample_weight):
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        return {m.name: m.result() for m in self.metrics}

    def _make_function(self, step, name):
        """``step`` traced into a graph (eagerly with run_eagerly=True). The batch is
        passed flat, its nesting named by a string, so every array becomes a placeholder."""
        if self.run_eagerly:
            return lambda data: step(data)
        structures = self._structures

        def run(skeleton, *leaves):
            return step(structures[skeleton](list(leaves)))
        run.__name__ = name
        traced = function(run, name=name)

        def call(data):
            leaves, rebuild = flatten(data)
            key = _skeleton(data)
            structures[key] = rebuild
            with no_grad():                 # the traced graph differentiates itself
                return traced(key, *leaves)
        call.traced = traced
        return call

    def _function(self, kind):
        attr = f"{kind}_function"
        if getattr(self, "_" + attr, None) is None or getattr(self, attr) is None:
            step = getattr(self, f"{kind}_step")
            if self.distribute_strategy is not None:      # made or compiled in a scope
                step = distribute_fit.replicated(self, step, kind)
            runner = self._make_function(step, attr)
            setattr(self, "_" + attr, runner)
            setattr(self, attr, getattr(runner, "traced", runner))
        return getattr(self, "_" + attr)

    make_train_function = lambda self, force=False: self._function("train")  # noqa: E731
    make_test_function = lambda self, force=False: self._function("test")    # noqa: E731
    make_predict_function = lambda self, force=False: self._function("predict")  # noqa: E731

    # --- the loops ---
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Train for ``epochs`` epochs; returns the ``History``."""
        self._assert_compiled()
        verbose = 1 if verbose == "auto" else verbose
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split(
                (x, y, sample_weight), validation_split)
        handler = DataHandler(x, y, sample_weight, batch_size, steps_per_epoch, shuffle, epochs)
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self, verbose=verbose,
            epochs=epochs, steps=handler.inferred_steps)
        self.stop_training = False
        step_fn = self.make_train_function()
        cbs.on_train_begin()
        logs, training_logs = {}, None
        for epoch in range(initial_epoch, epochs):
            if handler.exhausted:
                break
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            for step, data in handler.batches(epoch):
                cbs.on_train_batch_begin(step)
                logs = _python(step_fn(data))
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if validation_data is not None and _due(epoch, validation_freq):
                vx, vy, vsw = unpack(validation_data) if isinstance(validation_data, tuple) \
                    else (validation_data, None, None)
                val = self.evaluate(vx, vy, vsw, batch_size=validation_batch_size or batch_size,
                                    steps=validation_steps, callbacks=cbs, return_dict=True,
                                    verbose=0)
                epoch_logs.update({"val_" + k: v for k, v in val.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        cbs.on_train_end(training_logs)
        return self.history

    def evaluate(self, x=None, y=None, sample_weight=None, batch_size=None, verbose="auto",
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics on the data: a number, or a list in ``metrics_names`` order."""
        self._assert_compiled()
        verbose = 1 if verbose == "auto" else verbose
        handler = DataHandler(x, y, sample_weight, batch_size, steps)
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=handler.inferred_steps)
        step_fn = self.make_test_function()
        self.reset_metrics()
        cbs.on_test_begin()
        logs = {}
        for step, data in handler.batches(0):
            cbs.on_test_batch_begin(step)
            logs = _python(step_fn(data))
            cbs.on_test_batch_end(step, logs)
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """The model's outputs on ``x``, batch by batch, as numpy arrays."""
        verbose = 1 if verbose == "auto" else verbose
        handler = DataHandler(x, None, None, batch_size, steps)
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=handler.inferred_steps)
        step_fn = self.make_predict_function()
        cbs.on_predict_begin()
        outputs = []
        for step, data in handler.batches(0):
            cbs.on_predict_batch_begin(step)
            out = step_fn(data)
            outputs.append([np.asarray(getattr(t, "array", t)) for t in flatten(out)[0]])
            rebuild = flatten(out)[1]
            cbs.on_predict_batch_end(step, {"outputs": out})
        cbs.on_predict_end()
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information "
                             "of where went wrong, or file a issue/bug to `tf.keras`.")
        return rebuild([np.concatenate(parts) for parts in zip(*outputs)])

    # --- one batch at a time ---
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True, return_dict=False):
        self._assert_compiled()
        if reset_metrics:
            self.reset_metrics()
        logs = _python(self.make_train_function()(to_tensors((x, y, sample_weight))))
        return self._result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                      return_dict=False):
        self._assert_compiled()
        if reset_metrics:
            self.reset_metrics()
        logs = _python(self.make_test_function()(to_tensors((x, y, sample_weight))))
        return self._result(logs, return_dict)

    def predict_on_batch(self, x):
        out = self.make_predict_function()(to_tensors((x,)))
        leaves, rebuild = flatten(out)
        return rebuild([np.asarray(getattr(t, "array", t)) for t in leaves])

    def _result(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs[n] for n in self.metrics_names if n in logs]
        return values[0] if len(values) == 1 else values


def _due(epoch, freq):
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return epoch + 1 in freq
