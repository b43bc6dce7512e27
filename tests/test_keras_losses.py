"""More of keras.losses, keras.activations and keras.metrics by name and class,
each against the numbers tf_keras 2.21 gave for the same inputs
(/work/oracles/tf-venv; the recipe is written beside each table)."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras


# tf_keras 2.21: rng = np.random.default_rng(3); yt = rng.uniform(0.1, 2.0, (4, 3));
# yp = rng.uniform(0.05, 2.5, (4, 3)); yb = (rng.uniform(size=(4, 3)) > 0.5) * 1.0; pt, pp: yt, yp
# over their row sums; oh = eye(3)[[0, 2, 1, 1]]; sw = [1, 0.5, 2, 0]. Per loss: the mean of
# keras.losses.get(name)(a, b), then Class()(a, b, sample_weight=sw) and Class().name.
MORE_LOSSES = {
    'mape': [150.98556752143475, 99.84099005499495, 'mean_absolute_percentage_error'],
    'msle': [0.22591309069389115, 0.20633362677362985, 'mean_squared_logarithmic_error'],
    'hinge': [0.9002851030333022, 1.0630976808665622, 'hinge'],
    'squared_hinge': [1.222121294675298, 1.6480814143682858, 'squared_hinge'],
    'hinge_pm': [1.052234682780431],
    'categorical_hinge': [2.037259019850395, 1.6516869252187665, 'categorical_hinge'],
    'kld': [0.47815085062577023, 0.6884105058615506, 'kl_divergence'],
    'log_cosh': [0.35489814273743886, 0.2869531334687675, 'log_cosh'],
    'poisson': [1.4350500030407496, 1.4880771712717682, 'poisson'],
    'cosine_similarity': [0.1711164321342638, 0.06759040901384628, 'cosine_similarity'],
}
MORE_LOSS_CLASSES = {"mape": "MeanAbsolutePercentageError", "msle": "MeanSquaredLogarithmicError",
                     "hinge": "Hinge", "squared_hinge": "SquaredHinge",
                     "categorical_hinge": "CategoricalHinge", "kld": "KLDivergence",
                     "log_cosh": "LogCosh", "poisson": "Poisson",
                     "cosine_similarity": "CosineSimilarity"}


@pytest.mark.parametrize("name", sorted(MORE_LOSSES))
def test_more_losses_by_name_and_class_equal_tf_keras(name):
    rng = np.random.default_rng(3)
    yt, yp = rng.uniform(0.1, 2.0, (4, 3)), rng.uniform(0.05, 2.5, (4, 3))
    yb = (rng.uniform(size=(4, 3)) > 0.5) * 1.0
    pt, pp = yt / yt.sum(1, keepdims=True), yp / yp.sum(1, keepdims=True)
    cases = {"mape": (yt, yp), "msle": (yt, yp), "hinge": (yb, yp - 1),
             "squared_hinge": (yb, yp - 1), "hinge_pm": (yt - 1, yp - 1),
             "categorical_hinge": (np.eye(3)[[0, 2, 1, 1]], yp), "kld": (pt, pp),
             "log_cosh": (yt, yp), "poisson": (yt, yp), "cosine_similarity": (yt - 1, yp - 1)}
    a, b = cases[name]
    want = MORE_LOSSES[name]
    fn = keras.losses.get(name.replace("_pm", ""))
    np.testing.assert_allclose(fn(a, b).numpy().mean(), want[0], rtol=1e-13)
    if name in MORE_LOSS_CLASSES:
        loss = getattr(keras.losses, MORE_LOSS_CLASSES[name])()
        got = float(loss(a, b, sample_weight=np.array([1.0, 0.5, 2.0, 0.0])))
        np.testing.assert_allclose(got, want[1], rtol=1e-13)
        assert loss.name == want[2]


def test_more_activations_by_name_equal_tf_keras():
    # tf_keras 2.21, float64: keras.activations.get(name)(x) for this x
    x = tf.tensor(np.array([[-7.0, -2.5, -0.3, 0.0, 0.4, 2.0, 3.5, 8.0]]))
    want = {"hard_sigmoid": [0.0, 0.0, 0.44, 0.5, 0.58, 0.9, 1.0, 1.0],
            "relu6": [0.0, 0.0, 0.0, 0.0, 0.4, 2.0, 3.5, 6.0],
            "leaky_relu": [-1.4, -0.5, -0.06, 0.0, 0.4, 2.0, 3.5, 8.0],
            "mish": [-0.00638026341, -0.196816203907, -0.151133177138, 0.0, 0.289030534072,
                     1.943958959534, 3.493990715118, 7.999998200645]}
    for name, values in want.items():
        # (tf_keras rounds leaky_relu's slope 0.2 to float32: -1.400000020862)
        np.testing.assert_allclose(keras.activations.get(name)(x).numpy()[0], values,
                                   rtol=2e-8, atol=1e-12, err_msg=name)


def test_top_k_confusion_and_crossentropy_metrics_equal_tf_keras():
    # tf_keras 2.21 (float32): each metric updated with (a, b, sample_weight), then
    # with the first three rows; float(result()), name
    rng = np.random.default_rng(5)
    p = rng.uniform(size=(6, 4))
    p[0, 1] = p[0, 2]                                        # a tie at the top-2 boundary
    lab = np.array([2, 1, 0, 3, 3, 1])
    oh = np.eye(4)[lab]
    yb, pb = (rng.uniform(size=(6, 2)) > 0.5) * 1.0, rng.uniform(size=(6, 2))
    sw = np.array([1.0, 2.0, 0.0, 1.0, 0.5, 1.0])
    M = keras.metrics
    cases = [(M.TopKCategoricalAccuracy(k=2), oh, p, None, 0.4444444477558136),
             (M.SparseTopKCategoricalAccuracy(k=2), lab, p, sw, 0.5882353186607361),
             (M.Precision(), yb, pb, sw[:, None], 0.6875), (M.Recall(), yb, pb, None, 0.5),
             (M.Precision(thresholds=0.3, class_id=1), yb, pb, None, 0.5),
             (M.BinaryCrossentropy(), yb, pb, None, 0.6845327615737915),
             (M.CategoricalCrossentropy(), oh, p / p.sum(1, keepdims=True), None,
              2.0395114421844482),
             (M.SparseCategoricalCrossentropy(from_logits=True), lab, p, None,
              1.5343247652053833)]
    for metric, a, b, w, want in cases:
        metric.update_state(a, b, sample_weight=w)
        metric.update_state(a[:3], b[:3])
        np.testing.assert_allclose(float(metric.result()), want, rtol=1e-6, err_msg=metric.name)
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])
    model.compile("sgd", "mse",
                  metrics=["acc", "top_k_categorical_accuracy", "binary_crossentropy"])
    model.evaluate(np.zeros((4, 3)), np.eye(4), verbose=0)
    assert model.metrics_names == ["loss", "acc", "top_k_categorical_accuracy",
                                   "binary_crossentropy"]
