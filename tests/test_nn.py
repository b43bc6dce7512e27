"""tinyflow.nn: Module bookkeeping, hooks, state dicts, layers, init, summary."""
import math
from collections import OrderedDict

import numpy as np
import pytest

from _models import conv2d_reference

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F
from tinyflow.eager.tensor import Tensor
from tinyflow.base.hooks import RemovableHandle


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Outer(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
        self.head = Net()

    def forward(self, x):
        return self.head(self.body(x))


# --- Parameter ------------------------------------------------------------------

def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(np.ones((2, 3), np.float32))
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert repr(p).startswith("Parameter containing:\ntensor(")
    frozen = nn.Parameter(np.ones(2, np.float32), requires_grad=False)
    assert not frozen.requires_grad


def test_parameter_from_a_tensor_shares_its_memory():
    t = tf.zeros(3)
    p = nn.Parameter(t)
    p.array[0] = 5.0
    assert t.array[0] == 5.0


def test_parameter_of_integers_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(np.arange(3))


def test_ops_on_parameters_record_and_backprop():
    p = nn.Parameter(np.array([1.0, 2.0], np.float32))
    (p * p).sum().backward()
    np.testing.assert_allclose(p.grad.array, [2.0, 4.0])


# --- registration and walking -------------------------------------------------------

def test_named_parameters_have_dotted_names_and_tensor_names():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert [p.name for p in net.parameters()] == names
    outer = Outer()
    assert [p.name for p in outer.parameters()] == [n for n, _ in outer.named_parameters()]
    assert outer.head.fc1.weight.name == "head.fc1.weight"
    assert [b.name for b in outer.buffers()] == ["body.1.running_mean", "body.1.running_var",
                                               "body.1.num_batches_tracked"]


def test_children_and_modules():
    outer = Outer()
    assert [n for n, _ in outer.named_children()] == ["body", "head"]
    assert list(outer.children()) == [outer.body, outer.head]
    assert [n for n, _ in outer.named_modules()] == ["", "body", "body.0", "body.1", "head",
                                                   "head.fc1", "head.act", "head.fc2"]
    assert next(outer.modules()) is outer


def test_shared_parameters_are_listed_once():
    lin = nn.Linear(3, 3)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.modules())) == 3


def test_parameters_without_recursion():
    net = Net()
    assert list(net.parameters(recurse=False)) == []
    assert len(list(net.fc1.parameters(recurse=False))) == 2


def test_assigning_a_plain_tensor_to_a_parameter_name_is_an_error():
    lin = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        lin.weight = tf.zeros(2, 2)
    lin.bias = None
    assert [n for n, _ in lin.named_parameters()] == ["weight"]


def test_assigning_before_super_init_is_explained():
    class Bad(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Bad()


def test_missing_attribute_and_missing_forward():
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'foo'"):
        nn.Linear(2, 2).foo
    with pytest.raises(NotImplementedError, match="missing the required \"forward\""):
        nn.Module()(1)


def test_replacing_a_submodule_and_deleting_one():
    net = Net()
    net.fc2 = nn.Linear(8, 5)
    assert net(tf.zeros(1, 4)).shape == (1, 5)
    assert net.fc2.weight.name == "fc2.weight"
    del net.act
    assert [n for n, _ in net.named_children()] == ["fc1", "fc2"]


def test_register_buffer_persistent_and_not():
    m = nn.Module()
    m.register_buffer("a", tf.zeros(2))
    m.register_buffer("b", tf.ones(2), persistent=False)
    assert [n for n, _ in m.named_buffers()] == ["a", "b"]
    assert list(m.state_dict()) == ["a"]
    with pytest.raises(TypeError, match="buffer 'c'"):
        m.register_buffer("c", np.zeros(2))
    with pytest.raises(KeyError, match="can't be empty or contain '.'"):
        m.register_buffer("x.y", tf.zeros(1))


# --- hooks ----------------------------------------------------------------------------

def test_forward_pre_hook_can_replace_the_input_and_be_removed():
    relu = nn.ReLU()
    seen = []
    h = relu.register_forward_pre_hook(lambda m, args: seen.append(m) or (-args[0],))
    assert isinstance(h, RemovableHandle)
    np.testing.assert_allclose(relu(tf.tensor([-1.0, 2.0])).array, [1.0, 0.0])
    assert seen == [relu]
    h.remove()
    np.testing.assert_allclose(relu(tf.tensor([-1.0, 2.0])).array, [0.0, 2.0])


def test_pre_hook_returning_a_single_value_wraps_it_in_a_tuple():
    ident = nn.Identity()
    ident.register_forward_pre_hook(lambda m, args: args[0] + 1)
    assert ident(tf.tensor(1.0)).item() == 2.0


def test_forward_hook_sees_args_and_output_and_may_replace_it():
    lin = nn.Linear(3, 2)
    calls = []
    h1 = lin.register_forward_hook(lambda m, args, out: calls.append((args[0].shape, out.shape)))
    h2 = lin.register_forward_hook(lambda m, args, out: out * 0)
    out = lin(tf.ones(4, 3))
    assert calls == [((4, 3), (4, 2))]
    assert not out.array.any()
    h2.remove()
    assert lin(tf.ones(4, 3)).array.any()
    h1.remove()
    lin(tf.ones(1, 3))
    assert len(calls) == 2
    with lin.register_forward_hook(lambda m, a, o: o + 100):
        assert lin(tf.zeros(1, 3)).array.min() > 50
    assert lin(tf.zeros(1, 3)).array.max() < 50


def test_hooks_keep_gradients_flowing():
    lin = nn.Linear(3, 1)
    lin.register_forward_hook(lambda m, args, out: out * 2)
    lin(tf.ones(1, 3)).sum().backward()
    np.testing.assert_allclose(lin.weight.grad.array, [[2.0, 2.0, 2.0]])


# --- modes, gradients, dtype -----------------------------------------------------------

def test_train_and_eval_reach_every_submodule():
    outer = Outer()
    assert outer.training and outer.body[1].training
    assert outer.eval() is outer
    assert not any(m.training for m in outer.modules())
    outer.train()
    assert all(m.training for m in outer.modules())
    with pytest.raises(ValueError, match="bool"):
        outer.train("yes")


def test_zero_grad_to_none_or_to_zeros():
    net = Net()
    net(tf.ones(2, 4)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.array.any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_to_double_converts_parameters_and_float_buffers_in_place():
    bn = nn.BatchNorm1d(3)
    w = bn.weight
    bn.double()
    assert bn.weight is w and w.dtype == np.float64 and bn.running_mean.dtype == np.float64
    assert bn.num_batches_tracked.dtype == np.int64


def test_requires_grad_and_apply():
    net = Net().requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "ReLU", "Linear", "Net"]


# --- state dicts ------------------------------------------------------------------------

def test_state_dict_holds_parameters_and_buffers_by_name():
    sd = Outer().state_dict()
    assert list(sd) == ["body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias",
                        "body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked",
                        "head.fc1.weight", "head.fc1.bias", "head.fc2.weight", "head.fc2.bias"]
    assert all(isinstance(v, Tensor) and not v.requires_grad for v in sd.values())


def test_load_state_dict_copies_values_in_place():
    a, b = Net(), Net()
    w = b.fc1.weight
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b.fc1.weight is w
    x = tf.randn(5, 4)
    np.testing.assert_array_equal(a(x).array, b(x).array)
    # arrays are accepted as well as tensors
    b.load_state_dict({k: v.numpy() * 0 for k, v in a.state_dict().items()})
    assert not b.fc1.weight.array.any()


def test_load_state_dict_names_a_missing_key():
    sd = Net().state_dict()
    del sd["fc2.bias"]
    with pytest.raises(RuntimeError, match="Missing key\\(s\\) in state_dict: 'fc2.bias'"):
        Net().load_state_dict(sd)


def test_load_state_dict_names_an_unexpected_key():
    sd = Net().state_dict()
    sd["fc3.weight"] = tf.zeros(1)
    with pytest.raises(RuntimeError, match="Unexpected key\\(s\\) in state_dict: 'fc3.weight'"):
        Net().load_state_dict(sd)
    result = Net().load_state_dict(sd, strict=False)
    assert result.unexpected_keys == ["fc3.weight"] and result.missing_keys == []


def test_load_state_dict_names_a_shape_mismatch_and_copies_nothing():
    target = Net()
    before = target.fc1.weight.array.copy()
    sd = Net().state_dict()
    sd["fc2.weight"] = tf.zeros(5, 8)
    # PyTorch's wording, sizes printed as Size objects
    msg = r"size mismatch for fc2.weight: copying a param with shape tinyflow.Size\(\[5, 8\]\) " \
          r"from checkpoint, the shape in current model is tinyflow.Size\(\[3, 8\]\)"
    with pytest.raises(RuntimeError, match=msg):
        target.load_state_dict(sd)
    with pytest.raises(RuntimeError, match="size mismatch for fc2.weight"):
        target.load_state_dict(sd, strict=False)
    np.testing.assert_array_equal(target.fc1.weight.array, before)


def test_load_state_dict_non_strict_reports_missing_keys():
    sd = Net().state_dict()
    del sd["fc1.bias"]
    assert Net().load_state_dict(sd, strict=False).missing_keys == ["fc1.bias"]


# --- repr and summary ---------------------------------------------------------------------

def test_repr_is_nested_like_pytorch():
    assert repr(Outer()) == """Outer(
  (body): Sequential(
    (0): Linear(in_features=4, out_features=4, bias=True)
    (1): BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
  )
  (head): Net(
    (fc1): Linear(in_features=4, out_features=8, bias=True)
    (act): ReLU()
    (fc2): Linear(in_features=8, out_features=3, bias=True)
  )
)"""
    assert repr(nn.Conv2d(1, 8, 3, padding=1, bias=False)) == \
        "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"
    assert repr(nn.Embedding(10, 3, padding_idx=0)) == "Embedding(10, 3, padding_idx=0)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss()"        # as PyTorch prints it


SUMMARY = """\
==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Outer                                    [2, 3]                    --
├─Sequential: 1-1                        [2, 4]                    --
│    └─Linear: 2-1                       [2, 4]                    20
│    └─BatchNorm1d: 2-2                  [2, 4]                    8
├─Net: 1-2                               [2, 3]                    --
│    └─Linear: 2-3                       [2, 8]                    40
│    └─ReLU: 2-4                         [2, 8]                    --
│    └─Linear: 2-5                       [2, 3]                    27
==========================================================================================
Total params: 95
Trainable params: 95
Non-trainable params: 0
==========================================================================================
Input size (MB): 0.00
Params size (MB): 0.00
=========================================================================================="""


def test_summary_prints_a_torchinfo_table(capsys):
    model = Outer()
    model.summary((2, 4))
    assert capsys.readouterr().out == SUMMARY + "\n"


def test_summary_leaves_the_model_as_it_was():
    model = Outer()
    model.body[1].eval()
    stats = model.body[1].running_mean.array.copy()
    lines = []
    model.summary((2, 4), print_fn=lines.append)
    assert lines == [SUMMARY] and "0x" not in lines[0]
    assert model.training and not model.body[1].training
    np.testing.assert_array_equal(model.body[1].running_mean.array, stats)
    assert not model._forward_hooks and not model.head.fc1._forward_hooks


def test_summary_counts_frozen_parameters_and_integer_inputs():
    model = nn.Sequential(nn.Embedding(10, 4), nn.Flatten(), nn.Linear(8, 2))
    model[0].weight.requires_grad_(False)
    lines = []
    nn.summary(model, (3, 2), dtype=np.int64, print_fn=lines.append)
    text = lines[0]
    assert "├─Embedding: 1-1                         [3, 2, 4]                 40" in text
    assert "Trainable params: 18\nNon-trainable params: 40" in text


# --- layers ------------------------------------------------------------------------------

def test_linear_matches_numpy_and_pytorch_layout():
    lin = nn.Linear(5, 3)
    assert lin.weight.shape == (3, 5) and lin.bias.shape == (3,)
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    np.testing.assert_allclose(lin(x).array, x @ lin.weight.array.T + lin.bias.array, rtol=1e-6)
    assert nn.Linear(5, 3, bias=False)(tf.ones(2, 5)).shape == (2, 3)


def test_linear_default_init_follows_pytorch():
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight, lin.bias):
        assert p.dtype == np.float32
        assert np.abs(p.array).max() <= bound
    # U(-b, b) has standard deviation b / sqrt(3)
    assert abs(lin.weight.array.std() - bound / math.sqrt(3)) < 0.02 * bound


def test_models_built_after_the_same_seed_are_identical():
    tf.manual_seed(7)
    a = Outer()
    tf.manual_seed(7)
    b = Outer()
    tf.manual_seed(8)
    c = Outer()
    for (n, p), q, r in zip(a.named_parameters(), b.parameters(), c.parameters()):
        np.testing.assert_array_equal(p.array, q.array)
        if n.endswith("weight") and "body.1" not in n:
            assert not np.array_equal(p.array, r.array)


def test_conv2d_matches_a_direct_loop():
    conv = nn.Conv2d(2, 3, 3, stride=2, padding=1).double()
    x = np.random.default_rng(1).standard_normal((2, 2, 7, 6))
    out = conv(x)
    assert out.shape == (2, 3, 4, 3)
    np.testing.assert_allclose(out.array, conv2d_reference(x, conv.weight.array, 2, 1) + conv.bias.array.reshape(1, -1, 1, 1),
                               rtol=1e-10)
    bound = 1 / math.sqrt(2 * 3 * 3)
    assert np.abs(conv.bias.array).max() <= bound and np.abs(conv.weight.array).max() <= bound


def test_linear_embedding_and_a_small_model_gradcheck():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2), nn.LogSoftmax(dim=1))
    model.double()
    x = tf.randn(5, 3, dtype=tf.float64, requires_grad=True)
    assert tf.gradcheck(lambda x, *ps: model(x), [x, *model.parameters()])
    emb = nn.Embedding(4, 3).double()
    idx = tf.tensor([[0, 3], [3, 1]])
    assert tf.gradcheck(lambda w: emb(idx) * emb(idx), [emb.weight])


def test_conv2d_gradcheck():
    conv = nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=1).double()
    x = tf.randn(2, 2, 5, 4, dtype=tf.float64, requires_grad=True)
    assert tf.gradcheck(lambda x, w, b: conv(x), [x, conv.weight, conv.bias])


def test_max_pool2d_values_and_gradcheck():
    pool = nn.MaxPool2d(2)
    x = np.random.default_rng(2).permutation(64).reshape(1, 1, 8, 8).astype(np.float64)
    out = pool(tf.tensor(x))
    np.testing.assert_array_equal(out.array, x.reshape(1, 1, 4, 2, 4, 2).max(axis=(3, 5)))
    xt = tf.tensor(x / 10, requires_grad=True)
    assert tf.gradcheck(lambda t: F.max_pool2d(t, 3, stride=2, padding=1), [xt])


def test_flatten_and_identity():
    x = tf.zeros(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Identity()(x) is x


def test_activations_match_numpy():
    x = np.linspace(-3, 3, 12).reshape(3, 4).astype(np.float64)
    t = tf.tensor(x)
    np.testing.assert_allclose(nn.ReLU()(t).array, np.maximum(x, 0))
    np.testing.assert_allclose(nn.Tanh()(t).array, np.tanh(x))
    np.testing.assert_allclose(nn.Sigmoid()(t).array, 1 / (1 + np.exp(-x)))
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(nn.Softmax(dim=1)(t).array, e / e.sum(1, keepdims=True))
    np.testing.assert_allclose(nn.LogSoftmax(dim=1)(t).array, np.log(e / e.sum(1, keepdims=True)))
    np.testing.assert_allclose(F.softmax(t, dim=0).array.sum(0), np.ones(4))


def test_functional_accepts_numpy_inputs():
    assert isinstance(F.relu(np.array([-1.0, 1.0])), Tensor)
    out = F.linear(np.ones((2, 3), np.float32), tf.ones(4, 3), tf.zeros(4))
    np.testing.assert_allclose(out.array, np.full((2, 4), 3.0))


def test_dropout_train_and_eval():
    drop = nn.Dropout(0.25)
    x = tf.ones(200, 100)
    y = drop(x).array
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    assert drop.eval()(x) is x
    assert not F.dropout(x, 1.0).array.any()
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_dropout_masks_follow_the_seed_and_gradient_uses_the_mask():
    tf.manual_seed(3)
    a = F.dropout(tf.ones(50), 0.5).array
    tf.manual_seed(3)
    x = tf.ones(50, requires_grad=True)
    b = F.dropout(x, 0.5)
    np.testing.assert_array_equal(a, b.array)
    b.sum().backward()
    np.testing.assert_array_equal(x.grad.array, a)


def test_batchnorm1d_training_statistics_and_running_averages():
    bn = nn.BatchNorm1d(3)
    x = np.random.default_rng(3).standard_normal((16, 3)).astype(np.float32) * 4 + 2
    y = bn(x).array
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(0), 1, atol=1e-3)
    np.testing.assert_allclose(bn.running_mean.array, 0.1 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.array, 0.9 + 0.1 * x.var(0, ddof=1), rtol=1e-5)
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    expected = (x - bn.running_mean.array) / np.sqrt(bn.running_var.array + 1e-5)
    np.testing.assert_allclose(bn(x).array, expected, rtol=1e-5, atol=1e-6)
    assert bn.num_batches_tracked.item() == 1


def test_batchnorm1d_cumulative_average_and_3d_input():
    bn = nn.BatchNorm1d(2, momentum=None)
    xs = [np.random.default_rng(i).standard_normal((4, 2, 5)).astype(np.float32) for i in range(3)]
    for x in xs:
        assert bn(x).shape == (4, 2, 5)
    means = [x.mean(axis=(0, 2)) for x in xs]
    np.testing.assert_allclose(bn.running_mean.array, np.mean(means, 0), rtol=1e-5)


def test_batchnorm1d_without_running_stats_always_uses_the_batch():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False).eval()
    y = bn(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)).array
    np.testing.assert_allclose(y, [[-1, -1], [1, 1]], atol=1e-4)
    assert list(bn.state_dict()) == []


def test_batchnorm1d_gradcheck_in_train_mode():
    bn = nn.BatchNorm1d(3).double()
    bn.weight.array[:] = [0.5, 1.5, -1.0]
    x = tf.randn(6, 3, dtype=tf.float64, requires_grad=True)
    assert tf.gradcheck(lambda x, w, b: bn(x), [x, bn.weight, bn.bias])
    x3 = tf.randn(3, 3, 2, dtype=tf.float64, requires_grad=True)
    assert tf.gradcheck(lambda x, w, b: bn(x), [x3, bn.weight, bn.bias])


def test_batchnorm1d_errors():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"has 4 features in dimension 1"):
        bn(tf.zeros(2, 4))
    with pytest.raises(ValueError, match="more than 1 value per channel when training"):
        bn(tf.zeros(1, 3))
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        bn(tf.zeros(2, 3, 4, 5))


def test_embedding_lookup_and_gradient_at_repeated_indices():
    emb = nn.Embedding(5, 3)
    idx = tf.tensor([[0, 2], [2, 4]])
    out = emb(idx)
    np.testing.assert_array_equal(out.array, emb.weight.array[idx.array])
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.array[:, 0], [1, 0, 2, 0, 1])
    assert emb(np.array([1, 1])).shape == (2, 3)


def test_embedding_padding_idx_is_zero_and_gets_no_gradient():
    emb = nn.Embedding(4, 2, padding_idx=0)
    assert not emb.weight.array[0].any() and emb.weight.array[1:].any()
    emb(tf.tensor([0, 1, 0])).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.array[:, 0], [0, 1, 0, 0])


def test_embedding_errors():
    emb = nn.Embedding(4, 2)
    with pytest.raises(RuntimeError, match="indices must be integers.*float32"):
        emb(tf.tensor([1.0]))
    with pytest.raises(IndexError, match="index 4 is out of range for an embedding of 4 rows"):
        emb(tf.tensor([1, 4]))


# --- containers ------------------------------------------------------------------------

def test_sequential_indexing_len_iteration_and_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert [n for n, _ in sub.named_children()] == ["1", "2"]
    with pytest.raises(IndexError, match="index 3 is out of range for a Sequential of 3"):
        seq[3]
    seq.append(nn.Sigmoid())
    out = seq(tf.zeros(4, 2))
    assert out.shape == (4, 1) and ((out.array > 0) & (out.array < 1)).all()


def test_sequential_with_named_layers():
    seq = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert [n for n, _ in seq.named_parameters()] == ["hidden.weight", "hidden.bias"]
    assert seq.hidden is seq[0]


def test_module_list_registers_its_modules():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
            self.layers.append(nn.Linear(3, 1))

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    s = Stack()
    assert len(s.layers) == 3 and s.layers[-1].out_features == 1
    assert [n for n, _ in s.named_parameters()][:2] == ["layers.0.weight", "layers.0.bias"]
    assert s(tf.ones(2, 3)).shape == (2, 1)
    s.layers[0] = nn.Linear(3, 3, bias=False)
    assert len(list(s.parameters())) == 5
    assert len(s.layers[:2]) == 2


# --- init ---------------------------------------------------------------------------------

def test_init_functions_fill_in_place_with_the_right_spread():
    w = nn.Parameter(np.zeros((200, 300), np.float32))
    fan_in, fan_out = 300, 200
    assert nn.init.xavier_uniform_(w) is w
    assert np.abs(w.array).max() <= math.sqrt(6 / (fan_in + fan_out))
    nn.init.xavier_normal_(w, gain=2.0)
    assert abs(w.array.std() - 2 * math.sqrt(2 / (fan_in + fan_out))) < 0.01
    nn.init.kaiming_uniform_(w, nonlinearity="relu")
    assert np.abs(w.array).max() <= math.sqrt(6 / fan_in)
    nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert abs(w.array.std() - math.sqrt(2 / fan_out)) < 0.01 * math.sqrt(2 / fan_out) * 10
    nn.init.normal_(w, 3.0, 0.5)
    assert abs(w.array.mean() - 3.0) < 0.01 and abs(w.array.std() - 0.5) < 0.01
    nn.init.uniform_(w, -2, -1)
    assert w.array.min() >= -2 and w.array.max() <= -1
    nn.init.constant_(w, 0.25)
    assert (w.array == 0.25).all()
    nn.init.ones_(w)
    assert (w.array == 1).all()
    nn.init.zeros_(w)
    assert not w.array.any()
    assert w.grad is None and w.is_leaf


def test_init_gain_and_fans():
    assert nn.init.calculate_gain("relu") == math.sqrt(2)
    assert nn.init.calculate_gain("leaky_relu", math.sqrt(5)) == math.sqrt(1 / 3)
    assert nn.init.fans(tf.zeros(8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(nn.Parameter(np.zeros(3, np.float32)))
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError, match="fan_avg"):
        nn.init.kaiming_normal_(tf.zeros(2, 2), mode="fan_avg")


def test_init_draws_from_the_seeded_generator():
    tf.manual_seed(5)
    a = nn.init.normal_(tf.zeros(4, 4)).array.copy()
    tf.manual_seed(5)
    b = nn.init.normal_(tf.zeros(4, 4)).array
    np.testing.assert_array_equal(a, b)


# --- registry ---------------------------------------------------------------------------

def test_register_module_rejects_a_second_class_under_a_taken_name():
    with pytest.raises(ValueError, match="'Linear' is already registered"):
        @nn.register_module
        class Linear(nn.Module):       # noqa: F811  (a user's class named like a built-in)
            pass

    @nn.register_module(name="tests.MyLinear")
    class Linear2(nn.Module):
        pass

    assert nn.registered_module("tests.MyLinear") is Linear2
    assert nn.registered_name(Linear2) == "tests.MyLinear"
