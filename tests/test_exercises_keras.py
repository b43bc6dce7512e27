"""The checker of lesson 10's exercise (notebooks/exercises/keras.py): Keras's training step
written by hand with a GradientTape. It passes a right answer and fails wrong ones, each with
the check and the hint that say what is wrong."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))

import tinyflow.compat.v2 as tf  # noqa: E402
from exercises.keras import check_train_step  # noqa: E402


def _report(capsys, answer):
    ok = check_train_step(answer)
    out = capsys.readouterr().out
    failed = {line.split(":")[0].strip()[len("no"):].strip()
              for line in out.splitlines() if line.startswith("  no ")}
    return ok, out, failed


def right(model, loss_fn, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def test_a_right_step_passes_every_check(capsys):
    ok, out, failed = _report(capsys, right)
    assert ok and not failed, out
    assert out.strip().splitlines()[-1] == "6 of 6 checks pass"


def stub(model, loss_fn, optimizer, x, y):
    return None


def raises(model, loss_fn, optimizer, x, y):
    raise RuntimeError("not written yet")


def no_update(model, loss_fn, optimizer, x, y):
    return loss_fn(y, model(x, training=True))


def first_layer_only(model, loss_fn, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    variables = model.layers[0].trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def no_training_flag(model, loss_fn, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def loss_after_update(model, loss_fn, optimizer, x, y):
    right(model, loss_fn, optimizer, x, y)
    return loss_fn(y, model(x, training=True))


def hand_sgd(model, loss_fn, optimizer, x, y):
    """Plain gradient descent instead of the optimizer: right for SGD(0.1) only."""
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    for v, g in zip(model.trainable_variables, grads):
        v.assign_sub(0.1 * g)
    return loss


def per_example_loss(model, loss_fn, optimizer, x, y):
    right(model, loss_fn, optimizer, x, y)
    return tf.keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True)


def wrong_loss(model, loss_fn, optimizer, x, y):
    """Softmax cross-entropy on probabilities, as if from_logits were False."""
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.keras.losses.SparseCategoricalCrossentropy()(y, tf.nn.softmax(logits * 2.0))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


@pytest.mark.parametrize("answer, expected", [
    (stub, {"loss", "updates", "training", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
    (raises, {"loss", "updates", "training", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
    (no_update, {"updates", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
    (first_layer_only, {"updates", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
    (no_training_flag, {"training"}),
    (loss_after_update, {"loss", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
    (hand_sgd, {"equals fit (Adam)", "traced"}),
    (per_example_loss, {"loss", "updates", "training", "equals fit (SGD)", "equals fit (Adam)",
                        "traced"}),
    (wrong_loss, {"loss", "equals fit (SGD)", "equals fit (Adam)", "traced"}),
])
def test_wrong_steps_fail_the_checks_that_catch_them(capsys, answer, expected):
    ok, out, failed = _report(capsys, answer)
    assert not ok
    assert failed == expected, out
    assert out.strip().splitlines()[-1] == f"{6 - len(expected)} of 6 checks pass"


def test_hints_say_what_to_do(capsys):
    _, out, _ = _report(capsys, loss_after_update)
    assert "the loss *after* the update" in out
    _, out, _ = _report(capsys, first_layer_only)
    assert "did not change" in out and "model.trainable_variables" in out
    _, out, _ = _report(capsys, no_training_flag)
    assert "training=None" in out and "training=True" in out


def test_the_checker_leaves_keras_in_float32():
    from tinyflow import keras
    check_train_step(stub)
    assert keras.backend.floatx() == "float32"
