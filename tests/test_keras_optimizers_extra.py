"""Adamax, Nadam, AdamW and Ftrl: the numbers tf_keras gives, and their formulas.

The reference numbers were recorded by running the scripts quoted beside them
with real TensorFlow 2.21 + tf_keras 2.21 (Keras 2) in /work/oracles/tf-venv,
float64 (``keras.backend.set_floatx("float64")``). tinyflow's tests never import
TensorFlow. Each optimizer is also checked against its update formula written
out in numpy, with non-default arguments.
"""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

O = keras.optimizers


@pytest.fixture(autouse=True)
def _float64(float64_throughout):
    """Every test here runs in float64, as the tf_keras numbers were recorded."""


GRADS = [np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.3, -0.7]), np.array([-0.4, 0.2, 0.9])]
START = np.array([1.0, -2.0, 3.0])

# tf_keras 2.21, float64 (GRADS, START as above):
#   CASES = {"adamax": lambda: O.Adamax(), ...}              (the same calls as _optimizer)
#   for name, make in CASES.items():
#       opt, v = make(), tf.Variable(START)
#       for g in GRADS:
#           opt.apply_gradients([(tf.constant(g), v)])
#       print(f'"{name}": {v.numpy().tolist()},')
TF_KERAS = {
    "adamax": [0.998350222685996, -1.99855818234766, 2.998360830061334],
    "adamax_args": [0.8418429157542525, -1.8618186850319358, 2.836985316036755],
    "nadam": [0.9992531600294272, -1.999314645197004, 2.9987477432965535],
    "nadam_args": [0.9213152761266511, -1.9277552597416303, 2.8635892408668715],
    "adamw": [0.9980912952893358, -1.998343666645937, 2.998052692222906],
    "adamw_args": [0.8126636689462611, -1.8216808068296626, 2.773718272049707],
    "ftrl": [0.4650203926066856, -1.396479187647207, 2.530430415017083],
    "ftrl_args": [0.05358711128080686, -0.34690190530009835, 0.977136897356102],
    "ftrl_power0": [0.0, 0.09999999999999998, -0.9500000000000001],
    "adamax_wd": [0.8078907939755589, -1.798722338726696, 2.749259767646569],
}


def _optimizer(name):
    return {
        "adamax": lambda: O.Adamax(),
        "adamax_args": lambda: O.Adamax(0.1, beta_1=0.8, beta_2=0.95, epsilon=1e-3),
        "nadam": lambda: O.Nadam(),
        "nadam_args": lambda: O.Nadam(0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-3),
        "adamw": lambda: O.AdamW(),
        "adamw_args": lambda: O.AdamW(0.1, weight_decay=0.05, beta_1=0.8, beta_2=0.99,
                                      epsilon=1e-3, amsgrad=True),
        "ftrl": lambda: O.Ftrl(),
        "ftrl_args": lambda: O.Ftrl(0.1, learning_rate_power=-0.3, initial_accumulator_value=0.5,
                                    l1_regularization_strength=0.01,
                                    l2_regularization_strength=0.02,
                                    l2_shrinkage_regularization_strength=0.03, beta=0.5),
        "ftrl_power0": lambda: O.Ftrl(0.5, learning_rate_power=0.0,
                                      l1_regularization_strength=0.3),
        "adamax_wd": lambda: O.Adamax(0.1, weight_decay=0.1),
    }[name]()


def _run(opt, traced, variables=1):
    """START (and its reverse) stepped with GRADS (and their negatives)."""
    vs = [tf.Variable(START.copy()), tf.Variable(START[::-1].copy())][:variables]

    def step(g):
        opt.apply_gradients([(g, vs[0]), (-g, vs[-1])][:variables])
    run = tf.function(step) if traced else step
    for g in GRADS:
        with tf.no_grad():
            run(tf.tensor(g))
    if traced:
        assert run.tracing_count == 1
    return [v.detach().numpy() for v in vs]


@pytest.mark.parametrize("name", sorted(TF_KERAS))
@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
def test_updates_equal_tf_keras(name, traced):
    tol = 1e-13 if name == "ftrl_args" else 1e-15     # x**0.3: Eigen's pow, not libm's
    np.testing.assert_allclose(_run(_optimizer(name), traced)[0], TF_KERAS[name], rtol=tol,
                               atol=1e-15)


# tf_keras 2.21: opt = O.Nadam(0.1); a, b = tf.Variable(START), tf.Variable(START[::-1])
#   for g in GRADS: opt.apply_gradients([(tf.constant(g), a), (tf.constant(-g), b)])
# (eagerly. Traced by tf.function, tf_keras 2.21 advances Nadam's momentum product once
# per variable, not once per step -- its counter is a Python int frozen into the graph --
# giving a = [0.9217415793531641, ...]; tinyflow steps as tf_keras does eagerly, traced
# or not.)
NADAM_TWO = ([0.925316002942724, -1.9314645197004061, 2.874774329655337],
             [3.074683997057276, -2.068535480299594, 1.125225670344663])
# tf_keras 2.21: opt = O.AdamW(0.1, weight_decay=0.5)
#   opt.exclude_from_weight_decay(var_names=["bias"])
#   a, b = tf.Variable(START, name="kernel"), tf.Variable(START, name="bias")
#   for g in GRADS: opt.apply_gradients([(tf.constant(g), a), (tf.constant(g), b)])
ADAMW_EXCLUDE = ([0.6814684294763088, -1.5634048102867433, 2.3926755074888084],
                 [0.8103284029902763, -1.836765683979371, 2.8088682534830056])


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
def test_nadam_advances_its_momentum_schedule_once_a_step(traced):
    a, b = _run(O.Nadam(0.1), traced, variables=2)
    np.testing.assert_allclose(a, NADAM_TWO[0], rtol=1e-15)
    np.testing.assert_allclose(b, NADAM_TWO[1], rtol=1e-15)


def test_adamw_leaves_excluded_weights_undecayed():
    opt = O.AdamW(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    a, b = tf.Variable(START.copy(), name="kernel"), tf.Variable(START.copy(), name="bias")
    for g in GRADS:
        opt.apply_gradients([(tf.tensor(g), a), (tf.tensor(g), b)])
    np.testing.assert_allclose(a.detach().numpy(), ADAMW_EXCLUDE[0], rtol=1e-15)
    np.testing.assert_allclose(b.detach().numpy(), ADAMW_EXCLUDE[1], rtol=1e-15)
    with pytest.raises(ValueError, match="can only be configued before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["kernel"])
    opt = O.AdamW(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[b])
    opt.apply_gradients([(tf.tensor(np.zeros(3)), b)])
    np.testing.assert_array_equal(b.detach().numpy(), ADAMW_EXCLUDE[1])   # zero gradient


# --- the formulas, written out in numpy --------------------------------------------------

def f32(x):
    """tf.cast(python_float, float64): through float32 first."""
    return np.float64(np.float32(x))


def test_adamax_and_nadam_equal_their_formulas():
    w, m, u = START.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, 1):
        m = m + (g - m) * (1 - 0.8)
        u = np.maximum(0.95 * u, np.abs(g))
        w = w - 0.1 * m / ((1 - f32(0.8) ** t) * (u + 1e-3))
    np.testing.assert_allclose(_run(_optimizer("adamax_args"), False)[0], w, rtol=1e-14)

    b1, b2, decay = f32(0.8), f32(0.99), f32(0.96)
    w, m, v, product = START.copy(), np.zeros(3), np.zeros(3), 1.0
    for t, g in enumerate(GRADS, 1):
        u_t, u_next = b1 * (1 - 0.5 * decay ** t), b1 * (1 - 0.5 * decay ** (t + 1))
        product = product * u_t
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        m_hat = u_next * m / (1 - product * u_next) + (1 - u_t) * g / (1 - product)
        v_hat = v / (1 - b2 ** t)
        w = w - m_hat * 0.1 / (np.sqrt(v_hat) + 1e-3)
    np.testing.assert_allclose(_run(_optimizer("nadam_args"), False)[0], w, rtol=1e-14)


def test_adamw_and_ftrl_equal_their_formulas():
    w, m, v, v_max = START.copy(), np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, 1):
        w = w - w * f32(0.05) * 0.1                       # the decoupled decay, first
        m = m + (g - m) * (1 - 0.8)
        v = v + (g * g - v) * (1 - 0.99)
        v_max = np.maximum(v_max, v)                      # amsgrad
        alpha = 0.1 * np.sqrt(1 - f32(0.99) ** t) / (1 - f32(0.8) ** t)
        w = w - m * alpha / (np.sqrt(v_max) + 1e-3)
    np.testing.assert_allclose(_run(_optimizer("adamw_args"), False)[0], w, rtol=1e-14)

    lr, p, l1, l2, shrink, beta = 0.1, 0.3, 0.01, 0.02, 0.03, 0.5
    w, n, z = START.copy(), np.full(3, f32(0.5)), np.zeros(3)
    for g in GRADS:
        n_new = n + g * g
        z = z + (g + 2 * shrink * w) - (n_new ** p - n ** p) / lr * w
        quadratic = n_new ** p / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quadratic
        n = n_new
    np.testing.assert_allclose(_run(_optimizer("ftrl_args"), False)[0], w, rtol=1e-13)


def test_ftrl_l1_makes_weights_exactly_zero():
    w = tf.Variable(np.array([1.0, 1.0, -1.0]))
    O.Ftrl(0.5, l1_regularization_strength=0.3).apply_gradients(
        [(tf.tensor([0.1, 2.0, -0.2]), w)])
    got = w.detach().numpy()
    assert got[0] == 0.0 and got[2] == 0.0 and got[1] != 0.0


# --- names, defaults, configs, errors -----------------------------------------------------

# tf_keras 2.21, float64: print(cls().get_config()) for each class
CONFIGS = {
    "Adamax": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07},
    "Nadam": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07},
    "AdamW": {"weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
              "amsgrad": False},
    "Ftrl": {"learning_rate_power": -0.5, "initial_accumulator_value": 0.1,
             "l1_regularization_strength": 0.0, "l2_regularization_strength": 0.0,
             "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0},
}
COMMON = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
          "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
          "jit_compile": False, "is_legacy_optimizer": False, "learning_rate": 0.001}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_defaults_and_config_equal_tf_keras(name):
    cls = getattr(O, name)
    assert cls().get_config() == {**COMMON, "name": name, **CONFIGS[name]}
    opt = cls(learning_rate=0.05, name="mine", clipnorm=1.0)
    again = O.deserialize(O.serialize(opt))
    assert type(again) is cls and again.get_config() == opt.get_config()
    assert again.get_config()["learning_rate"] == 0.05


# tf_keras 2.21: type(O.get(s)).__name__ -- its deserialize lower-cases built-in names
@pytest.mark.parametrize("spelling,cls", [
    ("adamax", "Adamax"), ("Nadam", "Nadam"), ("NADAM", "Nadam"), ("adamw", "AdamW"),
    ("AdamW", "AdamW"), ("ftrl", "Ftrl"), ("Ftrl", "Ftrl"), ("ADAM", "Adam"), ("sgd", "SGD")])
def test_names_resolve_in_any_case(spelling, cls):
    assert type(O.get(spelling)).__name__ == cls
    assert type(O.get({"class_name": spelling, "config": {}})).__name__ == cls
    assert not isinstance(O.AdamW(), O.Adam)         # as in Keras: AdamW is not an Adam


# tf_keras 2.21: the exception type and message of each call
ERRORS = [
    (lambda: O.Nadam(momentum_decay=0.004), TypeError,
     "momentum_decay is not a valid argument, kwargs should be empty  for "
     "`optimizer_experimental.Optimizer`."),
    (lambda: O.AdamW(weight_decay=None), ValueError,
     "Missing value of `weight_decay` which is required and must be a float value."),
    (lambda: O.Ftrl(learning_rate_power=0.5), ValueError,
     "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=0.5."),
    (lambda: O.Ftrl(initial_accumulator_value=-1.0), ValueError,
     "`initial_accumulator_value` needs to be positive or zero. Received: "
     "initial_accumulator_value=-1.0."),
    (lambda: O.Ftrl(l1_regularization_strength=-1), ValueError,
     "`l1_regularization_strength` needs to be positive or zero. Received: "
     "l1_regularization_strength=-1."),
    (lambda: O.Ftrl(l2_shrinkage_regularization_strength=-1), ValueError,
     "`l2_shrinkage_regularization_strength` needs to be positive or zero. Received: "
     "l2_shrinkage_regularization_strength=-1."),
    (lambda: O.get("nonexistent"), ValueError, "Unknown optimizer: 'nonexistent'. Please ensure"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_are_tf_keras_errors(i):
    make, error, message = ERRORS[i]
    with pytest.raises(error) as info:
        make()
    assert str(info.value).startswith(message)


# --- in compile and fit --------------------------------------------------------------------

X = np.linspace(-1, 1, 24).reshape(12, 2)
Y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1], "float64")

# tf_keras 2.21, float64, X and Y as above:
#   m = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
#   m.set_weights([np.array([[0.5], [-1.0]]), np.array([0.1])])
#   m.compile(optimizer=name, loss="binary_crossentropy", run_eagerly=True)
#   m.fit(X, Y, epochs=2, batch_size=5, shuffle=False, verbose=0)
#   print(name, [w.ravel().tolist() for w in m.get_weights()])
# (run_eagerly: see NADAM_TWO; the other three give the same numbers traced.)
FIT = {
    "adamax": [[0.5032639481723882, -0.9968889147145894], [0.10164428687326539]],
    "nadam": [[0.5041752433247308, -0.9959834685510786], [0.10213307913237746]],
    "adamw": [[0.5045242025192872, -0.9955274161353198], [0.10238331724810133]],
    "ftrl": [[0.0039774311097365575, -0.0038231731419794547], [0.0013487413851954676]],
}


def _model(optimizer, run_eagerly=False):
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.set_weights([np.array([[0.5], [-1.0]]), np.array([0.1])])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", run_eagerly=run_eagerly)
    return model


@pytest.mark.parametrize("name", sorted(FIT))
@pytest.mark.parametrize("run_eagerly", [False, True], ids=["traced", "eager"])
def test_compile_by_name_and_fit_equal_tf_keras(name, run_eagerly):
    model = _model(name, run_eagerly)
    model.fit(X, Y, epochs=2, batch_size=5, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), FIT[name]):
        np.testing.assert_allclose(got.ravel(), want, rtol=1e-12)


def test_a_reloaded_nadam_continues_where_it_stopped(tmp_path):
    """tinyflow saves Nadam's momentum product with its other variables (tf_keras 2.21
    keeps it outside ``optimizer.variables``, so its reloaded Nadam restarts it at 1)."""
    straight = _model(O.Nadam(0.05))
    straight.fit(X, Y, epochs=3, batch_size=5, shuffle=False, verbose=0)
    model = _model(O.Nadam(0.05))
    model.fit(X, Y, epochs=2, batch_size=5, shuffle=False, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is O.Nadam and int(loaded.optimizer.iterations) == 6
    loaded.fit(X, Y, epochs=1, batch_size=5, shuffle=False, verbose=0)
    for got, want in zip(loaded.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-12)


# tf_keras 2.21: a, b = tf.Variable(np.ones(2), name="a"), tf.Variable(np.ones(3), name="b");
# opt.apply_gradients([(tf.constant(np.ones(2)), a), (tf.constant(np.ones(3)), b)]);
# [v.name for v in opt.variables], callable(opt.variables)
TF_KERAS_VARIABLES = {
    "SGD(momentum=0.9)": ["iteration:0", "SGD/m/a:0", "SGD/m/b:0"],
    "Adam(amsgrad=True)": ["iteration:0", "Adam/m/a:0", "Adam/v/a:0", "Adam/m/b:0",
                           "Adam/v/b:0", "Adam/vhat/a:0", "Adam/vhat/b:0"],
    "RMSprop(momentum=0.5, centered=True)": [
        "iteration:0", "RMSprop/velocity/a:0", "RMSprop/velocity/b:0", "RMSprop/momentum/a:0",
        "RMSprop/momentum/b:0", "RMSprop/average_gradient/a:0", "RMSprop/average_gradient/b:0"],
    "Adagrad()": ["iteration:0", "Adagrad/accumulator/a:0", "Adagrad/accumulator/b:0"],
    "Adamax()": ["iteration:0", "Adamax/m/a:0", "Adamax/u/a:0", "Adamax/m/b:0", "Adamax/u/b:0"],
    # tf_keras keeps Nadam's momentum product outside its variables (so a reloaded model
    # restarts it); tinyflow keeps it as a variable, second
    "Nadam()": ["iteration:0", "Nadam/u_product:0", "Nadam/m/a:0", "Nadam/v/a:0", "Nadam/m/b:0",
                "Nadam/v/b:0"],
    "AdamW()": ["iteration:0", "AdamW/m/a:0", "AdamW/v/a:0", "AdamW/m/b:0", "AdamW/v/b:0"],
    "Ftrl()": ["iteration:0", "Ftrl/accumulator/a:0", "Ftrl/linear/a:0", "Ftrl/accumulator/b:0",
               "Ftrl/linear/b:0"],
}


@pytest.mark.parametrize("spelled", list(TF_KERAS_VARIABLES))
def test_optimizer_variables_are_named_and_ordered_as_tf_keras(spelled):
    import tinyflow.compat.v2 as tf2
    opt = eval("keras.optimizers." + spelled)
    a, b = tf2.Variable(np.ones(2), name="a"), tf2.Variable(np.ones(3), name="b")
    opt.apply_gradients([(tf2.constant(np.ones(2)), a), (tf2.constant(np.ones(3)), b)])
    assert [v.name for v in opt.variables] == TF_KERAS_VARIABLES[spelled]
    assert opt.variables() == opt.variables          # the older spelling, a call, works too
