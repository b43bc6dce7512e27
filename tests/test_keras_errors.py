"""Bad input gets Keras's errors (issue #20's proof): ``fit`` before ``compile``, a
loss name that does not exist, labels of the wrong shape for the loss, an input
shape that does not fit the first layer (naming the layer and both shapes).

Every expected message below is tf_keras's own, printed by TensorFlow 2.21 +
tf_keras 2.21 (/work/oracles/tf-venv) for the same model and data: a Sequential
Dense(8, relu, input_shape=(4,)) -> Dense(3, softmax or sigmoid), x of shape (10, 4).
tf_keras checks shapes with the batch size unknown (None) inside its traced step
and known (10) eagerly; tinyflow traces with the batch's real shape, so its
messages are tf_keras's eager ones in both modes (marked where they differ)."""
import re

import numpy as np
import pytest

from tinyflow import keras
from tinyflow.base.errors import InvalidArgumentError

L = keras.layers
X, Y = np.zeros((10, 4), "float32"), np.zeros(10, "int64")
MODES = pytest.mark.parametrize("run_eagerly", [False, True], ids=["graph", "eager"])


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()


def _model(last="softmax"):
    return keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)),
                             L.Dense(3, activation=last)])


def _compiled(loss, run_eagerly, last="softmax"):
    model = _model(last)
    model.compile(optimizer="adam", loss=loss, run_eagerly=run_eagerly)
    return model


def test_training_before_compile():
    model = _model()
    message = re.escape("You must compile your model before training/testing. Use "
                        "`model.compile(optimizer, loss)`.")
    for run in (lambda: model.fit(X, Y, verbose=0), lambda: model.evaluate(X, Y, verbose=0),
                lambda: model.train_on_batch(X, Y), lambda: model.test_on_batch(X, Y)):
        with pytest.raises(RuntimeError, match=message):
            run()
    assert model.predict(X, verbose=0).shape == (10, 3)     # predict needs no compile


def test_a_loss_or_optimizer_name_that_does_not_exist():
    # tf_keras's words; tf_keras raises the loss's at the first fit, tinyflow already at
    # compile (the line that has the typo).
    scope = ("Please ensure you are using a `keras.utils.custom_object_scope` and that this "
             "object is included in the scope. See https://www.tensorflow.org/guide/keras/"
             "save_and_serialize#registering_the_custom_object for details.")
    with pytest.raises(ValueError, match=re.escape(f"Unknown loss function: 'nonexistent'. "
                                                   f"{scope}")):
        _model().compile(optimizer="adam", loss="nonexistent")
    with pytest.raises(ValueError, match=re.escape(f"Unknown optimizer: 'nonexistent'. "
                                                   f"{scope}")):
        _model().compile(optimizer="nonexistent", loss="mse")


@MODES
def test_integer_labels_for_categorical_crossentropy(run_eagerly):
    model = _compiled("categorical_crossentropy", run_eagerly)
    with pytest.raises(ValueError, match=re.escape("Shapes (10, 1) and (10, 3) are "
                                                   "incompatible")):
        model.fit(X, Y, verbose=0)


def test_one_hot_labels_for_sparse_categorical_crossentropy():
    one_hot = np.eye(3)[np.arange(10) % 3]
    # eagerly: TensorFlow's shape check before the kernel
    model = _compiled("sparse_categorical_crossentropy", run_eagerly=True)
    with pytest.raises(ValueError, match=re.escape(
            "`labels.shape` must equal `logits.shape` except for the last dimension. "
            "Received: labels.shape=(30,) and logits.shape=(10, 3)")):
        model.fit(X, one_hot, verbose=0)
    # traced: the kernel's InvalidArgumentError
    model = _compiled("sparse_categorical_crossentropy", run_eagerly=False)
    with pytest.raises(InvalidArgumentError, match=re.escape(
            "logits and labels must have the same first dimension, got logits shape [10,3] "
            "and labels shape [30]")):
        model.fit(X, one_hot, verbose=0)


@MODES
def test_labels_of_the_wrong_width_for_binary_crossentropy(run_eagerly):
    # tf_keras traced: "received ((None, 3) vs (None, 2))"
    model = _compiled("binary_crossentropy", run_eagerly, last="sigmoid")
    with pytest.raises(ValueError, match=re.escape(
            "`logits` and `labels` must have the same shape, received ((10, 3) vs (10, 2)).")):
        model.fit(X, np.zeros((10, 2)), verbose=0)


@MODES
def test_labels_of_the_wrong_width_for_mean_squared_error(run_eagerly):
    # tf_keras traced: "Dimensions must be equal, but are 3 and 5 for '{{node
    # mean_squared_error/SquaredDifference}} = SquaredDifference[T=DT_FLOAT](...)' with
    # input shapes: [?,3], [?,5]." (eagerly TensorFlow's kernel message instead)
    model = _compiled("mse", run_eagerly)
    with pytest.raises(ValueError, match=re.escape(
            "Dimensions must be equal, but are 3 and 5 for 'mean_squared_error' with input "
            "shapes: [10,3], [10,5].")):
        model.fit(X, np.zeros((10, 5)), verbose=0)


@MODES
def test_an_input_that_does_not_fit_the_first_layer(run_eagerly):
    model = _compiled("sparse_categorical_crossentropy", run_eagerly)
    # tf_keras traced says found shape=(None, 5)
    message = re.escape('Input 0 of layer "sequential" is incompatible with the layer: '
                        'expected shape=(None, 4), found shape=(10, 5)')
    with pytest.raises(ValueError, match=message):
        model.fit(np.zeros((10, 5)), Y, verbose=0)
    with pytest.raises(ValueError, match=message):
        model.predict(np.zeros((10, 5)), verbose=0)
    with pytest.raises(ValueError, match=message):
        model(np.zeros((10, 5)))
    # the right last axis but one axis too many: the Dense layer inside says so
    with pytest.raises(ValueError, match=re.escape(
            'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of '
            'input shape to have value 4, but received input with shape (10, 4, 2)')):
        model.fit(np.zeros((10, 4, 2)), Y, verbose=0)
