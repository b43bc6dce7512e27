"""``import tinyflow.compat.v2 as tf``: TensorFlow 2's names, and small classic TF2
programs that run with only the import line changed.

The programs are written for these tests in the styles of TensorFlow's
beginner and custom-training-loop tutorials; their results are compared with
numpy references computed here, or with values computed by real TensorFlow
2.21 (said so beside each). Facts about TensorFlow's behaviour that a test
imitates are in its docstring, observed under TF 2.21.
"""
import importlib
import warnings

import numpy as np
import pytest

import tinyflow
import tinyflow.compat.v2 as tf
from tinyflow.base.errors import InvalidArgumentError
from tinyflow.data import load_digits, train_test_split
from tinyflow.eager.tensor import Tensor


# --- names and dtypes ------------------------------------------------------------------

def test_python_values_become_tensors_by_tensorflows_rules():
    """TF 2.21: tf.constant(1) and tf.constant([1, 2]) are int32, 1.5 float32, 2**40 int64,
    a float64 numpy array stays float64; tf.Variable(0) is int32, tf.Variable(1.) float32,
    tf.Variable(np.zeros(2)) float64; tf.range(5) int32, tf.range(0., 1., .25) float32,
    tf.range(1, 5, 2) -> [1 3]; tf.zeros([2]) float32; tf.ones((2,), tf.int32) int32."""
    assert tf.constant(1).dtype == tf.int32 and tf.constant([1, 2]).dtype == tf.int32
    assert tf.constant(1.5).dtype == tf.float32 and tf.constant(2 ** 40).dtype == tf.int64
    assert tf.constant(np.zeros(2)).dtype == tf.float64
    assert tf.Variable(0).dtype == tf.int32 and tf.Variable(1.0).dtype == tf.float32
    assert tf.Variable(np.zeros(2)).dtype == tf.float64
    assert tf.range(5).dtype == tf.int32 and tf.range(0.0, 1.0, 0.25).dtype == tf.float32
    assert tf.range(1, 5, 2).numpy().tolist() == [1, 3]
    assert tf.zeros([2]).dtype == tf.float32 and tf.ones((2,), tf.int32).dtype == tf.int32
    assert tf.constant([1, 2], dtype=tf.float32).numpy().tolist() == [1.0, 2.0]
    assert tf.constant(0.0, shape=[2, 2]).numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_dtypes_print_and_compare_as_tensorflows():
    """TF: repr(tf.float32) is 'tf.float32', str is "<dtype: 'float32'>"; tf.float32 ==
    np.float32 and == "float32"; tf.as_dtype("float32") is float32; .as_numpy_dtype is
    numpy.float32, .is_floating / .is_integer answer; tf.dtypes.float32 is tf.float32."""
    assert repr(tf.float32) == "tf.float32" and str(tf.float32) == "<dtype: 'float32'>"
    assert tf.float32 == np.float32 and tf.float32 == "float32" and tf.float32 != tf.float64
    assert tf.as_dtype("float32") == tf.float32 and tf.float32.as_numpy_dtype is np.float32
    assert tf.float32.is_floating and tf.int32.is_integer and tf.dtypes.float32 is tf.float32
    eager = tf.constant([1.0])
    assert eager.dtype == tf.float32 and tf.float32 == eager.dtype   # tinyflow.float32 inside
    assert tf.cast(eager, tf.int64).dtype == tf.int64
    seen = []
    tf.function(lambda x: seen.append(x.dtype == tf.float32) or x)(eager)   # symbolic: numpy's
    assert seen == [True]


def test_tensorflow_argument_conventions():
    """TF 2.21: tf.argmax([[1,5],[7,2]]) -> [1 0] int64 (axis 0 when none is given);
    tf.reduce_mean([1, 2]) -> 1 (an integer mean); tf.equal([1,2],[1,3]) -> [True False]
    (element by element); tf.shape(tf.zeros([2,3])) -> [2 3] int32; tf.one_hot([0,2], 3)
    -> float32 [[1,0,0],[0,0,1]]; tf.cast([1.7, -1.7], tf.int32) -> [1 -1];
    tf.clip_by_value([1.,5.,-3.], 0., 2.) -> [1 2 0]; tf.matmul([[1.,2.]], [[1.,2.]],
    transpose_b=True) -> [[5.]]; tf.executing_eagerly() is True outside tf.function and
    False inside."""
    m = tf.argmax([[1, 5], [7, 2]])
    assert m.numpy().tolist() == [1, 0] and m.dtype == tf.int64
    assert tf.math.argmax([[1, 5], [7, 2]], axis=1).numpy().tolist() == [1, 0]
    assert int(tf.reduce_mean([1, 2])) == 1 and tf.reduce_mean([1, 2]).dtype == tf.int32
    assert tf.equal([1, 2], [1, 3]).numpy().tolist() == [True, False]
    s = tf.shape(tf.zeros([2, 3]))
    assert s.numpy().tolist() == [2, 3] and s.dtype == tf.int32
    oh = tf.one_hot([0, 2], 3)
    assert oh.dtype == tf.float32 and oh.numpy().tolist() == [[1, 0, 0], [0, 0, 1]]
    assert tf.cast([1.7, -1.7], tf.int32).numpy().tolist() == [1, -1]
    assert tf.clip_by_value([1.0, 5.0, -3.0], 0.0, 2.0).numpy().tolist() == [1, 2, 0]
    assert tf.matmul([[1.0, 2.0]], [[1.0, 2.0]], transpose_b=True).numpy().tolist() == [[5.0]]
    assert tf.executing_eagerly()
    assert tf.function(lambda: tf.constant(tf.executing_eagerly()))().numpy().item() is False
    assert [t.numpy().tolist() for t in tf.unstack(tf.constant([[1, 2], [3, 4]]), axis=1)] == \
        [[1, 3], [2, 4]]


def test_random():
    """TF 2.21: tf.random.uniform([2], maxval=10, dtype=tf.int32) is int32; without maxval
    an integer dtype is refused: ValueError "Must specify maxval for integer dtype
    tf.int32"; after tf.random.set_seed(s) the draws repeat."""
    tf.random.set_seed(3)
    a = tf.random.uniform([5], maxval=10, dtype=tf.int32)
    n = tf.random.normal([2, 3])
    tf.random.set_seed(3)
    assert a.numpy().tolist() == tf.random.uniform([5], maxval=10, dtype=tf.int32).numpy().tolist()
    assert a.dtype == tf.int32 and all(0 <= v < 10 for v in a.numpy().tolist())
    assert n.dtype == tf.float32 and tuple(n.shape) == (2, 3)
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tf.random.uniform([2], dtype=tf.int32)
    assert np.abs(tf.random.truncated_normal([1000]).numpy()).max() <= 2


def test_nn_losses_match_tensorflow():
    """Values computed with real TF 2.21: sparse_softmax_cross_entropy_with_logits(labels=[0,
    1], logits=[[1,2],[3,1]]) -> [1.3132616 2.126928]; softmax_cross_entropy_with_logits with
    the one-hot labels -> the same."""
    logits = [[1.0, 2.0], [3.0, 1.0]]
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0], [0.0, 1.0]], logits=logits)
    np.testing.assert_allclose(sparse.numpy(), [1.3132616, 2.126928], rtol=1e-6)
    np.testing.assert_allclose(dense.numpy(), [1.3132616, 2.126928], rtol=1e-6)
    assert tf.nn.relu([-1.0, 2.0]).numpy().tolist() == [0.0, 2.0]
    np.testing.assert_allclose(tf.nn.softmax([0.0, np.log(3.0)]).numpy(), [0.25, 0.75], rtol=1e-6)


def test_compute_average_loss_is_tensorflows():
    """Values from real TF 2.21 (one replica): compute_average_loss([1,2,3,4]) -> 2.5;
    with global_batch_size=8 -> 1.25; sample_weight=[1,0,1,0] -> 1.0; sample_weight=2. ->
    5.0; a float64 loss stays float64; [[1,2],[3,4]] -> 5.0 (the sum over the batch of 2
    rows); global_batch_size=0 -> 0.0; a rank-0 loss -> ValueError "Invalid value passed
    for `per_example_loss`. Expected a tensor with at least rank 1."; global_batch_size=2.5
    -> TypeError "global_batch_size must be an integer."; -1 -> InvalidArgumentError
    "global_batch_size must be non-negative."."""
    cal = tf.nn.compute_average_loss
    assert float(cal([1.0, 2.0, 3.0, 4.0])) == 2.5
    assert float(cal([1.0, 2.0, 3.0, 4.0], global_batch_size=8)) == 1.25
    assert float(cal([1.0, 2.0, 3.0, 4.0], sample_weight=[1.0, 0.0, 1.0, 0.0])) == 1.0
    assert float(cal([1.0, 2.0, 3.0, 4.0], sample_weight=2.0)) == 5.0
    assert cal(tf.constant([1.0, 2.0], tf.float64), global_batch_size=8).dtype == tf.float64
    assert float(cal([[1.0, 2.0], [3.0, 4.0]])) == 5.0
    assert float(cal([1.0, 2.0], global_batch_size=0)) == 0.0
    with pytest.raises(ValueError, match="Expected a tensor with at least rank 1"):
        cal(3.0)
    with pytest.raises(TypeError, match="global_batch_size must be an integer"):
        cal([1.0, 2.0], global_batch_size=2.5)
    with pytest.raises(InvalidArgumentError, match="global_batch_size must be non-negative"):
        cal([1.0, 2.0], global_batch_size=-1)


def test_compute_average_loss_counts_the_replicas_in_sync():
    """TF: without global_batch_size, the global batch is the replica's batch times
    strategy.num_replicas_in_sync (within the strategy)."""
    with tf.distribute.MirroredStrategy(num_replicas=2).scope():
        assert float(tf.nn.compute_average_loss([1.0, 2.0, 3.0, 4.0])) == 1.25


def test_data_is_tf_data():
    """tf.data.Dataset, tf.data.AUTOTUNE and tf.data.experimental.AUTOTUNE (-1 in TF 2.21)."""
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    ds = tf.data.Dataset.from_tensor_slices(({"x": [1.0, 2.0]}, [0, 1])).batch(2)
    assert ds.element_spec[0]["x"] == tf.TensorSpec(shape=(None,), dtype=tf.float32)


def test_old_imports_keep_working():
    """tinyflow.data is PyTorch's data package, tinyflow.compat.v1 TensorFlow 1's."""
    import tinyflow.compat.v1 as tf1
    from tinyflow.data import DataLoader  # noqa: F401
    assert tinyflow.data.Dataset is not tf.data.Dataset
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None, 2])
    with tf1.Session() as sess:
        assert sess.run(tf1.reduce_sum(x), {x: [[1, 2]]}) == 3.0


def test_keras_is_tinyflow_keras_when_it_exists():
    """tf.keras is tinyflow/keras, loaded on first use (it is built separately)."""
    try:
        keras = importlib.import_module("tinyflow.keras")
    except ImportError:
        pytest.skip("tinyflow.keras does not import yet")
    assert tf.keras is keras
    with pytest.raises(AttributeError, match="has no attribute 'not_a_name'"):
        tf.not_a_name  # noqa: B018


# --- classic TF2 programs ------------------------------------------------------------------

def test_program_linear_regression_with_gradient_tape():
    """The "custom training basics" style: tf.Variables, a GradientTape, assign_sub;
    float64, compared step for step with the same gradient descent in numpy."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    Y = X @ np.array([[2.0], [-3.0], [0.5]]) + 1.0 + 0.1 * rng.normal(size=(100, 1))

    # --- the TF2 program ---
    w = tf.Variable(tf.zeros([3, 1], dtype=tf.float64))
    b = tf.Variable(tf.constant(0.0, dtype=tf.float64))
    losses = []
    for step in range(100):
        with tf.GradientTape() as tape:
            pred = tf.matmul(X, w) + b
            loss = tf.reduce_mean(tf.square(pred - Y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * dw)
        b.assign_sub(0.1 * db)
        losses.append(float(loss))

    # --- numpy, by hand ---
    w_ref, b_ref, ref_losses = np.zeros((3, 1)), 0.0, []
    for step in range(100):
        err = X @ w_ref + b_ref - Y
        ref_losses.append(float(np.mean(err ** 2)))
        w_ref = w_ref - 0.1 * (2 * X.T @ err / len(X))
        b_ref = b_ref - 0.1 * (2 * err.mean())
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-10)
    np.testing.assert_allclose(w.numpy(), w_ref, rtol=1e-10)
    np.testing.assert_allclose(float(b), b_ref, rtol=1e-10)
    np.testing.assert_allclose(w.numpy().ravel(), [2.0, -3.0, 0.5], atol=0.05)


def _digits_pipeline(dtype, seed=0):
    """The input pipeline of the digits programs: raw 0..16 pixels scaled in a map,
    shuffled with a seed, batched by 32."""
    X, y = load_digits(scaled=False)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, seed=0)

    def preprocess(image, label):
        return tf.cast(image, dtype) / 16.0, tf.cast(label, tf.int32)
    train = (tf.data.Dataset.from_tensor_slices((Xtr, ytr))
             .map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
             .shuffle(1000, seed=seed).batch(32).prefetch(tf.data.AUTOTUNE))
    test = tf.data.Dataset.from_tensor_slices((Xte, yte)).map(preprocess).batch(256)
    return train, test


def _mlp(dtype):
    tf.random.set_seed(0)
    W1 = tf.Variable(tf.random.normal([64, 64], stddev=0.1, dtype=dtype), name="W1")
    b1 = tf.Variable(tf.zeros([64], dtype=dtype), name="b1")
    W2 = tf.Variable(tf.random.normal([64, 10], stddev=0.1, dtype=dtype), name="W2")
    b2 = tf.Variable(tf.zeros([10], dtype=dtype), name="b2")
    return [W1, b1, W2, b2]


def _train_step_for(params, lr):
    W1, b1, W2, b2 = params

    def model(x):
        return tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x)
            per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            loss = tf.nn.compute_average_loss(per_example)
        grads = tape.gradient(loss, params)
        for p, g in zip(params, grads):
            p.assign_sub(lr * g)
        return loss
    return model, train_step


def _numpy_step(params, x, y, lr):
    """The same step by hand: forward, softmax cross-entropy, backward, SGD."""
    W1, b1, W2, b2 = params
    h = np.maximum(x @ W1 + b1, 0)
    logits = h @ W2 + b2
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean()
    d = p.copy()
    d[np.arange(len(y)), y] -= 1
    d /= len(y)
    dh = d @ W2.T * (h > 0)
    grads = [x.T @ dh, dh.sum(0), h.T @ d, d.sum(0)]
    return loss, [w - lr * g for w, g in zip(params, grads)]


def test_program_tf_data_pipeline_feeds_a_custom_training_loop():
    """A tf.data pipeline (map, shuffle, batch, prefetch) feeding a tf.function training
    step with a GradientTape: in float64, two epochs equal the same SGD written in numpy
    on the same batches (read from a fresh pipeline with the same seed)."""
    train, _ = _digits_pipeline(tf.float64)
    params = _mlp(tf.float64)
    ref = [p.numpy().copy() for p in params]
    _, train_step = _train_step_for(params, 0.5)
    same_batches, _ = _digits_pipeline(tf.float64)
    for epoch in range(2):
        for (x, y), (xn, yn) in zip(train, same_batches.as_numpy_iterator()):
            assert isinstance(x, Tensor) and np.array_equal(x.numpy(), xn)
            loss = train_step(x, y)
            ref_loss, ref = _numpy_step(ref, xn, yn, 0.5)
            np.testing.assert_allclose(float(loss), ref_loss, rtol=1e-10)
    for p, r in zip(params, ref):
        np.testing.assert_allclose(p.numpy(), r, rtol=1e-9, atol=1e-12)
    assert train_step.tracing_count == 2           # full batches of 32, and the last one


def test_program_digits_mlp_learns():
    """The same program in float32 for 10 epochs: over 95% of the test digits right."""
    train, test = _digits_pipeline(tf.float32)
    params = _mlp(tf.float32)
    model, train_step = _train_step_for(params, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")             # no eager fallbacks, no retracing warnings
        for epoch in range(10):
            for x, y in train:
                train_step(x, y)
    correct = total = 0
    for x, y in test:
        predicted = tf.argmax(model(x), axis=1, output_type=tf.int32)
        correct += int(tf.reduce_sum(tf.cast(tf.equal(predicted, y), tf.int32)))
        total += int(tf.shape(y)[0])
    assert total == 360 and correct / total > 0.95


def test_program_tf_function_with_cond_and_while_loop():
    """tf.function with tf.cond (a gradient through the taken branch, taken inside the
    function) and tf.while_loop (Collatz steps: 111 for 27 and 8 for 6, as Python counts
    them); one trace serves both branches; traced code sees executing_eagerly() False."""
    @tf.function
    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(tf.reduce_sum(x) > 0,
                        lambda: tf.reduce_sum(x * x),
                        lambda: tf.reduce_sum(-3.0 * x))
        return y, tape.gradient(y, x)
    y, g = value_and_grad(tf.constant([1.0, 2.0]))
    assert float(y) == 5.0 and g.numpy().tolist() == [2.0, 4.0]
    y, g = value_and_grad(tf.constant([-1.0, -2.0]))
    assert float(y) == 9.0 and g.numpy().tolist() == [-3.0, -3.0]
    assert value_and_grad.tracing_count == 1

    @tf.function
    def collatz_steps(n):
        def body(n, steps):
            return tf.cond(n % 2 == 0, lambda: n // 2, lambda: 3 * n + 1), steps + 1
        return tf.while_loop(lambda n, steps: n > 1, body, [n, tf.constant(0)])[1]

    def python_steps(n):
        steps = 0
        while n > 1:
            n, steps = (n // 2 if n % 2 == 0 else 3 * n + 1), steps + 1
        return steps
    for n in (27, 6):
        assert int(collatz_steps(tf.constant(n))) == python_steps(n)
    assert python_steps(27) == 111


def test_gradient_tape_takes_output_gradients_as_arrays_or_tensors():
    # TF 2.21: tape.gradient(v * 3, v, output_gradients=np.array([1., 2.])) is [3., 6.]
    v = tf.Variable([1.0, 2.0])
    for given in (np.array([1.0, 2.0], np.float32), tf.constant([1.0, 2.0])):
        with tf.GradientTape() as tape:
            z = v * 3
        g = tape.gradient(z, v, output_gradients=given)
        assert g.numpy().tolist() == [3.0, 6.0] and g.dtype == tf.float32


def test_variable_names_are_tensorflows():
    """TF 2.21: tf.Variable(1.0, name="w").name is 'w:0' (and 'Variable:0' unnamed); setting
    it raises AttributeError ("property 'name' of 'ResourceVariable' object has no setter");
    a Keras weight is 'dense/kernel:0'. A traced function still names the captured
    variable by its path (graph op names hold no colon)."""
    w = tf.Variable(1.0, name="w")
    assert w.name == "w:0" and w.path == "w" and tf.Variable(2.0).name == "Variable:0"
    assert repr(w) == "<tf.Variable 'w:0' shape=() dtype=float32, numpy=1.0>"
    with pytest.raises(AttributeError, match="property 'name' of 'Variable' object has no setter"):
        w.name = "v"
    layer = tf.keras.layers.Dense(2, name="dense")
    layer(np.ones((1, 3), np.float32))
    assert [v.name for v in layer.weights] == ["dense/kernel:0", "dense/bias:0"]
    f = tf.function(lambda x: x * w)
    names = [op.name for op in f.get_concrete_function(tf.constant(3.0)).graph.get_operations()]
    assert "w" in names


def test_tf_module_finds_variables_and_submodules_in_tensorflows_order():
    """TF 2.21, this program: trainable_variables ['alpha:0', 'da_w:0', 'db_w:0', 'z:0',
    'inner_w:0', 'out_w:0']; variables ['alpha:0', 'da_b:0', 'da_w:0', 'db_b:0', 'db_w:0',
    'z:0', 'inner_b:0', 'inner_w:0', 'out_b:0', 'out_w:0']; submodules ['da', 'db', 'block',
    'out', 'inner']; default names 'dense', 'mlp'; tf.Module(name='bad name') raises
    ValueError "'bad name' is not a valid module name. ..."."""
    class Dense(tf.Module):
        def __init__(self, i, o, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(tf.ones([i, o]), name=(name or "d") + "_w")
            self.b = tf.Variable(tf.zeros([o]), name=(name or "d") + "_b", trainable=False)

        def __call__(self, x):
            return x @ self.w + self.b

    class Block(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.inner = Dense(1, 1, name="inner")
            self.z = tf.Variable(0.0, name="z")

    class MLP(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.layers = [Block(), Dense(3, 1, name="out")]
            self.alpha = tf.Variable(1.0, name="alpha")
            self.d = {"b": Dense(1, 1, name="db"), "a": Dense(1, 1, name="da")}
            self.same = self.alpha

    m = MLP(name="mlp")
    assert [v.name for v in m.trainable_variables] == [
        "alpha:0", "da_w:0", "db_w:0", "z:0", "inner_w:0", "out_w:0"]
    assert [v.name for v in m.variables] == [
        "alpha:0", "da_b:0", "da_w:0", "db_b:0", "db_w:0", "z:0", "inner_b:0", "inner_w:0",
        "out_b:0", "out_w:0"]
    assert [s.name for s in m.submodules] == ["da", "db", "block", "out", "inner"]
    assert (Dense(1, 1).name, MLP().name) == ("dense", "mlp")
    with pytest.raises(ValueError, match="'bad name' is not a valid module name"):
        tf.Module(name="bad name")
    layer = Dense(2, 1)                      # the custom-training loop of TF2's guides
    x, y = tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([[1.0], [2.0]])
    for _ in range(50):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((layer(x) - y) ** 2)
        grads = tape.gradient(loss, layer.trainable_variables)
        for v, g in zip(layer.trainable_variables, grads):
            v.assign_sub(0.05 * g)
    assert float(loss) < 0.05
