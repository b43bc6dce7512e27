"""TensorFlow 1's dtypes, Python-value conversion, string tensors, operator rules and the
errors a graph-mode mistake gets. Expected dtypes, names and messages are what TF 2.21
prints under ``tf.compat.v1`` after ``disable_v2_behavior()`` (checked on this machine)."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf
from tinyflow.graph import tensor as graph_tensor


@pytest.fixture
def v1_behavior():
    tf.disable_v2_behavior()
    yield
    graph_tensor.enable_v2_behavior()


# --- dtypes -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, want", [("float", "float32"), ("double", "float64"),
                                        ("half", "float16"), ("int32", "int32"),
                                        ("string", "string"), ("bool", "bool"),
                                        (float, "float32"), (bool, "bool"), (np.int64, "int64"),
                                        (np.dtype("float64"), "float64")])
def test_as_dtype_takes_tensorflows_names(name, want):
    assert tf.as_dtype(name).name == want


@pytest.mark.parametrize("bad", ["int", int, str, "foo", 3])
def test_as_dtype_refuses_what_tensorflow_refuses(bad):
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`"):
        tf.as_dtype(bad)


def test_dtype_objects_print_and_answer_as_tensorflows():
    assert [repr(d) for d in (tf.float32, tf.int64, tf.string, tf.bool)] == \
        ["tf.float32", "tf.int64", "tf.string", "tf.bool"]
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert tf.float32.is_floating and not tf.int32.is_floating and tf.int32.is_integer
    assert tf.float16.as_numpy_dtype is np.float16 and tf.string.as_numpy_dtype is object
    assert tf.float32 == np.float32 and np.dtype("float32") == tf.float32
    assert np.zeros(2, tf.float64).dtype == np.float64          # numpy takes them
    assert tf.int32.max == 2 ** 31 - 1 and tf.float32.size == 4


@pytest.mark.parametrize("value, want", [
    (1, "int32"), (1.0, "float32"), (True, "bool"), ([1, 2], "int32"), ([1.0, 2], "float32"),
    ([1, 2.5], "float32"), (2 ** 40, "int64"), ([1, 2 ** 40], "int64"),
    (np.float64(1.5), "float64"), (np.array([1.5, 2.5]), "float64"),
    (np.array([1, 2]), "int64"), ("a", "string"), ([b"a", "bc"], "string"), ([], "float32")])
def test_constants_get_tensorflows_dtypes(value, want):
    assert tf.constant(value).dtype.name == want


def test_placeholder_cast_and_variable_take_dtype_names():
    assert tf.placeholder("float").dtype == np.float32
    assert tf.placeholder("double", [2]).dtype == np.float64
    assert tf.cast(tf.constant([1, 2]), "float").dtype == np.float32
    assert tf.Variable([1, 2], dtype="float").dtype.base_dtype == tf.float32
    assert tf.Variable(0).dtype.name == "int32_ref"
    assert tf.Variable(0.5).dtype.name == "float32_ref"
    assert tf.zeros([2], "double").dtype == np.float64


def test_a_variables_dtype_is_a_ref_dtype():
    w = tf.Variable([1.0, 2.0], name="w")
    assert w.dtype.name == "float32_ref" and w.dtype.base_dtype.name == "float32"
    assert repr(w.dtype) == "tf.float32_ref" and w.dtype.is_floating
    assert str(w) == repr(w) == "<tf.Variable 'w:0' shape=(2,) dtype=float32_ref>"


# --- strings ----------------------------------------------------------------------------

def test_string_constants_come_back_as_bytes():
    hello = tf.constant("Hello, TensorFlow!")
    words = tf.constant(["graph", "then", "session"], name="words")
    assert str(hello) == 'Tensor("Const:0", shape=(), dtype=string)'
    assert repr(words) == "<tf.Tensor 'words:0' shape=(3,) dtype=string>"
    with tf.Session() as sess:
        out, many = sess.run([hello, words])
    assert out == b"Hello, TensorFlow!" and type(out) is bytes
    assert many.dtype == object and list(many) == [b"graph", b"then", b"session"]


def test_string_placeholders_and_print():
    s = tf.placeholder(tf.string, [None], name="s")
    echoed = tf.Print(s, [s], message="got: ")
    with tf.Session() as sess:
        out = sess.run(echoed, {s: ["a", "bé"]})
    assert list(out) == [b"a", "bé".encode()]


# --- operators: one dtype for both operands ---------------------------------------------

def test_python_numbers_take_the_tensors_dtype():
    x16 = tf.placeholder(tf.int16)
    assert (x16 + 2).dtype == np.int16
    assert (tf.constant([1.0]) + np.array([1.5])).dtype == np.float32     # numpy arrays too
    with tf.Session() as sess:
        assert sess.run(tf.add(x16, x16), {x16: 30000}) == np.int16(-5536)   # wraps, as TF


@pytest.mark.parametrize("build, message", [
    (lambda: tf.constant(1) + tf.constant(1.0),
     "Input 'y' of 'Add' Op has type float32 that does not match type int32 of argument 'x'."),
    (lambda: tf.constant(7) * 2.5,
     "Expected int32 passed to parameter 'y' of op 'Mul', got 2.5 of type 'float' instead."),
    (lambda: tf.constant(7) * 2.0,
     "Expected int32 passed to parameter 'y' of op 'Mul', got 2.0 of type 'float' instead."),
    (lambda: tf.add(tf.constant(1.0), tf.constant(1.0, tf.float64)),
     "Input 'y' of 'Add' Op has type float64 that does not match type float32"),
    (lambda: tf.matmul(tf.constant([[1.0]]), tf.constant([[1.0]], dtype=tf.float64)),
     "Input 'b' of 'MatMul' Op has type float64 that does not match type float32 of "
     "argument 'a'.")])
def test_mixed_dtypes_are_type_errors(build, message):
    with pytest.raises(TypeError) as e:
        build()
    assert message in str(e.value)


def test_integer_division_as_tensorflow_divides():
    i7, i2 = tf.constant(7), tf.constant(2)
    true_div, floor_div, old_div = i7 / i2, i7 // i2, tf.div(i7, i2)
    assert (true_div.dtype, floor_div.dtype, old_div.dtype) == (np.float64, np.int32, np.int32)
    assert (tf.constant(7, tf.int16) / 2).dtype == np.float32
    with tf.Session() as sess:
        got = sess.run([true_div, floor_div, i7 % i2, old_div, tf.constant(-7) // i2])
    assert [float(v) for v in got] == [3.5, 3, 1, 3, -4]


def test_v1_behavior_names_operator_ops_and_gives_dimensions(v1_behavior):
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = x * 2.0 + 1.0
    assert (y.op.name, y.op.inputs[0].op.name, tf.add(x, x).op.name) == ("add", "mul", "Add_1")
    d0, d1 = x.shape[0], x.shape[1]
    assert (repr(d0), str(d0), d0.value, repr(d1), int(d1)) == \
        ("Dimension(None)", "?", None, "Dimension(784)", 784)
    assert repr(x.shape) == "TensorShape([Dimension(None), Dimension(784)])"
    assert str(tf.placeholder(tf.float32).shape) == "<unknown>"


def test_tinyflows_defaults_without_disable_v2_behavior():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    assert x.shape[0] is None and x.shape[1] == 3 and (x + 1).op.name == "Add"


# --- graph-mode mistakes: prompt errors naming what was expected ------------------------

def test_minimize_of_none_names_the_loss_argument():
    tf.Variable(1.0)
    with pytest.raises(TypeError, match=r"argument 'loss' must be a Tensor .* got NoneType"):
        tf.train.GradientDescentOptimizer(0.1).minimize(None)


def test_feed_dict_must_be_a_dictionary():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.Session() as sess, pytest.raises(TypeError, match="argument 'feed_dict' must be a "
                                                              "dictionary .* got list"):
        sess.run(x * 2, feed_dict=[(x, [[1, 2]])])


def test_none_fed_to_a_placeholder():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.Session() as sess, pytest.raises(ValueError, match=r"Cannot feed None for Tensor "
                                                               r"'x:0'.*shape '\(\?, 2\)'"):
        sess.run(x * 2, feed_dict={x: None})


def test_a_tensor_fed_to_a_placeholder():
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.Session() as sess, pytest.raises(TypeError, match="The value of a feed cannot be "
                                                              "a tf.Tensor object"):
        sess.run(x * 2, feed_dict={x: tf.constant([1.0, 2.0])})


def test_session_graph_must_be_a_graph():
    with pytest.raises(TypeError, match='Argument `graph` must be a tf.Graph, but got "str"'):
        tf.Session(graph="x")


def test_assign_of_another_shape_is_refused_unless_validate_shape_is_false():
    w = tf.Variable([[1.0], [2.0]], name="w")
    with pytest.raises(ValueError, match=r"Shapes must be equal rank, but are 2 and 1 for "
                                         r"'Assign'.*input shapes: \[2, 1\], \[3\]"):
        w.assign([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 2 "
                                         "and 3"):
        tf.assign(w, [[1.0], [2.0], [3.0]])
    grown = tf.assign(w, [[1.0], [2.0], [3.0]], validate_shape=False)
    assert grown.shape.as_list() == [3, 1] and w.shape.as_list() == [2, 1]   # as TF
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(grown).shape == (3, 1) and sess.run(w).shape == (3, 1)


def test_assign_of_a_partly_known_shape_is_checked_when_it_runs():
    w = tf.Variable([[1.0], [2.0]], name="w")
    v = tf.placeholder(tf.float32, [None, 1])
    step = w.assign(v)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(step, {v: [[5.0], [6.0]]})
        with pytest.raises(ValueError):
            sess.run(step, {v: [[1.0], [2.0], [3.0]]})
        np.testing.assert_array_equal(sess.run(w), [[5.0], [6.0]])     # the variable kept


def test_control_dependencies_takes_tensors_and_ops_only():
    with pytest.raises(TypeError, match="Can not convert a int into a Tensor or Operation."):
        with tf.control_dependencies([5]):
            pass


def test_eval_without_a_default_session():
    t = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"Cannot evaluate tensor using `eval\(\)`: No default "
                                         r"session is registered"):
        t.eval()


def test_more_labels_than_logits_rows():
    logits = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"`labels.shape` must equal `logits.shape` except for "
                                         r"the last dimension. Received: labels.shape=\(3,\) "
                                         r"and logits.shape=\(2, 2\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 1], logits=logits)
    labels = tf.placeholder(tf.int32, [None])
    rows = tf.placeholder(tf.float32, [None, 2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=rows)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="logits and labels must have the same first dimension"):
            sess.run(loss, {labels: [0, 1, 1], rows: [[1.0, 2.0], [3.0, 4.0]]})
        got = sess.run(loss, {labels: [1, 0], rows: [[1.0, 2.0], [3.0, 4.0]]})
    want = [np.log(1 + np.exp(-1.0)), np.log(1 + np.exp(1.0))]
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_reading_an_uninitialized_variable():
    w = tf.Variable(np.zeros(3, np.float32), name="W")
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError) as e:
        sess.run(w)
    assert e.value.message.splitlines()[0] == "Attempting to use uninitialized value W"
    assert "global_variables_initializer" in e.value.message
