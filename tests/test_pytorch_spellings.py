"""PyTorch's spellings, checked on tinyflow alone (the same behaviours are compared with
real PyTorch in test_parity_tensors.py, which needs PyTorch; these run everywhere)."""
import numpy as np
import pytest

import tinyflow as torch
import tinyflow.nn as nn


def test_a_tutorial_device_line_picks_the_cpu():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Linear(3, 1).to(device)
    x = torch.randn(4, 3, device=device)
    assert model(x).device == device == torch.device("cpu")
    with pytest.raises(AssertionError, match="tinyflow computes on the CPU with numpy"):
        x.cuda()
    with pytest.raises(AssertionError, match="no 'cuda' device"):
        torch.zeros(2, device="cuda")


def test_size_prints_as_pytorch_and_is_a_tuple():
    s = torch.zeros(6, 1, 5, 5).size()
    assert repr(s) == "tinyflow.Size([6, 1, 5, 5])" and s == (6, 1, 5, 5) and s.numel() == 150


def test_data_shares_storage_and_escapes_autograd():
    p = torch.ones(3, requires_grad=True)
    (p * p).sum().backward()
    p.data -= 0.5 * p.grad                     # the classic hand-written update
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 0.0, 0.0])
    assert p.requires_grad and p.is_leaf and p._version == 0
    p.data = torch.zeros(5)
    assert p.shape == (5,)
    with pytest.raises(TypeError, match="has to be a tensor, but got list"):
        p.data = [1, 2]


def test_type_promotion_follows_pytorch_not_numpy():
    ints = torch.tensor([1, 2])
    assert (ints * 1.5).dtype == torch.float32 and (ints / 2).dtype == torch.float32
    assert (torch.ones(2) * ints).dtype == torch.float32
    assert (torch.ones(2) + torch.tensor(1.0, dtype=torch.float64)).dtype == torch.float32
    assert (torch.ones(2) * np.float64(2)).dtype == torch.float32
    assert (torch.ones(2) + torch.ones(2, dtype=torch.float64)).dtype == torch.float64
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        ints.mean()


def test_a_custom_function_runs_on_the_tape_with_hooks_drawings_and_double_backward():
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 3 * x ** 2
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = Cube.apply(x)
    assert type(y.grad_fn).__name__ == "CubeBackward"
    seen = []
    y.register_hook(lambda g: seen.append(g.detach().numpy().copy()))
    assert "Cube" in torch.draw(y.sum()).source
    g, = torch.autograd.grad(y.sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [3.0, 12.0])
    np.testing.assert_allclose(torch.autograd.grad(g.sum(), x)[0].numpy(), [6.0, 12.0])
    assert len(seen) == 1
    assert torch.autograd.gradcheck(Cube.apply, (torch.tensor([0.3, 0.7], dtype=torch.float64,
                                                                requires_grad=True),))


def test_a_function_can_mark_an_output_non_differentiable():
    class Argmax(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = x.argmax().to(torch.float32)
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return None
    assert not Argmax.apply(torch.ones(3, requires_grad=True)).requires_grad


def test_tensors_print_as_pytorch_prints_them():
    assert repr(torch.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(torch.tensor(3.9166667)) == "tensor(3.9167)"
    assert repr(torch.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(torch.ones(2, requires_grad=True) * 2) == \
        "tensor([2., 2.], grad_fn=<MulBackward0>)"
    assert f"{torch.tensor(1.5):.2f}" == "1.50"


def test_sort_topk_and_max_give_named_pairs():
    values, indices = torch.tensor([[3.0, 1.0, 2.0]]).sort(dim=1)
    assert values.tolist() == [[1.0, 2.0, 3.0]] and indices.tolist() == [[1, 2, 0]]
    top = torch.topk(torch.tensor([3.0, 1.0, 2.0]), 2)
    assert top.values.tolist() == [3.0, 2.0] and top.indices.tolist() == [0, 2]
    assert type(torch.max(torch.ones(2, 3), 1)).__name__ == "max"


def test_legacy_types_and_inference_mode():
    assert torch.FloatTensor([1, 2]).dtype == torch.float32
    assert isinstance(torch.zeros(2, dtype=torch.int64), torch.LongTensor)
    assert torch.zeros(2).type() == "tinyflow.FloatTensor"
    with torch.inference_mode():
        y = torch.ones(2, requires_grad=True) * 2
    assert not y.requires_grad
