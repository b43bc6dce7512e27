"""Checker for lesson 10's exercise: the training step that Keras's ``fit`` runs, written
by hand with a ``GradientTape``.

The learner writes ``train_step(model, loss_fn, optimizer, x, y)``: one step of training
on one batch, as ``fit`` does it -- the model called with ``training=True`` under a
``GradientTape``, the loss of the batch, its gradients with respect to
``model.trainable_variables``, ``optimizer.apply_gradients`` -- returning the batch's loss
(computed before the update, as ``fit`` reports it).

``check_train_step(train_step)`` builds small float64 models of its own and compares the
learner's step with Keras's (``train_on_batch``, the step ``fit`` runs for each batch)
from the same initial weights. It prints one line per check, with a hint when a check
fails, and a last line "k of n checks pass".
"""
import warnings

import numpy as np

import tinyflow
import tinyflow.compat.v2 as tf
from tinyflow import keras

from .checking import Failed as _Failed, attempt

_RNG = np.random.default_rng(10)
_X = _RNG.normal(size=(48, 6))
_Y = _RNG.integers(0, 4, 48)
_BATCHES = [(_X[i:i + 12], _Y[i:i + 12]) for i in range(0, 48, 12)]      # 4 steps


class _Spy(keras.layers.Layer):
    """An identity layer that writes down the ``training`` argument it was called with."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


def _model(spy=False):
    tinyflow.manual_seed(3)
    layers = [keras.Input(shape=(6,)), keras.layers.Dense(5, activation="tanh")]
    if spy:
        layers.append(_Spy(name="spy"))
    layers.append(keras.layers.Dense(4))
    return keras.Sequential(layers)


def _loss():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def _step(train_step, model, loss_fn, optimizer, x, y, what="train_step"):
    out = attempt(lambda: train_step(model, loss_fn, optimizer, tf.constant(x), tf.constant(y)),
                  f"{what}(model, loss_fn, optimizer, x, y)")
    if out is None:
        raise _Failed(f"{what}(...) returned None: return the batch's loss")
    try:
        if hasattr(out, "detach"):
            out = out.detach()
        value = np.asarray(out.numpy() if hasattr(out, "numpy") else out, dtype=np.float64)
    except Exception:                # noqa: BLE001
        raise _Failed(f"{what}(...) returned a {type(out).__name__}, not the loss") from None
    if value.shape != ():
        raise _Failed(f"{what}(...) returned shape {value.shape}: the loss of a batch is one "
                      f"number, the mean over the batch (the loss object does that)")
    return float(value)


def _weights(model):
    return [np.array(w) for w in model.get_weights()]


def _gap(a, b):
    return max(float(np.abs(p - q).max()) for p, q in zip(a, b))


def _keras_run(optimizer):
    """Keras's own steps: the model ``fit`` trains, one batch at a time."""
    model = _model()
    model.compile(optimizer=optimizer, loss=_loss())
    losses = [float(model.train_on_batch(x, y)) for x, y in _BATCHES]
    return model, losses


def _check_loss(train_step):
    model = _model()
    x, y = _BATCHES[0]
    expected = float(_loss()(y, model(x)).detach().numpy())
    got = _step(train_step, model, _loss(), keras.optimizers.SGD(0.1), x, y)
    if abs(got - expected) > 1e-10:
        after = float(_loss()(y, model(x)).detach().numpy())
        hint = (" -- that is the loss *after* the update: compute the loss inside the tape, "
                "before apply_gradients, and return that" if abs(got - after) < 1e-10 else "")
        raise _Failed(f"returned {got:.10f}, the batch's loss before the step is "
                      f"{expected:.10f}{hint}")
    return "returns the batch's loss (the mean over the batch, before the update)"


def _check_updates(train_step):
    model = _model()
    before = _weights(model)
    _step(train_step, model, _loss(), keras.optimizers.SGD(0.1), *_BATCHES[0])
    after = _weights(model)
    names = [w.name for w in model.weights]
    unchanged = [n for n, p, q in zip(names, before, after) if np.array_equal(p, q)]
    if len(unchanged) == len(names):
        raise _Failed("no weight changed: take the gradients with tape.gradient(loss, "
                      "model.trainable_variables) and give them to optimizer.apply_gradients("
                      "zip(grads, model.trainable_variables))")
    if unchanged:
        raise _Failed(f"{', '.join(unchanged)} did not change: update every trainable "
                      f"variable (model.trainable_variables), not only some")
    return "updates every trainable weight"


def _check_training_flag(train_step):
    model = _model(spy=True)
    spy = model.get_layer("spy")
    spy.seen.clear()
    _step(train_step, model, _loss(), keras.optimizers.SGD(0.1), *_BATCHES[0])
    if not spy.seen:
        raise _Failed("the model was never called")
    if spy.seen[0] is not True:
        raise _Failed(f"the model was called with training={spy.seen[0]!r}: fit calls it with "
                      f"training=True, so Dropout and BatchNormalization behave as in training")
    return "calls the model with training=True, as fit does"


def _check_equals_fit(train_step, optimizer_name, make_optimizer):
    reference, keras_losses = _keras_run(make_optimizer())
    model, optimizer = _model(), make_optimizer()
    losses = [_step(train_step, model, _loss(), optimizer, x, y) for x, y in _BATCHES]
    loss_gap = max(abs(a - b) for a, b in zip(losses, keras_losses))
    weight_gap = _gap(_weights(model), _weights(reference))
    if loss_gap > 1e-10 or weight_gap > 1e-10:
        raise _Failed(f"after {len(_BATCHES)} steps with {optimizer_name} the losses differ from "
                      f"Keras's by {loss_gap:.2e} and the weights by {weight_gap:.2e}: let the "
                      f"optimizer apply the gradients (optimizer.apply_gradients), of the loss "
                      f"computed by loss_fn(y, model(x, training=True))")
    return (f"{len(_BATCHES)} steps with {optimizer_name} give Keras's losses and weights "
            f"(float64, within 1e-10)")


def _check_traced(train_step):
    reference, keras_losses = _keras_run(keras.optimizers.Adam(0.01))
    model, optimizer, loss_fn = _model(), keras.optimizers.Adam(0.01), _loss()

    @tf.function
    def traced(x, y):
        return train_step(model, loss_fn, optimizer, x, y)

    with warnings.catch_warnings():      # a step that updates nothing runs eagerly, and says so
        warnings.simplefilter("ignore", UserWarning)
        losses = [_step(lambda m, l, o, x, y: traced(x, y), model, loss_fn, optimizer, x, y,
                        "tf.function(train_step)") for x, y in _BATCHES]
    gap = max(_gap(_weights(model), _weights(reference)),
              max(abs(a - b) for a, b in zip(losses, keras_losses)))
    if gap > 1e-10:
        raise _Failed(f"traced with tf.function, the step differs from Keras's by {gap:.2e}")
    if traced.tracing_count != 1:
        raise _Failed(f"traced {traced.tracing_count} times for batches of one shape")
    return "traced with tf.function (as fit traces it): the same numbers, one trace"


def check_train_step(train_step):
    """Check a hand-written Keras training step against Keras's own; print one line per
    check and "k of n checks pass"."""
    old = keras.backend.floatx()
    keras.backend.set_floatx("float64")
    checks = [
        ("loss", lambda: _check_loss(train_step)),
        ("updates", lambda: _check_updates(train_step)),
        ("training", lambda: _check_training_flag(train_step)),
        ("equals fit (SGD)", lambda: _check_equals_fit(
            train_step, "SGD(0.1)", lambda: keras.optimizers.SGD(0.1))),
        ("equals fit (Adam)", lambda: _check_equals_fit(
            train_step, "Adam(0.01)", lambda: keras.optimizers.Adam(0.01))),
        ("traced", lambda: _check_traced(train_step)),
    ]
    passed = 0
    try:
        for name, check in checks:
            try:
                print(f"  yes  {check()}")
                passed += 1
            except _Failed as e:
                print(f"  no   {name}: {e}")
    finally:
        keras.backend.set_floatx(old)
    print(f"{passed} of {len(checks)} checks pass")
    return passed == len(checks)
