"""Keras models: Sequential, functional (several inputs and outputs) and subclassed;
their layers and weights (in Keras's order), configs, and ``summary()`` -- the
tables below were printed by tf_keras 2.21 (/work/oracles/tf-venv) for the same
models, and tinyflow must print them character for character (each line padded
to the table's width, as Keras pads it)."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

L = keras.layers


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.set_floatx("float32")


def _summary(model):
    lines = []
    model.summary(print_fn=lines.append)
    return lines


def _check(lines, expected):
    """Keras pads every table line to the table's width; compare without the padding."""
    width = len(lines[1])
    for line in lines:
        if not line.startswith(("Model:", "Total", "Trainable", "Non-trainable")):
            assert len(line) == width, repr(line)
    assert "\n".join(l.rstrip() for l in lines) == expected.rstrip("\n")


CNN = """\
Model: "cnn"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 conv2d (Conv2D)             (None, 8, 8, 8)           80

 batch_normalization (Batch  (None, 8, 8, 8)           32
 Normalization)

 max_pooling2d (MaxPooling2  (None, 4, 4, 8)           0
 D)

 conv2d_1 (Conv2D)           (None, 2, 2, 16)          1168

 global_average_pooling2d (  (None, 16)                0
 GlobalAveragePooling2D)

 dense (Dense)               (None, 10)                170

=================================================================
Total params: 1450 (5.66 KB)
Trainable params: 1434 (5.60 KB)
Non-trainable params: 16 (64.00 Byte)
_________________________________________________________________
"""

FUNCTIONAL = """\
Model: "model"
__________________________________________________________________________________________________
 Layer (type)                Output Shape                 Param #   Connected to
==================================================================================================
 a (InputLayer)              [(None, 4)]                  0         []

 b (InputLayer)              [(None, 3)]                  0         []

 ha (Dense)                  (None, 5)                    25        ['a[0][0]']

 dense (Dense)               (None, 5)                    20        ['b[0][0]']

 concatenate (Concatenate)   (None, 10)                   0         ['ha[0][0]',
                                                                     'dense[0][0]']

 out1 (Dense)                (None, 2)                    22        ['concatenate[0][0]']

 out2 (Dense)                (None, 1)                    6         ['ha[0][0]']

==================================================================================================
Total params: 73 (292.00 Byte)
Trainable params: 73 (292.00 Byte)
Non-trainable params: 0 (0.00 Byte)
__________________________________________________________________________________________________
"""

SUBCLASSED = """\
Model: "two_dense"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               multiple                  16

 dense_1 (Dense)             multiple                  10

=================================================================
Total params: 26 (104.00 Byte)
Trainable params: 26 (104.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________
"""

EMBEDDING = """\
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 embedding (Embedding)       (None, 5, 8)              800

 flatten (Flatten)           (None, 40)                0

 reshape (Reshape)           (None, 5, 8)              0

 activation (Activation)     (None, 5, 8)              0

 dropout (Dropout)           (None, 5, 8)              0

=================================================================
Total params: 800 (3.12 KB)
Trainable params: 800 (3.12 KB)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________
"""

BIG = """\
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               (None, 1000)              785000

 dense_1 (Dense)             (None, 1000)              1001000

=================================================================
Total params: 1786000 (6.81 MB)
Trainable params: 1786000 (6.81 MB)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________
"""


def _two_input_model():
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(3,), name="b")
    h = L.Dense(5, name="ha")(a)
    c = L.Concatenate()([h, L.Dense(5)(b)])
    return keras.Model([a, b], [L.Dense(2, name="out1")(c), L.Dense(1, name="out2")(h)])


class TwoDense(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1, self.d2 = L.Dense(4), L.Dense(2)

    def call(self, x, training=None):
        return self.d2(self.d1(x))


def test_summaries_print_as_tf_keras():
    cnn = keras.Sequential([
        L.Conv2D(8, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
        L.BatchNormalization(), L.MaxPooling2D(), L.Conv2D(16, 3),
        L.GlobalAveragePooling2D(), L.Dense(10, activation="softmax")], name="cnn")
    _check(_summary(cnn), CNN)
    keras.backend.clear_session()
    _check(_summary(_two_input_model()), FUNCTIONAL)
    keras.backend.clear_session()
    sub = TwoDense()
    sub(np.zeros((1, 3), "float32"))
    _check(_summary(sub), SUBCLASSED)
    keras.backend.clear_session()
    _check(_summary(keras.Sequential([L.Embedding(100, 8, input_length=5), L.Flatten(),
                                      L.Reshape((5, 8)), L.Activation("relu"),
                                      L.Dropout(0.5)])), EMBEDDING)
    keras.backend.clear_session()
    _check(_summary(keras.Sequential([L.Dense(1000, input_shape=(784,)), L.Dense(1000)])), BIG)


def test_summary_of_an_unbuilt_model_is_keras_error():
    with pytest.raises(ValueError, match="This model has not yet been built. Build the model "
                                         "first by calling `build\\(\\)` or by calling the "
                                         "model on a batch of data."):
        keras.Sequential([L.Dense(3)]).summary()


def test_sequential_ways_to_give_the_input_shape():
    for first in ([L.Dense(4, input_shape=(3,))], [keras.Input(shape=(3,)), L.Dense(4)],
                  [L.InputLayer(input_shape=(3,)), L.Dense(4)]):
        model = keras.Sequential(first + [L.Dense(2)])
        assert model.built and model.input_shape == (None, 3) and model.output_shape == (None, 2)
        assert [type(l).__name__ for l in model.layers] == ["Dense", "Dense"]
    lazy = keras.Sequential()
    lazy.add(L.Dense(4))
    lazy.add(L.Dense(2))
    assert not lazy.built
    assert tuple(lazy(np.ones((5, 3), "float32")).shape) == (5, 2)
    assert lazy.built and lazy.count_params() == 3 * 4 + 4 + 4 * 2 + 2
    lazy.pop()
    assert [l.name for l in lazy.layers] == [lazy.layers[0].name]
    built = keras.Sequential([L.Dense(2)])
    built.build((None, 7))
    assert built.layers[0].kernel.shape == (7, 2)


def test_functional_model_with_several_inputs_and_outputs():
    model = _two_input_model()
    a, b = np.ones((3, 4), "float32"), np.ones((3, 3), "float32")
    out1, out2 = model([a, b])
    assert tuple(out1.shape) == (3, 2) and tuple(out2.shape) == (3, 1)
    same = model({"a": a, "b": b})                         # inputs by name
    np.testing.assert_array_equal(same[0].numpy(), out1.numpy())
    assert model.input_names == ["a", "b"] and model.output_names == ["out1", "out2"]
    assert [l.name for l in model.layers] == ["a", "b", "ha", "dense", "concatenate", "out1",
                                              "out2"]
    # by hand, from the layers' weights
    ha, d, o1 = (model.get_layer(n).get_weights() for n in ("ha", "dense", "out1"))
    h = a @ ha[0] + ha[1]
    np.testing.assert_allclose(out1.numpy(), np.concatenate([h, b @ d[0] + d[1]], 1) @ o1[0]
                               + o1[1], rtol=1e-6)
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        model({"a": a})


def test_a_model_is_a_layer_of_another():
    inner = keras.Sequential([L.Dense(3, input_shape=(4,))], name="inner")
    x = keras.Input((4,))
    outer = keras.Model(x, L.Dense(1)(inner(x)))
    assert [l.name for l in outer.layers][1] == "inner"
    assert outer.count_params() == 15 + 4
    assert tuple(outer(np.ones((2, 4), "float32")).shape) == (2, 1)


def test_graph_disconnected_and_non_input_errors():
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    y = L.Add()([a, b])
    with pytest.raises(ValueError, match='Graph disconnected: cannot obtain value for tensor '
                                         '.* at layer "b"'):
        keras.Model(a, y)
    with pytest.raises(ValueError, match="Input tensors to a Functional must come from "
                                         "`tf.keras.Input`"):
        keras.Model(y, L.Dense(1)(y))


def test_subclassed_model_builds_in_call_and_tracks_its_layers():
    model = TwoDense()
    assert model.weights == [] and model.name == "two_dense"
    model(np.ones((2, 3), "float32"))
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0",
                                               "dense_1/bias:0"]
    other = TwoDense()
    other.build((None, 3))                              # Keras's build on a shape
    assert other.count_params() == model.count_params() == 26
    with pytest.raises(NotImplementedError, match="Unimplemented `tf.keras.Model.call\\(\\)`"):
        keras.Model()(np.ones((1, 2)))


def test_weights_are_in_keras_order_layer_by_layer():
    # tf_keras orders model.weights layer by layer (each layer: trainable, then not)
    model = keras.Sequential([L.Dense(2, input_shape=(3,)), L.BatchNormalization(), L.Dense(1)])
    assert [w.name for w in model.weights] == [
        "dense/kernel:0", "dense/bias:0", "batch_normalization/gamma:0",
        "batch_normalization/beta:0", "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert [w.name for w in model.trainable_weights] == [
        "dense/kernel:0", "dense/bias:0", "batch_normalization/gamma:0",
        "batch_normalization/beta:0", "dense_1/kernel:0", "dense_1/bias:0"]
    values = [np.full(w.shape, i, "float32") for i, w in enumerate(model.weights)]
    model.set_weights(values)
    assert [float(w[()] if w.ndim == 0 else w.flat[0]) for w in model.get_weights()] == \
        list(range(8))
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 4 and len(model.non_trainable_weights) == 4


def test_outputs_are_plain_tensors_outside_a_gradient_tape():
    # TF2: nothing records outside a GradientTape, so model(x).numpy() just works
    model = keras.Sequential([L.Dense(2, input_shape=(3,))])
    y = model(np.ones((1, 3), "float32"))
    assert not y.requires_grad and y.numpy().shape == (1, 2)
    with tf.GradientTape() as tape:
        loss = model(np.ones((1, 3), "float32")).sum()
    grads = tape.gradient(loss, model.trainable_weights)
    np.testing.assert_allclose(grads[0].numpy(), np.ones((3, 2)))


def test_inputs_are_cast_to_floatx_as_keras_feeds_them():
    keras.backend.set_floatx("float64")
    model = keras.Sequential([L.Dense(2, input_shape=(3,))])
    assert model(np.ones((1, 3), "float32")).dtype == tf.float64
    assert model.layers[0].kernel.dtype == tf.float64


def test_config_round_trip_rebuilds_the_architecture():
    model = _two_input_model()
    clone = keras.models.clone_model(model)
    assert [type(l).__name__ for l in clone.layers] == [type(l).__name__ for l in model.layers]
    assert clone.count_params() == model.count_params()
    seq = keras.Sequential([L.Conv2D(2, 3, input_shape=(5, 5, 1)), L.Flatten(), L.Dense(1)])
    again = keras.models.model_from_json(seq.to_json())
    assert again.output_shape == (None, 1) and again.count_params() == seq.count_params()
