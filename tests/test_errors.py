"""Bad input gets a clear error that says what was expected, what came and
where (op name, shapes) -- never a bare numpy traceback from deep inside."""
import re

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import ops as F


def _message(exc_info):
    return str(exc_info.value)


# --- shapes -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (2,)), ((5,), (4, 2))])
def test_matmul_shape_mismatch_names_the_op_and_both_shapes(a, b):
    with pytest.raises(tf.ShapeError) as info:
        tf.ones(*a) @ tf.ones(*b)
    msg = _message(info)
    assert msg.startswith("MatMul:")
    assert f"shapes {a} and {b}" in msg and "inner dimensions" in msg


def test_batched_matmul_mismatch_names_the_whole_shapes():
    with pytest.raises(tf.ShapeError) as info:
        tf.matmul(tf.ones(2, 3, 4), tf.ones(5, 4, 2))
    msg = _message(info)
    assert "MatMul" in msg and "(2, 3, 4)" in msg and "(5, 4, 2)" in msg and "batch" in msg


def test_transposed_matmul_wants_matrices_in_both_modes():
    import tinyflow.compat.v1 as tf1
    with pytest.raises(tf.ShapeError, match=r"transpose_a / transpose_b need operands with at "
                                            r"least 2 dimensions, got \(3,\) and \(4, 3\)"):
        F.matmul(tf.ones(3), tf.ones(4, 3), transpose_b=True)
    with tf.Graph().as_default():
        x = tf1.placeholder(tf1.float32, [None, 3])
        with pytest.raises(tf.ShapeError, match=r"got \(\?, 3\) and \(3,\)"):
            tf1.matmul(x, np.ones(3, np.float32), transpose_a=True)
        with pytest.raises(tf.ShapeError, match=r"inner dimensions 3 and 4 differ"):
            tf1.matmul(x, np.ones((3, 4), np.float32), transpose_b=True)


def test_matmul_of_a_scalar():
    with pytest.raises(tf.ShapeError, match=r"MatMul: both operands must have at least one "
                                            r"dimension, got \(3,\) and \(\)"):
        tf.ones(3) @ tf.tensor(2.0)


@pytest.mark.parametrize("op, name", [(lambda a, b: a + b, "Add"), (lambda a, b: a - b, "Sub"),
                                      (lambda a, b: a * b, "Mul"), (lambda a, b: a / b, "RealDiv"),
                                      (tf.maximum, "Maximum"), (lambda a, b: a < b, "Less")])
def test_broadcasting_mismatch_names_the_op_and_both_shapes(op, name):
    with pytest.raises(tf.ShapeError) as info:
        op(tf.ones(2, 3), tf.ones(4))
    msg = _message(info)
    assert msg.startswith(name + ":")
    assert "(2, 3)" in msg and "(4,)" in msg and "cannot be broadcast" in msg


def test_broadcasting_mismatch_with_a_numpy_array_on_the_left():
    with pytest.raises(tf.ShapeError, match=r"Mul: shapes \(3, 2\) and \(2, 3\)"):
        np.ones((3, 2)) * tf.ones(2, 3)


def test_shape_errors_are_value_errors():
    # code that catches numpy's ValueError keeps working
    with pytest.raises(ValueError):
        tf.ones(2) + tf.ones(3)


def test_where_mismatch():
    with pytest.raises(tf.ShapeError, match=r"Select: shapes \(2,\) and \(3,\)"):
        tf.where(tf.ones(2) > 0, tf.ones(3), 0.0)


def test_reshape_mismatch_names_both_sizes():
    with pytest.raises(tf.ShapeError, match=r"Reshape: cannot reshape \(2, 3\) \(6 elements\) "
                                            r"into \(4, 2\) \(8 elements\)"):
        tf.ones(2, 3).reshape(4, 2)
    with pytest.raises(tf.ShapeError, match="only one dimension can be -1"):
        tf.ones(6).view(-1, -1)


def test_cat_and_stack_mismatch():
    with pytest.raises(tf.ShapeError, match=r"\(2, 3\) and \(3, 2\) differ in dimension 1"):
        tf.cat([tf.ones(2, 3), tf.ones(3, 2)])
    with pytest.raises(tf.ShapeError, match=r"stack: expects tensors of equal shape, got \(2, 3\) "
                                            r"at entry 0 and \(2, 4\) at entry 1"):
        tf.stack([tf.ones(2, 3), tf.ones(2, 4)])
    with pytest.raises(ValueError, match="non-empty"):
        tf.cat([])


def test_axis_out_of_range_names_the_op_and_the_range():
    with pytest.raises(tf.ShapeError) as info:
        tf.ones(2, 3).sum(dim=2)
    assert _message(info).startswith("Sum: axis 2 is out of range")
    assert "(2, 3)" in _message(info) and "[-2, 1]" in _message(info)
    with pytest.raises(tf.ShapeError, match="Softmax: axis -3"):
        tf.ones(2, 3).softmax(dim=-3)
    with pytest.raises(TypeError, match="axis must be an int"):
        tf.ones(2, 3).sum(dim="rows")


def test_permute_needs_a_permutation():
    with pytest.raises(tf.ShapeError, match=r"permute\(\): duplicate dims are not allowed"):
        tf.ones(2, 3).permute(0, 0)
    with pytest.raises(TypeError, match="give both"):
        tf.ones(2, 3).transpose(0)


def test_expand_mismatch():
    # ShapeErrors: RuntimeErrors, as PyTorch raises them (and ValueErrors, as TensorFlow's)
    with pytest.raises(tf.ShapeError, match=r"expand\(\): the expanded size of the tensor \(4\) "
                                            r"must match the existing size \(2\)"):
        tf.ones(2, 3).expand(4, 3)
    with pytest.raises(tf.ShapeError, match="-1 isn't allowed in a leading, non-existing dim"):
        tf.ones(3).expand(-1, 3)
    with pytest.raises(tf.ShapeError, match="number of sizes provided"):
        tf.ones(2, 3).expand(3)


def test_conv_channel_mismatch():
    with pytest.raises(tf.ShapeError, match=r"Conv2D: input has 2 channels but the weight expects 3"):
        F.conv2d(tf.ones(1, 2, 4, 4), tf.ones(3, 3, 2, 2))


def test_indexing_errors():
    x = tf.ones(2, 3)
    with pytest.raises(IndexError, match=r"GetItem.*\(2, 3\).*index 3 is out of bounds"):
        x[3]
    with pytest.raises(tf.ShapeError, match=r"too many indices \(3\) for a tensor of shape \(2, 3\)"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="valid indices, got float 1.5"):
        x[1.5]
    with pytest.raises(IndexError, match="valid indices, got an index of dtype float"):
        x[np.array([0.5])]


# --- autograd misuse ----------------------------------------------------------------------

def test_backward_on_a_non_scalar_needs_a_gradient():
    y = tf.ones(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError) as info:
        y.backward()
    msg = _message(info)
    assert "scalar outputs" in msg and "(2, 3)" in msg and "gradient=" in msg


def test_backward_gradient_of_the_wrong_shape():
    y = tf.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of "
                                           r"tinyflow.Size\(\[3\]\) and output\[0\] has a shape of "
                                           r"tinyflow.Size\(\[2\]\)"):
        y.backward(gradient=tf.ones(3))


def test_backward_on_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        tf.ones(2).sum().backward()


def test_grad_with_respect_to_a_tensor_that_does_not_require_grad():
    x = tf.ones(2, requires_grad=True)
    c = tf.ones(2)
    y = (x * c).sum()
    with pytest.raises(RuntimeError, match="input 1 does not require grad"):
        tf.grad(y, [x, c])
    with pytest.raises(RuntimeError, match="an output does not require grad"):
        tf.grad(c.sum(), x)


def test_item_on_a_many_element_tensor():
    with pytest.raises(RuntimeError, match=r"a tensor with 6 elements cannot be converted to a "
                                           r"Python scalar \(shape tinyflow.Size\(\[2, 3\]\)\)"):
        tf.ones(2, 3).item()
    with pytest.raises(RuntimeError, match="0 elements"):
        tf.zeros(0).item()


def test_truth_value_of_a_many_element_tensor():
    with pytest.raises(RuntimeError, match="2 elements is ambiguous"):
        if tf.ones(2) > 0:
            pass


# --- dtypes ----------------------------------------------------------------------------

@pytest.mark.parametrize("data, error, what", [
    (["a", "b"], ValueError, "too many dimensions 'str'"),
    ("text", TypeError, "invalid data type 'str'"), (b"raw", TypeError, "invalid data type 'bytes'"),
    ([object()], RuntimeError, "Could not infer dtype of object"),
    ({"a": 1}, RuntimeError, "Could not infer dtype of dict"),
    (None, RuntimeError, "Could not infer dtype of NoneType"),
    ([1j], TypeError, "complex"),
])
def test_unsupported_data(data, error, what):
    # PyTorch's error types (complex numbers aside: tinyflow holds none)
    with pytest.raises(error) as info:
        tf.tensor(data)
    msg = _message(info)
    assert msg.startswith("tensor(): ") and what in msg


@pytest.mark.parametrize("dtype", [object, str, np.complex64])
def test_unsupported_dtype_argument(dtype):
    with pytest.raises(TypeError, match=re.escape(f"unsupported dtype {np.dtype(dtype)}")):
        tf.tensor([1.0], dtype=dtype)


def test_ragged_lists():
    with pytest.raises(ValueError, match=r"expected sequence of length 2 at dim 1 \(got 1\)"):
        tf.tensor([[1, 2], [3]])
    with pytest.raises(ValueError, match=r"length 1 at dim 2 \(got 2\)"):
        tf.tensor([[[1], [2]], [[3], [4, 5]]])


def test_numpy_arrays_of_strings_are_rejected_too():
    with pytest.raises(TypeError, match="strings"):
        tf.tensor(np.array(["x"]))
    with pytest.raises(TypeError, match="strings"):
        tf.from_numpy(np.array(["x"]))


@pytest.mark.parametrize("make", [
    lambda: tf.tensor([1, 2], requires_grad=True),
    lambda: tf.tensor([True], requires_grad=True),
    lambda: tf.zeros(2, dtype=tf.int64, requires_grad=True),
    lambda: tf.arange(3).requires_grad_(),
    lambda: tf.ones_like(tf.tensor([1, 2]), requires_grad=True),
], ids=["tensor int", "tensor bool", "zeros int64", "requires_grad_", "ones_like"])
def test_integer_tensors_cannot_require_grad(make):
    with pytest.raises(RuntimeError) as info:
        make()
    msg = _message(info)
    assert "Only Tensors of floating point and complex dtype can require gradients" in msg
    assert re.search(r"got dtype (int64|bool)", msg)


def test_ops_with_no_loop_for_a_dtype_name_the_op_and_dtypes():
    with pytest.raises(TypeError, match=r"Sign failed on inputs of shapes \(1,\) \(dtypes bool\)"):
        tf.sign(tf.tensor([True]))
    with pytest.raises(RuntimeError, match=r"Sub: Subtraction, the `-` operator, with two bool "
                                           r"tensors is not supported"):     # as PyTorch
        tf.tensor([True]) - tf.tensor([False])


def test_integer_to_negative_power():
    with pytest.raises(ValueError, match="Pow failed .*Integers to negative integer powers"):
        tf.tensor([2]) ** -1


def test_in_place_update_that_cannot_keep_the_dtype():
    x = tf.tensor([1, 2])
    with pytest.raises(TypeError, match="in-place Add.*float64.*int64"):
        x += 0.5


def test_only_integer_tensors_are_indices():
    assert [10, 20, 30][tf.tensor(1)] == 20
    with pytest.raises(TypeError, match="only integer tensors .* got dtype float32"):
        range(tf.tensor(2.5))


def test_clamp_needs_a_bound():
    with pytest.raises(ValueError, match="at least one of min and max"):
        tf.ones(2).clamp()
