"""Bad-input tables: creating tensors, and tensor methods (dims, shapes, indices)."""
import numpy as np

from _bad_input import (CREATION, DIM_METHOD, GRAD_FLAG, NAMES_METHOD, RNG,
                        _leaf, raises, returns)


def _default_dtype(m, dtype):
    before = m.get_default_dtype()
    try:
        m.set_default_dtype(dtype)
    finally:
        m.set_default_dtype(before)


# --- creation --------------------------------------------------------------------

SIZE_FUNCTIONS = ["zeros", "ones", "empty", "rand", "randn"]
BAD_SIZES = [                       # (shown as, arguments, PyTorch's error)
    ("'3'", ("3",), TypeError),
    ("2.5", (2.5,), TypeError),
    ("None", (None,), TypeError),
    ("(2, '3')", ((2, "3"),), TypeError),
    ("2, 3.0", (2, 3.0), TypeError),
    ("[2, None]", ([2, None],), TypeError),
    ("-1", (-1,), RuntimeError),
    ("2, -3", (2, -3), RuntimeError),
]
CREATION_SIZES = [
    (f"{fn}({shown})", (lambda fn, args: lambda m: getattr(m, fn)(*args))(fn, args),
     raises(error, fn, "size"))
    for fn in SIZE_FUNCTIONS for shown, args, error in BAD_SIZES]

LIKE_FUNCTIONS = ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"]
NOT_TENSORS = [("list", [1.0, 2.0]), ("ndarray", np.ones(2)), ("None", None), ("str", "x"),
               ("int", 3)]
CREATION_LIKE = [
    (f"{fn}({shown})", (lambda fn, v: lambda m: getattr(m, fn)(v))(fn, value),
     raises(TypeError, fn, "input"))
    for fn in LIKE_FUNCTIONS for shown, value in NOT_TENSORS]

CREATION_OTHER = [
    ("tensor(dtype='float32')", lambda m: m.tensor([1, 2], dtype="float32"),
     raises(TypeError, "tensor", "dtype", xfail=CREATION, parity_xfail=True)),
    ("tensor(requires_grad='yes')", lambda m: m.tensor([1.0], requires_grad="yes"),
     raises(TypeError, "tensor", "requires_grad", xfail=CREATION, parity_xfail=True)),
    ("tensor([1.0, None])", lambda m: m.tensor([1.0, None]),
     raises(RuntimeError, "tensor", "NoneType", xfail=CREATION + "; the message names float "
            "where the element that cannot be a number is None")),
    ("tensor(['a', 'b'])", lambda m: m.tensor(["a", "b"]), raises(ValueError, "tensor", "str")),
    ("tensor('abc')", lambda m: m.tensor("abc"), raises(TypeError, "tensor", "str")),
    ("tensor({1, 2})", lambda m: m.tensor({1, 2}), raises(RuntimeError, "tensor", "set")),
    ("tensor(ragged)", lambda m: m.tensor([[1, 2], [3]]),
     raises(ValueError, "tensor", "sequence of length")),
    ("tensor([1.5], dtype=int)", lambda m: m.tensor([1.5], dtype=int),
     returns(("tensor", (1,), "int64", [1], False))),
    ("zeros(2, dtype='float32')", lambda m: m.zeros(2, dtype="float32"),
     raises(TypeError, "zeros", "dtype", xfail=CREATION, parity_xfail=True)),
    ("zeros(2, dtype=np.float64)", lambda m: m.zeros(2, dtype=np.float64),
     raises(TypeError, "zeros", "dtype", xfail=CREATION, parity_xfail=True)),
    ("zeros(2, dtype=int)", lambda m: m.zeros(2, dtype=int),
     returns(("tensor", (2,), "int64", [0, 0], False))),
    ("ones(2, requires_grad='yes')", lambda m: m.ones(2, requires_grad="yes"),
     raises(TypeError, "ones", "requires_grad", xfail=CREATION, parity_xfail=True)),
    ("full((2,), 'x')", lambda m: m.full((2,), "x"), raises(TypeError, "full", "fill_value")),
    ("full((2,), None)", lambda m: m.full((2,), None), raises(TypeError, "full", "fill_value")),
    ("full(2, 1.0)", lambda m: m.full(2, 1.0), raises(TypeError, "full", "size", xfail=CREATION, parity_xfail=True)),
    ("full((2,))", lambda m: m.full((2,)), raises(TypeError, "full", "fill_value")),
    ("full((-1,), 1.0)", lambda m: m.full((-1,), 1.0), raises(RuntimeError, "full", "size")),
    ("full(('2',), 1.0)", lambda m: m.full(("2",), 1.0), raises(TypeError, "full", "size")),
    ("full_like(t, 'x')", lambda m: m.full_like(m.ones(2), "x"),
     raises(TypeError, "full_like", "fill_value")),
    ("zeros_like(t, dtype='float64')", lambda m: m.zeros_like(m.ones(2), dtype="float64"),
     raises(TypeError, "zeros_like", "dtype", xfail=CREATION, parity_xfail=True)),
    ("ones_like(t, dtype=int64, requires_grad=True)",
     lambda m: m.ones_like(m.ones(2), dtype=m.int64, requires_grad=True),
     raises(RuntimeError, "ones_like", ("requires_grad", "require gradients"))),
    ("arange(0, 'a')", lambda m: m.arange(0, "a"), raises(TypeError, "arange", "end")),
    ("arange(None)", lambda m: m.arange(None), raises(TypeError, "arange", "end")),
    ("arange(0, 10, 0)", lambda m: m.arange(0, 10, 0), raises(RuntimeError, "arange", "step")),
    ("arange(10, 0)", lambda m: m.arange(10, 0), raises(RuntimeError, "arange", "step")),
    ("arange(0, 10, -1)", lambda m: m.arange(0, 10, -1), raises(RuntimeError, "arange", "step")),
    ("arange(nan)", lambda m: m.arange(float("nan")),
     raises(RuntimeError, "arange", "end", xfail=CREATION + "; a nan or inf end is a "
            "RuntimeError naming arange (now numpy's ValueError)", parity_xfail=True)),
    ("arange(inf)", lambda m: m.arange(float("inf")),
     raises(RuntimeError, "arange", "end", xfail=CREATION + "; a nan or inf end is a "
            "RuntimeError naming arange (now numpy's ValueError)", parity_xfail=True)),
    ("arange(3, dtype='int64')", lambda m: m.arange(3, dtype="int64"),
     raises(TypeError, "arange", "dtype", xfail=CREATION, parity_xfail=True)),
    ("linspace(0, 1, -1)", lambda m: m.linspace(0, 1, -1),
     raises(RuntimeError, "linspace", "steps")),
    ("linspace(0, 1, 2.5)", lambda m: m.linspace(0, 1, 2.5),
     raises(TypeError, "linspace", "steps")),
    ("linspace(0, 1, '5')", lambda m: m.linspace(0, 1, "5"),
     raises(TypeError, "linspace", "steps")),
    ("linspace(0, 1)", lambda m: m.linspace(0, 1), raises(TypeError, "linspace", "steps")),
    ("linspace('a', 1, 5)", lambda m: m.linspace("a", 1, 5),
     raises(TypeError, "linspace", "start")),
    ("linspace(0, 1, 0)", lambda m: m.linspace(0, 1, 0),
     returns(("tensor", (0,), "float32", [], False))),
    ("eye(-1)", lambda m: m.eye(-1), raises(RuntimeError, "eye", ("'n'", "n must"))),
    ("eye(2.5)", lambda m: m.eye(2.5), raises(TypeError, "eye", ("'n'", "n must"))),
    ("eye('2')", lambda m: m.eye("2"), raises(TypeError, "eye", ("'n'", "n must"))),
    ("eye(None)", lambda m: m.eye(None), raises(TypeError, "eye", ("'n'", "n must"))),
    ("eye(2, -1)", lambda m: m.eye(2, -1),
     raises(RuntimeError, "eye", ("'m'", "m must"), xfail=CREATION + "; a negative m is "
            "reported as 'n'")),
    ("eye(2, 2.0)", lambda m: m.eye(2, 2.0), raises(TypeError, "eye", ("'m'", "m must"))),
    ("rand(2, dtype=int64)", lambda m: m.rand(2, dtype=m.int64),
     raises(NotImplementedError, "rand", "dtype")),
    ("randint(5)", lambda m: m.randint(5), raises(TypeError, "randint", "size")),
    ("randint(0, 5, 3)", lambda m: m.randint(0, 5, 3),
     raises(TypeError, "randint", "size", xfail=CREATION, parity_xfail=True)),
    ("randint(5, 0, (2,))", lambda m: m.randint(5, 0, (2,)),
     raises(RuntimeError, "randint", ("from", "low"))),
    ("randint(0.5, 5.5, (2,))", lambda m: m.randint(0.5, 5.5, (2,)),
     raises(TypeError, "randint", "low")),
    ("randint(0, '5', (2,))", lambda m: m.randint(0, "5", (2,)),
     raises(TypeError, "randint", "high")),
    ("randint(0, 5, (-2,))", lambda m: m.randint(0, 5, (-2,)),
     raises(RuntimeError, "randint", "size")),
    ("randint(0, 5, (2,), dtype=float32)", lambda m: m.randint(0, 5, (2,), dtype=m.float32).dtype,
     returns(("dtype", "float32"))),
    ("randperm(-1)", lambda m: m.randperm(-1),
     raises(RuntimeError, "randperm", "'n'", xfail=CREATION + "; a negative n is a RuntimeError "
            "in PyTorch (now a ValueError)", parity_xfail=True)),
    ("randperm(2.5)", lambda m: m.randperm(2.5), raises(TypeError, "randperm", "'n'")),
    ("randperm('3')", lambda m: m.randperm("3"), raises(TypeError, "randperm", "'n'")),
    ("normal(0, -1, size=(2,))", lambda m: m.normal(0.0, -1.0, size=(2,)),
     raises(RuntimeError, "normal", "std")),
    ("normal(0.0, 1.0)", lambda m: m.normal(0.0, 1.0),
     raises(TypeError, "normal", "size", xfail=CREATION + "; with two numbers, size is required", parity_xfail=True)),
    ("normal('0', 1.0, size=(2,))", lambda m: m.normal("0", 1.0, size=(2,)),
     raises(TypeError, "normal", "mean", xfail=CREATION)),
    ("normal(t, '1')", lambda m: m.normal(m.zeros(2), "1"),
     raises(TypeError, "normal", "std", xfail=CREATION)),
    ("normal(t2, t3)", lambda m: m.normal(m.zeros(2), m.ones(3)),
     raises(RuntimeError, "normal", "std")),
    ("normal(t, -t)", lambda m: m.normal(m.zeros(2), -m.ones(2)),
     raises(RuntimeError, "normal", "std")),
    ("normal(0.0, 1.0, size='2')", lambda m: m.normal(0.0, 1.0, size="2"),
     raises(TypeError, "normal", "size")),
    ("normal(int tensor, 1.0)", lambda m: m.normal(m.zeros(2, dtype=m.int64), 1.0),
     raises(NotImplementedError, "normal", "mean", xfail=CREATION + "; an integer mean has no "
            "normal samples (NotImplementedError), now it gives float32", parity_xfail=True)),
    ("from_numpy([1])", lambda m: m.from_numpy([1]), raises(TypeError, "from_numpy", "ndarray")),
    ("from_numpy(3)", lambda m: m.from_numpy(3), raises(TypeError, "from_numpy", "ndarray")),
    ("from_numpy(tensor)", lambda m: m.from_numpy(m.ones(2)),
     raises(TypeError, "from_numpy", "ndarray")),
    ("from_numpy(np.float32(1))", lambda m: m.from_numpy(np.float32(1.0)),
     raises(TypeError, "from_numpy", "ndarray")),
    ("from_numpy(str array)", lambda m: m.from_numpy(np.array(["x"])),
     raises(TypeError, "from_numpy", "dtype")),
    ("from_numpy(object array)", lambda m: m.from_numpy(np.array([object()])),
     raises(TypeError, "from_numpy", "dtype")),
    ("from_numpy(complex64 array)", lambda m: m.from_numpy(np.ones(2, np.complex64)),
     raises(TypeError, "from_numpy", "dtype", deviation="tinyflow's tensors hold no complex "
            "numbers: from_numpy refuses them with a TypeError that says so", torch="accepts")),
    ("manual_seed('x')", lambda m: m.manual_seed("x"),
     raises(ValueError, "manual_seed", "seed", xfail=RNG + " ('x' is a ValueError, as int('x'))", parity_xfail=True)),
    ("manual_seed(None)", lambda m: m.manual_seed(None), raises(TypeError, "manual_seed", "seed")),
    ("manual_seed([1])", lambda m: m.manual_seed([1]), raises(TypeError, "manual_seed", "seed")),
    ("manual_seed(2 ** 70)", lambda m: m.manual_seed(2 ** 70),
     raises(ValueError, "manual_seed", "seed")),
    ("manual_seed(1.5)", lambda m: (m.manual_seed(1.5), "seeded")[1],
     returns("seeded", xfail=RNG, parity_xfail=True)),
    ("Generator().manual_seed('x')", lambda m: m.Generator().manual_seed("x"),
     raises(RuntimeError, "manual_seed", "seed")),
    ("set_default_dtype(int64)", lambda m: _default_dtype(m, m.int64),
     raises(TypeError, "set_default_dtype", "floating")),
    ("set_default_dtype('float64')", lambda m: _default_dtype(m, "float64"),
     raises(TypeError, "set_default_dtype", "dtype", xfail="base/dtypes.py: set_default_dtype "
            "should refuse a string (PyTorch: only tinyflow.float16/32/64); not one of this "
            "change's files", parity_xfail=True)),
]


# --- tensor methods: dims, shapes, indices ---------------------------------------------

DIM_METHODS = {                     # method: called with one dim d
    "sum": lambda x, d: x.sum(dim=d),
    "mean": lambda x, d: x.mean(dim=d),
    "max": lambda x, d: x.max(dim=d),
    "argmax": lambda x, d: x.argmax(dim=d),
    "softmax": lambda x, d: x.softmax(dim=d),
    "log_softmax": lambda x, d: x.log_softmax(dim=d),
    "std": lambda x, d: x.std(dim=d),
    "transpose": lambda x, d: x.transpose(0, d),
    "unsqueeze": lambda x, d: x.unsqueeze(d),
    "squeeze": lambda x, d: x.squeeze(d),
    "flatten": lambda x, d: x.flatten(d),
    "size": lambda x, d: x.size(d),
}
OP_NAMES = {"log_softmax": ("log_softmax", "LogSoftmax"), "std": ("std", "var")}
BAD_DIMS = [("5", 5, IndexError), ("-5", -5, IndexError), ("'a'", "a", TypeError),
            ("1.5", 1.5, TypeError)]
# Which of those fail today, and why (the rest pass):
DIM_XFAIL = {
    ("transpose", "5"): DIM_METHOD, ("transpose", "-5"): DIM_METHOD,
    ("transpose", "'a'"): DIM_METHOD, ("transpose", "1.5"): DIM_METHOD,
    ("flatten", "5"): DIM_METHOD, ("flatten", "-5"): DIM_METHOD,
    ("flatten", "'a'"): DIM_METHOD, ("flatten", "1.5"): DIM_METHOD,
    ("unsqueeze", "5"): NAMES_METHOD, ("unsqueeze", "-5"): NAMES_METHOD,
    ("unsqueeze", "'a'"): NAMES_METHOD, ("unsqueeze", "1.5"): NAMES_METHOD,
    ("squeeze", "'a'"): DIM_METHOD, ("squeeze", "1.5"): DIM_METHOD,
}
DIM_PARITY_XFAIL = {("transpose", "5"): DIM_METHOD, ("transpose", "-5"): DIM_METHOD,
                    ("flatten", "5"): DIM_METHOD, ("flatten", "-5"): DIM_METHOD}
METHOD_DIMS = [
    (f"x.{name}(dim={shown})", (lambda f, d: lambda m: f(m.ones(2, 3), d))(f, dim),
     raises(error, OP_NAMES.get(name, name), "dim", xfail=DIM_XFAIL.get((name, shown)),
            parity_xfail=DIM_PARITY_XFAIL.get((name, shown))))
    for name, f in DIM_METHODS.items() for shown, dim, error in BAD_DIMS]

SHAPE_METHODS = ["view", "reshape"]
BAD_SHAPES = [("4, 2", (4, 2), RuntimeError), ("-1, -1", (-1, -1), RuntimeError),
              ("'a'", ("a",), TypeError), ("2.0, 3", (2.0, 3), TypeError),
              ("-2, 3", (-2, 3), RuntimeError), ("None", (None,), TypeError),
              ("[2, '3']", ([2, "3"],), TypeError), ("0, -1", (0, -1), RuntimeError)]
METHOD_SHAPES = [
    (f"x.{fn}({shown})", (lambda fn, a: lambda m: getattr(m.ones(2, 3), fn)(*a))(fn, args),
     raises(error, fn, ("shape", "size"), xfail=NAMES_METHOD if fn == "view" else None))
    for fn in SHAPE_METHODS for shown, args, error in BAD_SHAPES]

TENSOR_METHODS = [
    ("x.reshape() with no shape", lambda m: m.ones(2, 3).reshape(),
     raises(TypeError, "reshape", "shape", xfail="ops/methods.py: reshape() with no sizes "
            "should be a TypeError (missing 'shape'), not a reshape to ()", parity_xfail=True)),
    ("reshape([1, 2], (2,))", lambda m: m.reshape([1, 2], (2,)),
     raises(TypeError, "reshape", "input", xfail="compat/functions.py: tinyflow.reshape(input, "
            "shape) makes a tensor of whatever input is (a list here) instead of refusing what "
            "is not a tensor; not one of this change's files", parity_xfail=True)),
    ("x.view(6) of a transposed tensor", lambda m: m.ones(2, 3).t().view(6).shape,
     returns(("Size", (6,)), deviation="tinyflow's tensors have no strides: view() of a "
             "non-contiguous tensor works (it copies), where PyTorch says to use reshape()",
             torch=RuntimeError)),
    ("x.view(int32)", lambda m: m.ones(2, 3).view(m.int32).dtype,
     raises(TypeError, ("view", "reshape"), "dtype", deviation="view(dtype) reinterprets the "
            "bytes in PyTorch; tinyflow's view() takes sizes only (use .to(dtype))",
            torch="accepts")),
    ("x.transpose(0)", lambda m: m.ones(2, 3).transpose(0),
     raises(TypeError, "transpose", "dim1")),
    ("x.t() of a 3-d tensor", lambda m: m.ones(2, 2, 2).t(),
     raises(RuntimeError, "t()", "dimensions", xfail="ops/methods.py: t() should refuse more "
            "than 2 dimensions (it reverses them all)", parity_xfail=True)),
    ("x.permute(0, 0)", lambda m: m.ones(2, 3).permute(0, 0),
     raises(RuntimeError, "permute", "dims", xfail=NAMES_METHOD)),
    ("x.permute(0)", lambda m: m.ones(2, 3).permute(0),
     raises(RuntimeError, "permute", "dims", xfail=NAMES_METHOD)),
    ("x.permute(0, 2)", lambda m: m.ones(2, 3).permute(0, 2),
     raises(IndexError, "permute", "dims", xfail=NAMES_METHOD)),
    ("x.permute('a', 0)", lambda m: m.ones(2, 3).permute("a", 0),
     raises(TypeError, "permute", "dims", xfail=NAMES_METHOD)),
    ("x.permute(0.0, 1)", lambda m: m.ones(2, 3).permute(0.0, 1),
     raises(TypeError, "permute", "dims", xfail=NAMES_METHOD)),
    ("x.permute(-1, 0)", lambda m: m.ones(2, 3).permute(-1, 0).shape,
     returns(("Size", (3, 2)))),
    ("x.unsqueeze()", lambda m: m.ones(2, 3).unsqueeze(), raises(TypeError, "unsqueeze", "dim")),
    ("x.unsqueeze(2)", lambda m: m.ones(2, 3).unsqueeze(2).shape, returns(("Size", (2, 3, 1)))),
    ("x.unsqueeze(-3)", lambda m: m.ones(2, 3).unsqueeze(-3).shape, returns(("Size", (1, 2, 3)))),
    ("x.squeeze((0, 3))", lambda m: m.ones(1, 2, 1).squeeze((0, 3)),
     raises(IndexError, "squeeze", "dim")),
    ("x.sum(dim=(0, 0))", lambda m: m.ones(2, 3).sum(dim=(0, 0)),
     raises(RuntimeError, "sum", "dim")),
    ("x.sum(dim=(0, 5))", lambda m: m.ones(2, 3).sum(dim=(0, 5)),
     raises(IndexError, "sum", "dim")),
    ("x.sum(0, keepdim='yes')", lambda m: m.ones(2, 3).sum(0, keepdim="yes"),
     raises(TypeError, "sum", "keepdim", xfail=GRAD_FLAG.replace("eager/", "ops/methods.py"), parity_xfail=True)),
    ("scalar.sum(0)", lambda m: m.tensor(2.0).sum(0), returns(("tensor", (), "float32", 2.0, False))),
    ("scalar.sum(1)", lambda m: m.tensor(2.0).sum(1), raises(IndexError, "sum", "dim")),
    ("zeros(0).max()", lambda m: m.zeros(0).max(), raises(RuntimeError, "max", "dim")),
    ("zeros(0).min()", lambda m: m.zeros(0).min(), raises(RuntimeError, "min", "dim")),
    ("zeros(0).argmax()", lambda m: m.zeros(0).argmax(), raises(IndexError, "argmax", "dim")),
    ("x.softmax()", lambda m: m.ones(2, 3).softmax(),
     raises(TypeError, "softmax", "dim", xfail="ops/methods.py: Tensor.softmax(dim) has no "
            "default dim in PyTorch (only nn.functional.softmax guesses one, with a warning)", parity_xfail=True)),
    ("int tensor.softmax(0)", lambda m: m.tensor([1, 2]).softmax(0),
     raises(NotImplementedError, "softmax", "input")),
    ("x.flatten(1, 0)", lambda m: m.ones(2, 3).flatten(1, 0),
     raises(RuntimeError, "flatten", "start_dim", xfail=DIM_METHOD, parity_xfail=True)),
    ("scalar.flatten()", lambda m: m.tensor(1.0).flatten().shape, returns(("Size", (1,)))),
    ("x.expand(4, 3)", lambda m: m.ones(2, 3).expand(4, 3), raises(RuntimeError, "expand", "size",
                                                                   xfail=NAMES_METHOD)),
    ("x.expand(3)", lambda m: m.ones(2, 3).expand(3),
     raises(RuntimeError, "expand", "size", xfail="ops/methods.py: too few sizes is a "
            "RuntimeError in PyTorch (now a ValueError)", parity_xfail="ops/methods.py: too few "
            "sizes is a RuntimeError in PyTorch (now a ValueError)")),
    ("x.expand(-1, 3)", lambda m: m.ones(3).expand(-1, 3),
     raises(RuntimeError, "expand", "size", xfail="ops/methods.py: -1 for a new dimension is a "
            "RuntimeError in PyTorch (now a ValueError)", parity_xfail="ops/methods.py: -1 for a "
            "new dimension is a RuntimeError in PyTorch (now a ValueError)")),
    ("x.expand('a')", lambda m: m.ones(2, 3).expand("a"),
     raises(TypeError, "expand", "size", xfail="ops/methods.py: expand() should check its sizes "
            "are ints (base/args.size_arg)", parity_xfail="ops/methods.py: expand() should "
            "check its sizes are ints (base/args.size_arg)")),
    ("x.expand(2, 3.0)", lambda m: m.ones(3).expand(2, 3.0),
     raises(TypeError, "expand", "size", xfail="ops/methods.py: expand() should check its sizes "
            "are ints (base/args.size_arg)", parity_xfail="ops/methods.py: expand() should "
            "check its sizes are ints (base/args.size_arg)")),
    ("x.expand(2, -1)", lambda m: m.ones(1, 3).expand(2, -1).shape, returns(("Size", (2, 3)))),
    ("x.item() of 6 elements", lambda m: m.ones(2, 3).item(), raises(RuntimeError, "item", "6")),
    ("zeros(0).item()", lambda m: m.zeros(0).item(), raises(RuntimeError, "item", "0 elements")),
    ("x.to('float32')", lambda m: m.ones(2).to("float32"),
     raises(RuntimeError, "device", "float32")),
    ("x.to(dtype='float32')", lambda m: m.ones(2).to(dtype="float32"),
     raises(TypeError, "to", "dtype", xfail="ops/conversions.py: to(dtype=...) should refuse a "
            "string", parity_xfail=True)),
    ("x.to([1])", lambda m: m.ones(2).to([1]), raises(TypeError, "to", "list")),
    ("x.to(np.float64)", lambda m: m.ones(2).to(np.float64),
     raises(TypeError, "to", "dtype", xfail="ops/conversions.py: to() should refuse numpy's "
            "dtypes (PyTorch: a tinyflow.dtype or a Python type)", parity_xfail=True)),
    ("x.to(None)", lambda m: m.ones(2).to(None).shape,
     returns(("Size", (2,)), xfail="ops/conversions.py: to(None) changes nothing in PyTorch", parity_xfail=True)),
    ("x.type('float')", lambda m: m.ones(2).type("float"), raises(ValueError, "type", "float")),
    ("x.requires_grad_('yes')", lambda m: m.ones(2).requires_grad_("yes"),
     raises(TypeError, "requires_grad_", "requires_grad", xfail=GRAD_FLAG, parity_xfail=True)),
    ("int tensor.requires_grad = True",
     lambda m: setattr(m.ones(2, dtype=m.int64), "requires_grad", True),
     raises(RuntimeError, "requires_grad", "floating", xfail="eager/tensor.py: setting "
            "requires_grad=True on an integer tensor should be refused, as requires_grad_() is", parity_xfail=True)),
    ("non-leaf.requires_grad = False",
     lambda m: setattr(_leaf(m) * 2, "requires_grad", False),
     raises(RuntimeError, "requires_grad", "leaf", xfail="eager/tensor.py: requires_grad of a "
            "non-leaf tensor cannot be changed (use detach())", parity_xfail=True)),
    ("leaf.add_(1) in place", lambda m: _leaf(m).add_(1.0), raises(RuntimeError, "leaf", "in-place")),
    ("leaf.numpy()", lambda m: _leaf(m).numpy(), raises(RuntimeError, "numpy", "detach")),
]

INDEXING = [
    ("x[3]", lambda m: m.ones(2, 3)[3], raises(IndexError, ("GetItem", "index"), "3")),
    ("x[-3]", lambda m: m.ones(2, 3)[-3], raises(IndexError, ("GetItem", "index"), "-3")),
    ("x[:, 3]", lambda m: m.ones(2, 3)[:, 3], raises(IndexError, ("GetItem", "index"), "3")),
    ("x[0, 0, 0]", lambda m: m.ones(2, 3)[0, 0, 0],
     raises(IndexError, ("GetItem", "index"), "too many indices")),
    ("scalar[0]", lambda m: m.tensor(1.0)[0], raises(IndexError, ("GetItem", "index"), "item")),
    ("x[1.5]", lambda m: m.ones(2, 3)[1.5], raises(IndexError, "indices", "float")),
    ("x['a']", lambda m: m.ones(2, 3)["a"], raises(TypeError, ("GetItem", "index"), "str")),
    ("x[['a']]", lambda m: m.ones(2, 3)[["a"]], raises(TypeError, ("GetItem", "index"), "str")),
    ("x[{}]", lambda m: m.ones(2, 3)[{}], raises(IndexError, "indices", "dict")),
    ("x[float tensor]", lambda m: m.ones(2, 3)[m.tensor([0.5])],
     raises(IndexError, "indices", "float")),
    ("x[tensor([5])]", lambda m: m.ones(2, 3)[m.tensor([5])],
     raises(IndexError, ("GetItem", "index"), "5")),
    ("x[[0, 5]]", lambda m: m.ones(2, 3)[[0, 5]], raises(IndexError, ("GetItem", "index"), "5")),
    ("x[mask of the wrong shape]", lambda m: m.ones(2, 3)[m.tensor([True])],
     raises(IndexError, ("GetItem", "index"), "boolean")),
    ("x[None]", lambda m: m.ones(2, 3)[None].shape, returns(("Size", (1, 2, 3)))),
    ("scalar[True]", lambda m: m.tensor(1.0)[True].shape, returns(("Size", (1,)))),
    ("x[0] = 'a'", lambda m: m.ones(2, 3).__setitem__(0, "a"),
     raises(TypeError, "setitem", "str", xfail="eager/inplace.py: assigning a string should be "
            "a TypeError naming the assignment (now numpy's ValueError)",
            parity_xfail="eager/inplace.py: assigning a string should be a TypeError (now "
            "numpy's ValueError)")),
    ("x[5] = 1.0", lambda m: m.ones(2, 3).__setitem__(5, 1.0),
     raises(IndexError, ("setitem", "index"), "5")),
    ("x[0] = ones(4)", lambda m: m.ones(2, 3).__setitem__(0, m.ones(4)),
     raises(RuntimeError, "setitem", "shape", xfail="eager/inplace.py: a value that does not "
            "broadcast to x[key] is a RuntimeError naming both shapes (now numpy's ValueError)",
            parity_xfail="eager/inplace.py: a value that does not broadcast to x[key] is a "
            "RuntimeError (now numpy's ValueError)")),
]
