"""Bad-input tables: operators and op functions given what is not a tensor, and autograd."""
import numpy as np

from _bad_input import _leaf, raises, returns


def _backward_twice(m):
    y = (_leaf(m) * _leaf(m)).sum()
    y.backward()
    y.backward()


def _grad_unused(m):
    a, b = _leaf(m), _leaf(m)
    return m.autograd.grad((a * 2).sum(), [a, b])


def _iadd(m, other):
    x = m.ones(2)
    x += other
    return x


# --- operators and op functions with what is not a tensor ------------------------------

OPERATORS = {"+": ("Add", lambda a, b: a + b), "-": ("Sub", lambda a, b: a - b),
             "*": ("Mul", lambda a, b: a * b), "/": ("RealDiv", lambda a, b: a / b),
             "**": ("Pow", lambda a, b: a ** b), "<": ("Less", lambda a, b: a < b)}
BAD_OPERANDS = [("'a'", "a", "str"), ("None", None, "NoneType"), ("{}", {}, "dict")]
ARITHMETIC = [
    (f"x {op} {shown}", (lambda f, v: lambda m: f(m.ones(2, 3), v))(f, value),
     raises(TypeError, (name, op), type_name))
    for op, (name, f) in OPERATORS.items() for shown, value, type_name in BAD_OPERANDS] + [
    ("'a' + x", lambda m: "a" + m.ones(2), raises(TypeError, ("Add", "+"), "str")),
    ("None * x", lambda m: None * m.ones(2), raises(TypeError, ("Mul", "*"), "NoneType")),
    ("x @ 'a'", lambda m: m.ones(2, 2) @ "a",
     raises(TypeError, ("MatMul", "@"), "str")),
    ("x * ['a']", lambda m: m.ones(2) * ["a"], raises(TypeError, ("Mul", "*"), "str")),
    ("x + [1, 2]", lambda m: m.ones(2) + [1, 2],
     raises(TypeError, ("Add", "+"), "list")),
    ("x + (1, 2)", lambda m: m.ones(2) + (1, 2),
     raises(TypeError, ("Add", "+"), "tuple")),
    ("x += 'a'", lambda m: _iadd(m, "a"), raises(TypeError, ("Add", "+"), "str")),
    ("x == 'a'", lambda m: m.ones(2) == "a",
     returns(False)),
    ("x + ndarray", lambda m: m.ones(2) + np.ones(2),
     returns(("tensor", (2,), "float64", [2.0, 2.0], False))),
    ("bool - bool", lambda m: m.tensor([True]) - m.tensor([False]),
     raises(RuntimeError, "Sub", "bool")),
    ("x.add('a')", lambda m: m.ones(2).add("a"), raises(TypeError, "add", "other")),
    ("x.clamp(min='a')", lambda m: m.ones(2).clamp(min="a"), raises(TypeError, "clamp", "min")),
    ("x.clamp()", lambda m: m.ones(2).clamp(),
     raises(ValueError, "clamp", "min", deviation="PyTorch raises a RuntimeError; tinyflow a "
            "ValueError, as tests/test_errors.py::test_clamp_needs_a_bound has it",
            torch=RuntimeError)),
]

FUNCTIONS = [
    ("matmul((2, 3), (4, 5))", lambda m: m.matmul(m.ones(2, 3), m.ones(4, 5)),
     raises(RuntimeError, ("matmul", "MatMul"), "shapes")),
    ("matmul(vector, scalar)", lambda m: m.matmul(m.ones(3), m.tensor(2.0)),
     raises(RuntimeError, ("matmul", "MatMul"), "dimension")),
    ("matmul(x, 'a')", lambda m: m.matmul(m.ones(2, 3), "a"), raises(TypeError, "matmul", "other")),
    ("matmul(x, None)", lambda m: m.matmul(m.ones(2, 3), None),
     raises(TypeError, "matmul", "other")),
    ("matmul(float32, int64)", lambda m: m.matmul(m.ones(2, 2), m.ones(2, 2, dtype=m.int64)),
     raises(RuntimeError, ("matmul", "MatMul"), "dtype")),
    ("matmul(batch 2, batch 5)", lambda m: m.matmul(m.ones(2, 3, 4), m.ones(5, 4, 2)),
     raises(RuntimeError, ("matmul", "MatMul"), "batch")),
    ("x.matmul(None)", lambda m: m.ones(2, 2).matmul(None), raises(TypeError, "matmul", "other")),
    ("cat([])", lambda m: m.cat([]), raises(ValueError, "cat", "tensors")),
    ("cat(mismatched)", lambda m: m.cat([m.ones(2, 3), m.ones(3, 2)]),
     raises(RuntimeError, "cat", "dimension")),
    ("cat(a, b)", lambda m: m.cat(m.ones(2), m.ones(2)), raises(TypeError, "cat", "dim")),
    ("cat(dim=2)", lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], dim=2),
     raises(IndexError, "cat", "dim")),
    ("cat(dim='a')", lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], dim="a"),
     raises(TypeError, "cat", "dim")),
    ("cat(1-d, 2-d)", lambda m: m.cat([m.ones(2), m.ones(2, 2)]),
     raises(RuntimeError, "cat", "rank")),
    ("cat(0-d tensors)", lambda m: m.cat([m.tensor(1.0), m.tensor(2.0)]),
     raises(RuntimeError, "cat", "zero-dimensional")),
    ("cat(float32, int64)", lambda m: m.cat([m.ones(2), m.ones(2, dtype=m.int64)]).dtype,
     returns(("dtype", "float32"))),
    ("cat(None)", lambda m: m.cat(None), raises(TypeError, "cat", "tensors")),
    ("cat(tensor)", lambda m: m.cat(m.ones(2, 3)), raises(TypeError, "cat", "tensors")),
    ("cat([x, 'x'])", lambda m: m.cat([m.ones(2), "x"]), raises(TypeError, "cat", "str")),
    ("cat([[1.0], [2.0]])", lambda m: m.cat([[1.0], [2.0]]),
     raises(TypeError, "cat", "list")),
    ("stack([])", lambda m: m.stack([]), raises(RuntimeError, "stack", "tensors")),
    ("stack(mismatched)", lambda m: m.stack([m.ones(2), m.ones(3)]),
     raises(RuntimeError, "stack", "shape")),
    ("stack(dim=4)", lambda m: m.stack([m.ones(2, 3), m.ones(2, 3)], dim=4),
     raises(IndexError, "stack", "dim")),
    ("stack(dim=-4)", lambda m: m.stack([m.ones(2, 3), m.ones(2, 3)], dim=-4),
     raises(IndexError, "stack", "dim")),
    ("stack(dim=2)", lambda m: m.stack([m.ones(2, 3), m.ones(2, 3)], dim=2).shape,
     returns(("Size", (2, 3, 2)))),
    ("stack(tensor)", lambda m: m.stack(m.ones(2, 2)),
     raises(TypeError, "stack", "tensors")),
    ("stack([1.0, 2.0])", lambda m: m.stack([1.0, 2.0]),
     raises(TypeError, "stack", "float")),
    ("where(cond, ones(3), 0.0)", lambda m: m.where(m.tensor([True, False]), m.ones(3), 0.0),
     raises(RuntimeError, ("where", "Select"), "shapes")),
    ("where(float cond)", lambda m: m.where(m.ones(2), m.ones(2), m.zeros(2)),
     raises(RuntimeError, "where", "condition")),
    ("where(int cond)", lambda m: m.where(m.tensor([1, 0]), m.ones(2), m.zeros(2)),
     raises(RuntimeError, "where", "condition")),
    ("where('a', x, y)", lambda m: m.where("a", m.ones(2), m.zeros(2)),
     raises(TypeError, "where", "condition")),
    ("where(cond, 'a', y)", lambda m: m.where(m.tensor([True, False]), "a", m.zeros(2)),
     raises(TypeError, "where", "input")),
    ("where(cond, None, y)", lambda m: m.where(m.tensor([True, False]), None, m.zeros(2)),
     raises(TypeError, "where", "input")),
    ("where(cond, x)", lambda m: m.where(m.tensor([True, False]), m.ones(2)),
     raises(TypeError, "where", "other")),
    ("where(cond)", lambda m: m.where(m.tensor([True, False])),
     returns(("tuple", [("tensor", (1,), "int64", [0], False)]))),
    ("where(cond, 1.0, 0.0)", lambda m: m.where(m.tensor([True, False]), 1.0, 0.0),
     returns(("tensor", (2,), "float32", [1.0, 0.0], False))),
    ("exp('a')", lambda m: m.exp("a"), raises(TypeError, "exp", "input")),
    ("exp([1.0])", lambda m: m.exp([1.0]),
     raises(TypeError, "exp", "input")),
    ("sigmoid(None)", lambda m: m.sigmoid(None),
     raises(TypeError, "sigmoid", "input")),
    ("add(x, 'a')", lambda m: m.add(m.ones(2), "a"), raises(TypeError, "add", "other")),
    ("maximum(x, 'a')", lambda m: m.maximum(m.ones(2), "a"), raises(TypeError, "maximum", "other")),
    ("x.mul(None)", lambda m: m.ones(2).mul(None), raises(TypeError, "mul", "other")),
]


# --- autograd ------------------------------------------------------------------------

AUTOGRAD = [
    ("backward(gradient='x')", lambda m: (_leaf(m) * 2).backward(gradient="x"),
     raises(TypeError, "gradient", "str")),
    ("backward(gradient=[1.0, 1.0])", lambda m: (_leaf(m) * 2).backward(gradient=[1.0, 1.0]),
     raises(TypeError, "gradient", "float")),
    ("backward(gradient=numpy array)", lambda m: (_leaf(m) * 2).backward(np.ones(2)),
     raises(TypeError, "gradient", "float64")),
    ("autograd.grad(y, x, grad_outputs=numpy array)",
     lambda m: (lambda a: m.autograd.grad(a * 2, a, grad_outputs=np.ones(2)))(_leaf(m)),
     raises(TypeError, "gradients", "float64")),
    ("backward(gradient=ones(3))", lambda m: (_leaf(m) * 2).backward(m.ones(3)),
     raises(RuntimeError, "grad_output", "shape")),
    ("backward() of a vector", lambda m: (_leaf(m) * 2).backward(),
     raises(RuntimeError, "scalar", "gradient")),
    ("backward() without grad", lambda m: m.ones(2).sum().backward(),
     raises(RuntimeError, "tensors", "require grad")),
    ("backward() twice", _backward_twice, raises(RuntimeError, "backward", "retain_graph")),
    ("backward(retain_graph='no')", lambda m: (_leaf(m) * 2).sum().backward(retain_graph="no"),
     raises(TypeError, "backward", "retain_graph")),
    ("backward(inputs='a')", lambda m: (_leaf(m) * 2).sum().backward(inputs="a"),
     raises(RuntimeError, "backward", "inputs")),
    ("backward(int gradient)", lambda m: (_leaf(m) * 2).backward(m.ones(2, dtype=m.int64)),
     returns(None)),
    ("autograd.grad(y, 'x')", lambda m: m.autograd.grad((_leaf(m) * 2).sum(), "x"),
     raises(RuntimeError, "grad", "inputs")),
    ("autograd.grad(y, 5)", lambda m: m.autograd.grad((_leaf(m) * 2).sum(), 5),
     raises(TypeError, "grad", "inputs")),
    ("autograd.grad(y, constant)", lambda m: m.autograd.grad((_leaf(m) * 2).sum(), m.ones(2)),
     raises(RuntimeError, "grad", "input")),
    ("autograd.grad(y, x, grad_outputs='a')",
     lambda m: (lambda a: m.autograd.grad((a * 2).sum(), a, grad_outputs="a"))(_leaf(m)),
     raises(TypeError, "gradients", "str")),
    ("autograd.grad(vector, x)", lambda m: (lambda a: m.autograd.grad(a * 2, a))(_leaf(m)),
     raises(RuntimeError, "scalar", "grad")),
    ("autograd.grad(y, [])", lambda m: (lambda a: m.autograd.grad((a * 2).sum(), []))(_leaf(m)),
     raises(RuntimeError, "grad", "inputs")),
    ("autograd.grad('y', x)", lambda m: m.autograd.grad("y", _leaf(m)),
     raises(AssertionError, "grad", "outputs")),
    ("autograd.grad(unused input)", _grad_unused, raises(RuntimeError, "grad", "allow_unused")),
    ("autograd.grad(grad_outputs of the wrong shape)",
     lambda m: (lambda a: m.autograd.grad(a * 2, a, grad_outputs=m.ones(3)))(_leaf(m)),
     raises(RuntimeError, "grad_output", "shape")),
    ("autograd.grad(2 outputs, 1 grad_output)",
     lambda m: (lambda a: m.autograd.grad([a.sum(), (a * 2).sum()], a,
                                          grad_outputs=[m.tensor(1.0)]))(_leaf(m)),
     raises(RuntimeError, "grad", "grad_outputs")),
    ("autograd.backward('x')", lambda m: m.autograd.backward("x"),
     raises(AssertionError, "backward", "tensors")),
    ("jacobian(5, x)", lambda m: m.autograd.functional.jacobian(5, m.ones(2)),
     raises(TypeError, "jacobian", "func")),
    ("jacobian(f, 'x')", lambda m: m.autograd.functional.jacobian(lambda a: a, "x"),
     raises(TypeError, "jacobian", "inputs")),
    ("hessian(non-scalar f)", lambda m: m.autograd.functional.hessian(lambda a: a * 2, m.ones(2)),
     raises(RuntimeError, "hessian", "single")),
]
