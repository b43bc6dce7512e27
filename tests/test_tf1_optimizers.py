"""TF1's optimizers: RMSProp, Adagrad and Adadelta step for step as TensorFlow 2.21
computes them (tf.compat.v1 with disable_v2_behavior(), recorded on this machine: loss
sum(w**3 + 0.5 w**2) from w = [1, -2, 0.5], the weights after steps 1, 3 and 6) and as a
numpy transcription of TF1's kernels; the graph TF1 lays out (slot names, op names);
compute_gradients / apply_gradients / minimize and their mistakes."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf

W0 = np.array([1.0, -2.0, 0.5])

TF_STEPS = {      # (optimizer, dtype) -> w after steps 1, 3 and 6, printed by TensorFlow 2.21
    ("rmsprop_default", "float32"): [[0.9747017621994019, -2.0302891731262207, 0.48783740401268005], [0.9378369450569153, -2.0725700855255127, 0.46541666984558105], [0.8955279588699341, -2.121307373046875, 0.4350590109825134]],  # noqa: E501
    ("rmsprop_mom_centered", "float32"): [[0.8908910751342773, -2.1219875812530518, 0.4390062689781189], [0.612009584903717, -2.4872798919677734, 0.27226418256759644], [0.3000720143318176, -3.189861297607422, 0.09432470798492432]],  # noqa: E501
    ("adagrad_default", "float32"): [[0.7009330987930298, -2.2998502254486084, 0.20916247367858887], [0.46475887298583984, -2.7532804012298584, 0.09129054099321365], [0.3032342493534088, -3.2929129600524902, 0.03592147305607796]],  # noqa: E501
    ("adagrad_init", "float32"): [[0.7089571952819824, -2.298511266708374, 0.2657393515110016], [0.4736386239528656, -2.751206159591675, 0.13087132573127747], [0.31104525923728943, -3.290571451187134, 0.059838853776454926]],  # noqa: E501
    ("adadelta_default", "float32"): [[0.9999995231628418, -2.000000476837158, 0.4999995529651642], [0.9999985694885254, -2.0000014305114746, 0.49999865889549255], [0.9999971389770508, -2.000002861022949, 0.49999725818634033]],  # noqa: E501
    ("adadelta_custom", "float32"): [[0.9968377351760864, -2.003162384033203, 0.4968377351760864], [0.9903214573860168, -2.009725570678711, 0.4903455376625061], [0.9803316593170166, -2.019956588745117, 0.4804779589176178]],  # noqa: E501
    ("rmsprop_default", "float64"): [[0.9747017810940878, -2.030289122684132, 0.4878373939643816], [0.9378370142260701, -2.072569936912287, 0.4654166848779434], [0.8955280240306857, -2.12130737573341, 0.4350590151956616]],  # noqa: E501
    ("rmsprop_mom_centered", "float64"): [[0.8908910678280405, -2.1219875098592555, 0.43900627359810346], [0.6120095467508939, -2.4872799607843996, 0.2722641859243826], [0.30007202320791326, -3.189861386305942, 0.09432470739690951]],  # noqa: E501
    ("adagrad_default", "float64"): [[0.7009331163486141, -2.299850124321305, 0.20916246306959962], [0.46475887400274174, -2.7532801851433693, 0.09129053408226308], [0.30323424426043566, -3.292912683763567, 0.03592147158731123]],  # noqa: E501
    ("adagrad_init", "float64"): [[0.7089572383914007, -2.2985111689247644, 0.2657393478584093], [0.4736386308832676, -2.7512061305245252, 0.13087131494529877], [0.3110452474299497, -3.290571351742601, 0.05983885151336206]],  # noqa: E501
    ("adadelta_default", "float64"): [[0.9999995527864407, -2.0000004472135617, 0.4999995527864666], [0.9999986431116757, -2.0000013568892774, 0.49999864311223635], [0.9999972571641396, -2.0000027428415725, 0.49999725716719984]],  # noqa: E501
    ("adadelta_custom", "float64"): [[0.9968377237090074, -2.0031622771210897, 0.4968377328400327], [0.9903214337908801, -2.009725634091586, 0.4903455530088785], [0.9803316801617277, -2.019956758425325, 0.4804779597861961]],  # noqa: E501
}

MAKE = {
    "rmsprop_default": lambda: tf.train.RMSPropOptimizer(0.01),
    "rmsprop_mom_centered": lambda: tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5,
                                                              epsilon=1e-6, centered=True),
    "adagrad_default": lambda: tf.train.AdagradOptimizer(0.3),
    "adagrad_init": lambda: tf.train.AdagradOptimizer(0.3, initial_accumulator_value=1.0),
    "adadelta_default": lambda: tf.train.AdadeltaOptimizer(),
    "adadelta_custom": lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-6),
}


def _run(name, dtype, steps=6):
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable(W0.astype(dtype), name="w")
        step = MAKE[name]().minimize(tf.reduce_sum(w ** 3 + 0.5 * w * w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for _ in range(steps):
                sess.run(step)
                out.append(sess.run(w))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(MAKE))
def test_steps_equal_tensorflows(name, dtype):
    got = _run(name, dtype)
    want = TF_STEPS[name, dtype]
    rtol = 2e-6 if dtype == "float32" else 1e-12
    for g, w in zip([got[0], got[2], got[5]], want):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-7 if dtype == "float32" else 0)


def _f32(v, dtype):
    """A hyper-parameter as TF1 holds it: a float32 number, cast to the variable's dtype."""
    return np.asarray(np.float32(v), dtype)


def _numpy_steps(name, dtype, steps=6):
    """TF1's ApplyRMSProp / ApplyAdagrad / ApplyAdadelta kernels, transcribed in numpy."""
    w = W0.astype(dtype)
    s1, s2, s3 = np.ones_like(w), np.zeros_like(w), np.zeros_like(w)
    if name.startswith("adagrad"):
        s1 = np.full_like(w, 1.0 if name == "adagrad_init" else 0.1)
    if name.startswith("adadelta"):
        s1 = np.zeros_like(w)
    out = []
    for _ in range(steps):
        g = 3 * w * w + w
        if name == "rmsprop_default":
            lr, rho, eps = _f32(0.01, dtype), _f32(0.9, dtype), _f32(1e-10, dtype)
            s1 = s1 + (g * g - s1) * (1 - rho)
            s2 = s2 * _f32(0.0, dtype) + g * lr / np.sqrt(s1 + eps)
            w = w - s2
        elif name == "rmsprop_mom_centered":
            lr, rho, eps, mom = (_f32(v, dtype) for v in (0.05, 0.8, 1e-6, 0.5))
            s1 = s1 + (g * g - s1) * (1 - rho)
            s3 = s3 + (g - s3) * (1 - rho)
            s2 = s2 * mom + g * lr / np.sqrt(s1 - s3 * s3 + eps)
            w = w - s2
        elif name.startswith("adagrad"):
            s1 = s1 + g * g
            w = w - g * _f32(0.3, dtype) / np.sqrt(s1)
        else:
            lr, rho, eps = ((_f32(0.001, dtype), _f32(0.95, dtype), _f32(1e-8, dtype))
                            if name == "adadelta_default" else
                            (_f32(1.0, dtype), _f32(0.9, dtype), _f32(1e-6, dtype)))
            s1 = s1 * rho + g * g * (1 - rho)
            update = np.sqrt(s2 + eps) / np.sqrt(s1 + eps) * g
            w = w - update * lr
            s2 = s2 * rho + update * update * (1 - rho)
        out.append(w)
    return out


@pytest.mark.parametrize("name", sorted(MAKE))
def test_steps_equal_the_kernels_in_numpy(name):
    for got, want in zip(_run(name, "float64"), _numpy_steps(name, np.float64)):
        np.testing.assert_allclose(got, want, rtol=1e-13)


def test_defaults_are_tensorflow_1s():
    r = tf.train.RMSPropOptimizer(0.1)
    assert (r.decay, r.momentum, r.epsilon, r.centered, r.get_name()) == \
        (0.9, 0.0, 1e-10, False, "RMSProp")
    a = tf.train.AdagradOptimizer(0.1)
    assert (a.initial_accumulator_value, a.get_name()) == (0.1, "Adagrad")
    d = tf.train.AdadeltaOptimizer()
    assert (d.learning_rate, d.rho, d.epsilon, d.get_name()) == (0.001, 0.95, 1e-8, "Adadelta")


@pytest.mark.parametrize("make, slots, variables", [
    (lambda: tf.train.RMSPropOptimizer(0.1), ["momentum", "rms"],
     ["w/RMSProp:0", "w/RMSProp_1:0"]),
    (lambda: tf.train.RMSPropOptimizer(0.1, centered=True), ["mg", "momentum", "rms"],
     ["w/RMSProp:0", "w/RMSProp_1:0", "w/RMSProp_2:0"]),
    (lambda: tf.train.AdagradOptimizer(0.1), ["accumulator"], ["w/Adagrad:0"]),
    (lambda: tf.train.AdadeltaOptimizer(0.1), ["accum", "accum_update"],
     ["w/Adadelta:0", "w/Adadelta_1:0"]),
    (lambda: tf.train.AdamOptimizer(0.1), ["m", "v"],
     ["beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0"]),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9), ["momentum"], ["w/Momentum:0"])])
def test_slots_are_named_as_tensorflow_names_them(make, slots, variables):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = make()
    opt.minimize(tf.reduce_sum(w * w))
    assert opt.get_slot_names() == slots
    assert sorted(v.name for v in tf.global_variables() if v is not w) == variables
    assert opt.get_slot(w, slots[0]).shape.as_list() == [2]


def test_the_returned_op_is_named_after_the_optimizer():
    w = tf.Variable(1.0, name="w")
    step = tf.train.AdagradOptimizer(0.1).minimize(w * w)
    assert (step.name, step.type) == ("Adagrad", "NoOp")
    gs = tf.Variable(0, name="global_step", trainable=False)
    counted = tf.train.AdagradOptimizer(0.1).minimize(w * w, global_step=gs)
    assert (counted.name, counted.type) == ("Adagrad_1", "AssignAdd")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(counted)
        assert sess.run(gs) == 3


def test_compute_and_apply_gradients_with_clipping():
    w = tf.Variable([3.0, -0.5], name="w")
    opt = tf.train.RMSPropOptimizer(0.1)
    pairs = opt.compute_gradients(tf.reduce_sum(w * w))
    assert [v for _, v in pairs] == [w]
    clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in pairs]
    step = opt.apply_gradients(clipped)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g0 = sess.run(clipped[0][0])
        sess.run(step)
        ms = 1 + (g0 * g0 - 1) * (1 - np.float32(0.9))
        np.testing.assert_allclose(sess.run(w), [3.0, -0.5] - np.float32(0.1) * g0 / np.sqrt(
            ms + np.float32(1e-10)), rtol=1e-6)
    np.testing.assert_array_equal(g0, [1.0, -1.0])


@pytest.mark.parametrize("call, error, message", [
    (lambda opt, w, x: opt.minimize(None), TypeError, "argument 'loss' must be a Tensor"),
    (lambda opt, w, x: opt.minimize(3.0), TypeError, "argument 'loss' must be a Tensor"),
    (lambda opt, w, x: opt.minimize(tf.reduce_sum(x)), ValueError,
     "No gradients provided for any variable, check your graph"),
    (lambda opt, w, x: opt.minimize(tf.reduce_sum(x), var_list=[]), ValueError,
     "No variables to optimize."),
    (lambda opt, w, x: opt.apply_gradients([]), ValueError, "No variables provided."),
    (lambda opt, w, x: opt.apply_gradients([(None, w)]), ValueError,
     r"No gradients provided for any variable: \[\"<tf.Variable 'w:0'"),
    (lambda opt, w, x: opt.apply_gradients([w]), TypeError, r"\(gradient, variable\) pairs"),
    (lambda opt, w, x: opt.minimize(tf.cast(tf.reduce_sum(x), tf.int32)), ValueError,
     "Invalid type int32"),
    (lambda opt, w, x: tf.train.RMSPropOptimizer(None), ValueError,
     "argument 'learning_rate' must be a number"),
    (lambda opt, w, x: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0),
     ValueError, "initial_accumulator_value must be positive")])
def test_optimizer_mistakes(call, error, message):
    w = tf.Variable([1.0, 2.0], name="w")
    x = tf.placeholder(tf.float32, [2], name="x")
    with pytest.raises(error, match=message):
        call(tf.train.RMSPropOptimizer(0.1), w, x)


def test_a_decaying_learning_rate_tensor(rng):
    step = tf.train.get_or_create_global_step()
    assert step.dtype.base_dtype == tf.int64 and tf.train.get_global_step() is step
    lr = tf.train.exponential_decay(0.2, step, decay_steps=5, decay_rate=0.5, staircase=True)
    smooth = tf.train.exponential_decay(0.2, step, 5, 0.5)
    pieces = tf.train.piecewise_constant(step, [4, 8], [1.0, 0.5, 0.1])
    w = tf.Variable(1.0)
    train = tf.train.GradientDescentOptimizer(lr).minimize(w * w, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(10):
            seen.append(sess.run([step, lr, smooth, pieces]))
            sess.run(train)
    for s, a, b, c in seen:
        assert a == np.float32(0.2 * 0.5 ** (s // 5))
        np.testing.assert_allclose(b, 0.2 * 0.5 ** (s / 5), rtol=1e-6)
        assert c == np.float32(1.0 if s <= 4 else 0.5 if s <= 8 else 0.1)


EVERY_TF1_OPTIMIZER = dict(MAKE, **{
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.05)})


@pytest.mark.parametrize("name", sorted(EVERY_TF1_OPTIMIZER))
def test_compute_then_apply_gradients_is_minimize(name):
    """minimize = compute_gradients + apply_gradients on every TF1 optimizer: the split
    path gives the same (gradient, variable) pairs and the same steps (the steps
    themselves are checked against TensorFlow above for RMSProp, Adagrad, Adadelta)."""
    def run(split):
        g = tf.Graph()
        with g.as_default():
            w = tf.Variable(W0.astype("float64"), name="w")
            b = tf.Variable(0.5, dtype=tf.float64, name="b")
            loss = tf.reduce_sum(w ** 3 + 0.5 * w * w) + b * b
            opt = EVERY_TF1_OPTIMIZER[name]()
            if split:
                pairs = opt.compute_gradients(loss)
                assert [v for _, v in pairs] == [w, b]
                step = opt.apply_gradients(pairs)
            else:
                step = opt.minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(4):
                    sess.run(step)
                return sess.run([w, b])
    split, whole = run(True), run(False)
    np.testing.assert_array_equal(split[0], whole[0])
    assert split[1] == whole[1]
