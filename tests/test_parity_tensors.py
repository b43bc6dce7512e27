"""Parity with real PyTorch for tensors: the same calls on ``torch`` and on
``tinyflow``, compared on values, dtypes, shapes, devices and error types.

Runs where PyTorch is installed (``make parity`` installs it; CI always runs it);
without PyTorch each test says it was skipped and why.
"""
import numpy as np
import pytest

import tinyflow
from _parity import assert_same_outcome, import_torch

torch = import_torch()


def _fn_relu(m):
    class MyReLU(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * (x > 0).to(g.dtype)
    x = m.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = MyReLU.apply(x)
    (y * y).sum().backward()
    return y, x.grad, type(y.grad_fn).__name__ if False else y.requires_grad


def _fn_two_inputs(m):
    class MulAdd(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, k):
            ctx.save_for_backward(a, b)
            ctx.k = k
            return a * b + k

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b, g * a, None
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([3.0, 4.0])
    y = MulAdd.apply(a, b, 5.0)
    y.sum().backward()
    return y, a.grad, b.grad


def _fn_needs_input_grad(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(tuple(ctx.needs_input_grad))
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g, g
    F.apply(m.ones(2, requires_grad=True), m.ones(2))
    return seen


def _fn_wrong_count(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g
    F.apply(m.ones(2, requires_grad=True), m.ones(2, requires_grad=True)).sum().backward()


def _legacy_new(m):
    class F(m.autograd.Function):
        def forward(self, x):
            return x
    return F()(m.ones(2))


CASES = {
    # devices
    "device repr": lambda m: repr(m.device("cpu")),
    "device str with index": lambda m: str(m.device("cpu", 0)),
    "device from string index": lambda m: (m.device("cpu:0").type, m.device("cpu:0").index),
    "device cuda name": lambda m: repr(m.device("cuda")),
    "device unknown type": lambda m: m.device("gpu"),
    "device int": lambda m: m.device(5),
    "tensor.device": lambda m: m.zeros(2).device,
    "zeros device=cpu": lambda m: m.zeros(2, device="cpu"),
    "zeros device=device": lambda m: m.ones(2, device=m.device("cpu")),
    "zeros device=cuda": lambda m: m.zeros(2, device="cuda"),
    # new_* take the tensor's dtype
    "new_zeros": lambda m: m.ones(2, dtype=m.float64).new_zeros(2, 3),
    "new_zeros tuple": lambda m: m.ones(2, dtype=m.float64).new_zeros((1, 2)),
    "new_zeros dtype": lambda m: m.ones(2).new_zeros([2], dtype=m.int64),
    "new_zeros requires_grad": lambda m: m.ones(2).new_zeros(2, requires_grad=True),
    "new_zeros int requires_grad": lambda m: m.tensor([1]).new_zeros(2, requires_grad=True),
    "new_zeros no size": lambda m: m.ones(2).new_zeros(),
    "new_zeros float size": lambda m: m.ones(2).new_zeros(2.0),
    "new_ones of a grad tensor": lambda m: m.ones(2, requires_grad=True).new_ones(3),
    "new_empty shape": lambda m: m.ones(2, dtype=m.float64).new_empty(0, 2),
    "new_full int tensor float value": lambda m: m.tensor([1, 2]).new_full((2,), 2.5),
    "new_full int size": lambda m: m.ones(2).new_full(2, 3.0),
    "new_tensor": lambda m: m.ones(2, dtype=m.float64).new_tensor([1, 2]),
    "new_tensor int": lambda m: m.tensor([1]).new_tensor([1.5, -2.5]),
    "new_tensor dtype": lambda m: m.ones(2).new_tensor([1, 2], dtype=m.int32),
    "cuda()": lambda m: m.zeros(2).cuda(),
    "to cuda": lambda m: m.zeros(2).to("cuda"),
    "cuda available": lambda m: (m.cuda.is_available(), m.cuda.device_count()),
    "accelerator": lambda m: (m.accelerator.is_available(), m.accelerator.current_accelerator()),
    "mps": lambda m: m.backends.mps.is_available(),
    "is_cuda": lambda m: m.zeros(2).is_cuda,
    # to / conversions
    "to cpu is self": lambda m: (lambda x: x.to("cpu") is x)(m.zeros(2)),
    "to same dtype is self": lambda m: (lambda x: x.to(m.float32) is x)(m.zeros(2)),
    "to copy": lambda m: (lambda x: x.to("cpu", copy=True) is x)(m.zeros(2)),
    "to dtype": lambda m: m.zeros(2).to(m.float64),
    "to device dtype": lambda m: m.zeros(2).to("cpu", m.float16),
    "to other": lambda m: m.zeros(2).to(m.ones(1, dtype=m.int32)),
    "to keywords": lambda m: m.zeros(2).to(device="cpu", dtype=m.int64),
    "to bad string": lambda m: m.zeros(2).to("float32"),
    "cpu is self": lambda m: (lambda x: x.cpu() is x)(m.zeros(2)),
    "type()": lambda m: m.zeros(2).type(),
    "type() long": lambda m: m.zeros(2, dtype=m.int64).type(),
    "type(LongTensor)": lambda m: m.ones(2).type(m.LongTensor),
    "type(str)": lambda m: m.ones(2).type("torch.DoubleTensor"),
    "type(dtype)": lambda m: m.ones(2).type(m.float16),
    "half": lambda m: m.ones(2).half(),
    "is_floating_point": lambda m: (m.ones(2).is_floating_point(),
                                    m.ones(2, dtype=m.int64).is_floating_point()),
    "element_size": lambda m: (m.ones(2).element_size(), m.ones(2).double().element_size()),
    # Size
    "shape is Size": lambda m: m.zeros(2, 3).shape,
    "size()": lambda m: m.zeros(2, 3).size(),
    "size(-1)": lambda m: m.zeros(2, 3).size(-1),
    "size(5)": lambda m: m.zeros(2, 3).size(5),
    "size('a')": lambda m: m.zeros(2, 3).size("a"),
    "Size numel": lambda m: m.Size([2, 3, 4]).numel(),
    "Size slice": lambda m: m.zeros(2, 3, 4).shape[1:],
    # creation: dtypes and checks
    "tensor floats": lambda m: m.tensor([1.0, 2.5]),
    "tensor ints": lambda m: m.tensor([1, 2]),
    "tensor bools": lambda m: m.tensor([True]),
    "tensor mixed": lambda m: m.tensor([1, 2.5]),
    "tensor np float64": lambda m: m.tensor(np.float64(1.5)),
    "tensor np array": lambda m: m.tensor(np.array([1.0])),
    "tensor empty": lambda m: m.tensor([]),
    "tensor ragged": lambda m: m.tensor([[1, 2], [3]]),
    "tensor str": lambda m: m.tensor("abc"),
    "tensor list of str": lambda m: m.tensor(["a", "b"]),
    "tensor None": lambda m: m.tensor(None),
    "tensor dict": lambda m: m.tensor({"a": 1}),
    "tensor int requires_grad": lambda m: m.tensor([1, 2], requires_grad=True),
    "zeros tuple": lambda m: m.zeros((2, 3)),
    "zeros list": lambda m: m.zeros([2, 3]),
    "zeros str": lambda m: m.zeros("3"),
    "zeros None": lambda m: m.zeros(None),
    "zeros float": lambda m: m.zeros(2.5),
    "zeros bool": lambda m: m.zeros(True),
    "zeros negative": lambda m: m.zeros(-1),
    "zeros negative in tuple": lambda m: m.zeros(2, -3),
    "zeros int64 requires_grad": lambda m: m.zeros(2, dtype=m.int64, requires_grad=True),
    "ones int32": lambda m: m.ones(2, dtype=m.int32),
    "empty shape": lambda m: m.empty(2, 3).shape,
    "full int": lambda m: m.full((2,), 3),
    "full float": lambda m: m.full((2,), 3.0),
    "full bool": lambda m: m.full((2,), True),
    "full str": lambda m: m.full((2,), "x"),
    "eye": lambda m: m.eye(2, 3),
    "eye int": lambda m: m.eye(2, dtype=m.int64),
    "eye negative": lambda m: m.eye(-1),
    "arange int": lambda m: m.arange(5),
    "arange float": lambda m: m.arange(0.0, 2.0, 0.5),
    "arange start end": lambda m: m.arange(1, 4),
    "arange step 0": lambda m: m.arange(0, 10, 0),
    "arange bad": lambda m: m.arange(0, "a"),
    "linspace": lambda m: m.linspace(0, 10, 5),
    "linspace negative": lambda m: m.linspace(0, 1, -1),
    "randint shape dtype": lambda m: (m.randint(0, 5, (3,)).shape, m.randint(0, 5, (3,)).dtype),
    "randint high size": lambda m: m.randint(10, (3,)).shape,
    "randint no size": lambda m: m.randint(5),
    "randperm": lambda m: (m.randperm(4).dtype, sorted(m.randperm(4).tolist())),
    "randn dtype": lambda m: (m.randn(2, 3).dtype, m.randn(2, dtype=m.float64).dtype),
    "randn int": lambda m: m.randn(2, dtype=m.int64),
    "rand_like int": lambda m: m.rand_like(m.zeros(2, dtype=m.int64)),
    "zeros_like int": lambda m: m.zeros_like(m.zeros(2, dtype=m.int32)),
    "normal numbers": lambda m: (m.normal(0.0, 1.0, size=(2, 3)).shape,
                                 m.normal(0.0, 1.0, size=(2,)).dtype),
    "normal tensor mean": lambda m: m.normal(m.zeros(3), 1.0).shape,
    "normal tensors": lambda m: m.normal(m.zeros(2), m.ones(2)).shape,
    "normal float64": lambda m: m.normal(m.zeros(2, dtype=m.float64), 1.0).dtype,
    "normal negative std": lambda m: m.normal(0.0, -1.0, size=(2,)),
    "normal shape mismatch": lambda m: m.normal(m.zeros(2), m.ones(3)),
    "default dtype": lambda m: m.get_default_dtype(),
    "from_numpy list": lambda m: m.from_numpy([1]),
    # legacy
    "FloatTensor data": lambda m: m.FloatTensor([1, 2]),
    "LongTensor sizes": lambda m: m.LongTensor(2, 3).shape,
    "DoubleTensor": lambda m: m.DoubleTensor([[1.0]]),
    "isinstance legacy": lambda m: (isinstance(m.zeros(2), m.FloatTensor),
                                    isinstance(m.zeros(2), m.LongTensor)),
    "Variable": lambda m: m.autograd.Variable(m.ones(2), requires_grad=True),
    # type promotion: PyTorch's rules, not numpy's
    "int * float": lambda m: m.tensor([1, 2]) * 1.5,
    "int / int": lambda m: m.tensor([1, 2]) / m.tensor([2, 4]),
    "int / 2": lambda m: m.tensor([1, 2]) / 2,
    "float32 * int64": lambda m: m.tensor([1.0, 2.0]) * m.tensor([3, 4]),
    "float32 + 0-d float64": lambda m: m.tensor([1.0, 2.0]) + m.tensor(1.0, dtype=m.float64),
    "float32 * numpy float64 scalar": lambda m: m.tensor([1.0, 2.0]) * np.float64(2),
    "float32 + float64": lambda m: m.tensor([1.0]) + m.tensor([1.0], dtype=m.float64),
    "int32 + 0-d int64": lambda m: m.tensor([1], dtype=m.int32) + m.tensor(1),
    "bool + int": lambda m: m.tensor([True]) + 1,
    "uint8 + int8": lambda m: m.tensor([1], dtype=m.uint8) + m.tensor([1], dtype=m.int8),
    "exp of int": lambda m: m.exp(m.tensor([0, 1])),
    "sigmoid of int": lambda m: m.sigmoid(m.tensor([0, 1])),
    "relu of int": lambda m: m.relu(m.tensor([-1, 1])),
    "int ** 2": lambda m: m.tensor([1, 2]) ** 2,
    "int ** 0.5": lambda m: m.tensor([1, 4]) ** 0.5,
    "maximum int float": lambda m: m.maximum(m.tensor([1, 5]), m.tensor([2.0, 3.0])),
    "where int float": lambda m: m.where(m.tensor([True, False]), m.tensor([1, 2]),
                                         m.tensor([0.5, 0.5])),
    "mean of int": lambda m: m.tensor([1, 2]).mean(),
    "sum of int32": lambda m: m.tensor([1, 2], dtype=m.int32).sum(),
    "matmul float32 float64": lambda m: m.ones(1, 2) @ m.ones(2, 1, dtype=m.float64),
    "float16 * 0-d float32": lambda m: m.ones(2, dtype=m.float16) * m.tensor(2.0),
    # .data: a tensor sharing storage, recorded by nothing
    ".data is detached": lambda m: (lambda p: (p.data.requires_grad, p.data.grad_fn is None))(
        m.ones(2, requires_grad=True)),
    ".data -= changes the parameter": lambda m: _data_update(m),
    ".data.add_": lambda m: (lambda p: (p.data.add_(1.0), p)[1])(m.ones(2, requires_grad=True)),
    ".data.zero_ on grad": lambda m: _grad_data_zero(m),
    ".data = tensor": lambda m: _data_set(m),
    ".data = list": lambda m: setattr(m.ones(2), "data", [1, 2]),
    ".data = int tensor on a leaf requiring grad": lambda m: setattr(
        m.ones(2, requires_grad=True), "data", m.zeros(2, dtype=m.int64)),
    ".data.numpy()": lambda m: m.ones(2, requires_grad=True).data.numpy().tolist(),
    # sorting, rounding, the operators // and %
    "sort": lambda m: m.sort(m.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]), dim=1),
    "sort descending": lambda m: m.tensor([3.0, 1.0, 2.0]).sort(descending=True),
    "topk": lambda m: m.topk(m.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]), 2, dim=1),
    "topk smallest": lambda m: m.tensor([3.0, 1.0, 2.0]).topk(2, largest=False),
    "topk k too big": lambda m: m.tensor([3.0, 1.0]).topk(3),
    "topk gradient": lambda m: _topk_grad(m),
    "max(dim) pair": lambda m: (lambda r: (type(r).__name__, r.values, r.indices))(
        m.max(m.tensor([[1.0, 5.0], [7.0, 2.0]]), 1)),
    "argsort": lambda m: m.tensor([3.0, 1.0, 2.0]).argsort(),
    "unique": lambda m: m.tensor([3, 1, 3, 2]).unique(),
    "unique counts": lambda m: m.unique(m.tensor([3, 1, 3, 2]), return_counts=True),
    "round halves to even": lambda m: m.tensor([1.5, 2.5, -0.5]).round(),
    "round decimals": lambda m: m.round(m.tensor([1.234, 5.678]), decimals=1),
    "round gradient": lambda m: _round_grad(m),
    "floor ceil trunc": lambda m: (m.tensor([1.2, -1.7]).floor(), m.tensor([1.2, -1.7]).ceil(),
                                   m.tensor([1.2, -1.7]).trunc()),
    "int // int": lambda m: m.tensor([-7, 7]) // 2,
    "int % int": lambda m: m.tensor([-7, 7]) % 3,
    "float // float": lambda m: m.tensor([-7.5]) // 2.0,
    "float % float": lambda m: m.tensor([-7.5]) % 2.0,
    "diag of vector": lambda m: m.diag(m.tensor([1.0, 2.0])),
    "diag of matrix": lambda m: m.ones(2, 3).diag(),
    "diag offset": lambda m: m.tensor([1.0, 2.0]).diag(1),
    "add alpha": lambda m: m.add(m.ones(2), m.ones(2), alpha=3),
    "add_ alpha": lambda m: m.ones(2).add_(m.ones(2), alpha=-0.5),
    # printing
    "repr floats": lambda m: repr(m.tensor([1.0, 2.5])),
    "repr whole floats": lambda m: repr(m.tensor([1.0, -2.0])),
    "repr scientific": lambda m: repr(m.tensor([1e-5, 1.0])),
    "repr wide range": lambda m: repr(m.tensor([[0.0, 2.5, 10.0], [1e-3, -3.0, 100.5]])),
    "repr nan inf": lambda m: repr(m.tensor([float("nan"), 1.5, float("inf")])),
    "repr 0-d": lambda m: repr(m.tensor(3.9166667)),
    "repr float64": lambda m: repr(m.tensor([2.5], dtype=m.float64)),
    "repr int32": lambda m: repr(m.tensor([1, 2], dtype=m.int32)),
    "repr bool": lambda m: repr(m.tensor([True, False])),
    "repr empty": lambda m: (repr(m.zeros(0)), repr(m.zeros(2, 0))),
    "repr grad_fn": lambda m: repr(m.ones(2, requires_grad=True) * 2),
    "repr requires_grad": lambda m: repr(m.ones(2, requires_grad=True)),
    "grad_fn names": lambda m: _grad_fn_names(m),
    # modules
    "Module.to(device)": lambda m: (lambda net: (net.to("cpu") is net, net.cpu() is net))(
        m.nn.Linear(2, 2)),
    "Module.to(device, dtype)": lambda m: m.nn.Linear(2, 2).to("cpu", m.float64).weight.dtype,
    "Module.cuda()": lambda m: m.nn.Linear(2, 2).cuda(),
    "load_state_dict all matched": lambda m: repr((lambda net: net.load_state_dict(
        net.state_dict()))(m.nn.Linear(2, 2))),
    "load_state_dict missing": lambda m: repr((lambda net: net.load_state_dict(
        {"weight": net.weight}, strict=False))(m.nn.Linear(2, 2))),
    "load_state_dict of a path": lambda m: m.nn.Linear(2, 2).load_state_dict("model.pt"),
    "float() of a vector": lambda m: float(m.ones(2)),
    # formatting
    "format 0-d": lambda m: f"{m.tensor(1.5):.4f}",
    "format 0-d plain": lambda m: f"{m.tensor(1.5)}",
    "format 1-elem vector": lambda m: f"{m.tensor([1.5]):.2f}",
    "format vector": lambda m: f"{m.tensor([1.5, 2.0]):.2f}",
    # equal, grad modes
    "equal": lambda m: (m.equal(m.ones(2), m.ones(2)), m.equal(m.ones(2), m.ones(3))),
    "equal list": lambda m: m.equal(m.ones(2), [1, 1]),
    "is_tensor": lambda m: (m.is_tensor(1), m.is_tensor(m.ones(1))),
    "numel": lambda m: m.numel(m.ones(2, 3)),
    "inference_mode": lambda m: _inference(m),
    "inference_mode decorator": lambda m: m.inference_mode()(lambda: m.is_grad_enabled())(),
    # autograd
    "Function relu": _fn_relu,
    "Function two inputs and a constant": _fn_two_inputs,
    "Function needs_input_grad": _fn_needs_input_grad,
    "Function wrong gradient count": _fn_wrong_count,
    "Function legacy": _legacy_new,
    "backward gradient str": lambda m: (m.ones(2, requires_grad=True) * 2).backward(gradient="x"),
    "backward wrong shape": lambda m: (m.ones(2, requires_grad=True) * 2).backward(m.ones(3)),
    "backward not scalar": lambda m: (m.ones(2, requires_grad=True) * 2).backward(),
    "grad inputs str": lambda m: m.autograd.grad((m.ones(2, requires_grad=True) * 2).sum(), "x"),
    "autograd.backward list": lambda m: _backward_list(m),
    "jacobian": lambda m: m.autograd.functional.jacobian(lambda a: a ** 2,
                                                          m.tensor([1.0, 2.0])),
    "jacobian two inputs": lambda m: m.autograd.functional.jacobian(
        lambda a, b: a * b, (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))),
    "jacobian matrix": lambda m: m.autograd.functional.jacobian(
        lambda a: a @ m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.tensor([[1.0, 1.0]])),
    "hessian": lambda m: m.autograd.functional.hessian(lambda a: (a ** 3).sum(),
                                                        m.tensor([1.0, 2.0])),
}


def _data_update(m):
    p = m.ones(2, requires_grad=True)
    (p * p).sum().backward()
    p.data -= 0.5 * p.grad
    return p, p.grad


def _grad_data_zero(m):
    p = m.ones(2, requires_grad=True)
    (p * 3).sum().backward()
    p.grad.data.zero_()
    return p.grad


def _data_set(m):
    p = m.ones(2, requires_grad=True)
    p.data = m.zeros(3)
    return p, p.shape


def _topk_grad(m):
    x = m.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]], requires_grad=True)
    x.topk(2, dim=1).values.sum().backward()
    return x.grad


def _round_grad(m):
    x = m.tensor([1.2, 2.7], requires_grad=True)
    y = x.round()
    (y * 3).sum().backward()
    return y.requires_grad, x.grad


def _grad_fn_names(m):
    x = m.ones(2, 2, requires_grad=True)
    ys = [x + 1, x - 1, x * 2, x / 2, x ** 2, x.exp(), x.log(), x.tanh(), x.sigmoid(),
          x.relu(), -x, x.sum(), x.mean(), x @ x, x.reshape(4), x.abs(), x.sqrt()]
    return [type(y.grad_fn).__name__ for y in ys]


def _inference(m):
    with m.inference_mode():
        y = m.ones(2, requires_grad=True) * 2
        inside = m.is_inference_mode_enabled()
    return y.requires_grad, inside, m.is_inference_mode_enabled()


def _backward_list(m):
    x = m.ones(2, requires_grad=True)
    m.autograd.backward([(x * 2).sum(), (x * 3).sum()])
    return x.grad


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_as_pytorch(name):
    assert_same_outcome(name, CASES[name], torch, tinyflow)
