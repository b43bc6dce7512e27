"""Data parallelism on MPI: collectives, DistributedDataParallel, DistributedSampler,
launch, and the graph-mode strategies. The promise checked here: training on N
ranks (or N replicas) gives the same parameters as training on the full batch.

The ``job_*`` functions run inside the MPI ranks: ``launch`` imports this module
in each rank and calls them by name.
"""
import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as v1
import tinyflow.distributed as dist
import tinyflow.nn as nn
import tinyflow.nn.functional as F
import tinyflow.optim as optim
from tinyflow.data import DataLoader, DistributedSampler, TensorDataset, load_digits
from tinyflow.distribute import MirroredStrategy, MultiWorkerMirroredStrategy
from tinyflow.distributed import DistributedDataParallel, LaunchError, launch

MPIEXEC = Path(sys.executable).parent / "mpiexec"
HAVE_MPI = (MPIEXEC.exists() or shutil.which("mpiexec") is not None) and dist.is_available()
needs_mpi = pytest.mark.skipif(not HAVE_MPI, reason="MPI is not installed (mpiexec or mpi4py "
                               "missing): pip install 'tinyflow-lab[mpi]'")
TIMEOUT = 60          # every launch is guarded: a hung rank fails the test, not the CI job
N, B = 512, 128       # 512 digits, global batches of 128: equal shards on 1, 2 and 4 ranks


# --- the model and data every test trains ------------------------------------------------------

def digits():
    X, y = load_digits()
    return X[:N].astype(np.float64), y[:N]


def mlp(seed):
    tf.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).double()


def train_eager(ddp=False, bucket_cap_mb=1.0, epochs=2):
    """SGD with momentum on the digits MLP, 2 epochs of 4 global batches, then one
    step with gradient accumulation over two micro-batches. Without ``ddp``: one
    process on the full batches (the reference)."""
    if ddp:
        dist.init_process_group("mpi")
        rank, world = dist.get_rank(), dist.get_world_size()
        # Each rank starts from different weights: wrapping broadcasts rank 0's.
        model = DistributedDataParallel(mlp(seed=rank), bucket_cap_mb=bucket_cap_mb)
    else:
        rank, world, model = 0, 1, mlp(seed=0)
    X, y = digits()
    data = TensorDataset(X, y)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(data, batch_size=B // world, sampler=sampler)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

    def micro_batch(k):
        rows = slice(k * B, (k + 1) * B)
        return tf.tensor(X[rows][rank::world]), tf.tensor(y[rows][rank::world])

    opt.zero_grad()
    xb, yb = micro_batch(0)
    with model.no_sync() if ddp else contextlib.nullcontext():
        F.cross_entropy(model(xb), yb).backward()
    first = next(model.parameters()).grad.array.copy()       # local only, under no_sync
    xb, yb = micro_batch(1)
    F.cross_entropy(model(xb), yb).backward()
    opt.step()
    net = model.module if ddp else model
    return {"params": [p.array for p in net.parameters()], "local_grad": first,
            "buckets": [len(b.params) for b in model.buckets] if ddp else []}


def graph_init(seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, (64, 128)), np.zeros(128), rng.normal(0, 0.1, (128, 10)),
            np.zeros(10)]


def train_graph(strategy=None, steps=4):
    """The same MLP in a TF1 graph, Momentum on 4 global batches. ``strategy``:
    None (one process, full batch), a MirroredStrategy, or "multi" for a
    MultiWorkerMirroredStrategy (inside launch: each rank feeds its shard)."""
    v1.reset_default_graph()
    X, y = digits()
    rank, world = 0, 1
    if strategy == "multi":
        strategy = MultiWorkerMirroredStrategy()
        rank, world = dist.get_rank(), dist.get_world_size()
    strategy = strategy or MirroredStrategy(1)
    with strategy.scope():
        names = ["W1", "b1", "W2", "b2"]
        params = [v1.Variable(a, name=n) for a, n in zip(graph_init(rank), names)]
        opt = v1.train.MomentumOptimizer(0.5, 0.9)
    x = v1.placeholder(v1.float64, [None, 64], name="x")
    t = v1.placeholder(v1.int64, [None], name="t")

    def replica_step(x, t):
        W1, b1, W2, b2 = params
        logits = v1.matmul(v1.nn.relu(v1.matmul(x, W1) + b1), W2) + b2
        loss = v1.losses.sparse_softmax_cross_entropy(t, logits)
        return loss, opt.compute_gradients(loss, params)

    loss, grads_and_vars = strategy.run(replica_step, args=(x, t))
    train_op = opt.apply_gradients(strategy.reduce("MEAN", grads_and_vars, axis=None))
    mean_loss = strategy.reduce("MEAN", loss, axis=None)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        if isinstance(strategy, MultiWorkerMirroredStrategy):
            strategy.broadcast_variables(sess)      # rank 0's initial weights everywhere
        losses = []
        for k in range(steps):
            rows = slice(k * B, (k + 1) * B)
            _, value = sess.run([train_op, mean_loss], {x: X[rows][rank::world],
                                                        t: y[rows][rank::world]})
            losses.append(float(value))
        return {"params": sess.run(params), "losses": losses}


def max_diff(a, b):
    return max(float(np.abs(p - q).max()) for p, q in zip(a, b))


# --- jobs that run inside the ranks ------------------------------------------------------------

def job_collectives():
    dist.init_process_group("mpi")
    r, n = dist.get_rank(), dist.get_world_size()
    out = {}
    a = np.arange(3.0) * (r + 1)
    dist.all_reduce(a)
    out["sum"] = a
    t = tf.tensor([float(r), -float(r)], dtype=tf.float64)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    out["max"] = t
    m = np.array(r + 1.0)
    dist.all_reduce(m, op=dist.ReduceOp.AVG)
    out["avg"] = m
    b = np.full(2, float(r))
    dist.broadcast(b, src=n - 1)
    out["broadcast"] = b
    gathered = [np.zeros(2) for _ in range(n)]
    dist.all_gather(gathered, np.full(2, float(r)))
    out["all_gather"] = np.stack(gathered)
    red = np.array([r + 1.0])
    dist.reduce(red, dst=0)
    out["reduce"] = red
    dist.barrier()
    out["rank"], out["world"] = r, n
    print(f"rank {r} done")
    return out


def job_ddp(bucket_cap_mb):
    return train_eager(ddp=True, bucket_cap_mb=bucket_cap_mb)


def job_multi_worker():
    result = train_graph("multi")
    # reduce(..., axis=0) is the mean over every example, even with unequal shards.
    v1.reset_default_graph()
    strategy = MultiWorkerMirroredStrategy()
    v = v1.placeholder(v1.float64, [None])
    per_replica = strategy.run(lambda v: 2.0 * v, args=(v,))
    fetches = [strategy.reduce("MEAN", per_replica, axis=0),
               strategy.reduce("SUM", per_replica, axis=0)]
    with v1.Session() as sess:
        shard = [1.0, 2.0, 3.0] if dist.get_rank() == 0 else [10.0]
        result["uneven"] = [float(f) for f in sess.run(fetches, {v: shard})]
    return result


def job_fail_on_rank_1(pid_dir):
    dist.init_process_group("mpi")
    Path(pid_dir, f"{dist.get_rank()}.pid").write_text(str(os.getpid()))
    dist.barrier()
    if dist.get_rank() == 1:
        raise ValueError("boom from rank 1")
    dist.barrier()                # rank 0 would wait here forever for rank 1


def _alive(pid):
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc/self").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"           # a zombie has finished; it only waits to be reaped


def assert_all_stopped(pid_dir):
    pids = [int(p.read_text()) for p in Path(pid_dir).glob("*.pid")]
    assert pids, "the ranks did not start"
    deadline = time.time() + 10
    while any(_alive(p) for p in pids) and time.time() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)], "ranks left running"


# --- equality with full-batch training ---------------------------------------------------------

@pytest.fixture(scope="module")
def eager_reference():
    return train_eager(ddp=False)


@needs_mpi
@pytest.mark.parametrize("nprocs, bucket_cap_mb", [(2, 1.0), (4, 0.02)])
def test_ddp_matches_full_batch_training(nprocs, bucket_cap_mb, eager_reference):
    results = launch(job_ddp, nprocs, args=(bucket_cap_mb,), timeout=TIMEOUT)
    for r in results:
        assert max_diff(r["params"], eager_reference["params"]) < 1e-10
    # A 1 MB bucket holds all 4 parameters; 0.02 MB splits them: fc2 and fc1.bias, then fc1.weight.
    assert results[0]["buckets"] == ([4] if bucket_cap_mb == 1.0 else [3, 1])
    # Under no_sync() each rank's .grad is its own; the next backward averaged the total.
    assert not np.allclose(results[0]["local_grad"], results[1]["local_grad"])


@needs_mpi
def test_multi_worker_mirrored_matches_full_batch_training():
    reference = train_graph(None)
    results = launch(job_multi_worker, 2, timeout=TIMEOUT)
    for r in results:
        assert max_diff(r["params"], reference["params"]) < 1e-10
        assert np.allclose(r["losses"], reference["losses"], atol=1e-12, rtol=0)
        assert r["uneven"] == [8.0, 32.0]      # 2 * (1 + 2 + 3 + 10) / 4 examples


@pytest.mark.parametrize("replicas", [2, 4])
def test_mirrored_strategy_matches_full_batch_training(replicas):
    reference = train_graph(None)
    result = train_graph(MirroredStrategy(replicas))
    assert max_diff(result["params"], reference["params"]) < 1e-10
    assert np.allclose(result["losses"], reference["losses"], atol=1e-12, rtol=0)


# --- collectives and the process group ---------------------------------------------------------

@needs_mpi
def test_collectives_on_two_ranks(capsys):
    r0, r1 = launch(job_collectives, 2, timeout=TIMEOUT)
    for r in (r0, r1):
        assert np.array_equal(r["sum"], [0.0, 3.0, 6.0])
        assert isinstance(r["max"], tf.Tensor) and r["max"].tolist() == [1.0, 0.0]
        assert r["avg"].shape == () and float(r["avg"]) == 1.5
        assert np.array_equal(r["broadcast"], [1.0, 1.0])
        assert np.array_equal(r["all_gather"], [[0.0, 0.0], [1.0, 1.0]])
    assert (r0["rank"], r1["rank"], r0["world"]) == (0, 1, 2)
    assert r0["reduce"].tolist() == [3.0] and r1["reduce"].tolist() == [2.0]   # only dst gets it
    out = capsys.readouterr().out
    assert "[rank 0] rank 0 done" in out and "[rank 1] rank 1 done" in out


@needs_mpi
def test_a_single_process_is_a_world_of_one():
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.get_rank()
    dist.init_process_group("mpi")
    try:
        assert dist.is_initialized() and (dist.get_rank(), dist.get_world_size()) == (0, 1)
        a = np.array([1.0, 2.0])
        dist.all_reduce(a)
        assert a.tolist() == [1.0, 2.0]
        with pytest.raises(RuntimeError, match="twice"):
            dist.init_process_group("mpi")
        with pytest.raises(ValueError, match="contiguous"):
            dist.all_reduce(np.zeros((3, 4))[:, 1])
        # DDP in a world of one trains exactly like the bare model.
        ddp, plain = DistributedDataParallel(mlp(0)), mlp(0)
        X, y = digits()
        for m in (ddp, plain):
            F.cross_entropy(m(tf.tensor(X[:64])), tf.tensor(y[:64])).backward()
        for p, q in zip(ddp.module.parameters(), plain.parameters()):
            assert np.array_equal(p.grad.array, q.grad.array)
        assert [n for n, _ in ddp.named_parameters()][0] == "module.0.weight"
    finally:
        dist.destroy_process_group()
    assert not dist.is_initialized()
    with pytest.raises(ValueError, match="backend='mpi'"):
        dist.init_process_group("nccl")


@needs_mpi
def test_ddp_reports_parameters_that_got_no_gradient():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.used, self.unused = nn.Linear(3, 1), nn.Linear(3, 1)

        def forward(self, x):
            return self.used(x)

    dist.init_process_group("mpi")
    try:
        model = DistributedDataParallel(TwoHeads())
        model(tf.ones(2, 3)).sum().backward()
        missing = r"no gradient to \['unused.bias', 'unused.weight'\]"
        with pytest.raises(RuntimeError, match=missing):
            model(tf.ones(2, 3))
    finally:
        dist.destroy_process_group()


def test_a_missing_mpi_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)       # import now fails, as without MPI
    assert not dist.is_available()
    with pytest.raises(RuntimeError, match=r"tinyflow-lab\[mpi\]"):
        dist.init_process_group("mpi")
    monkeypatch.setattr(sys, "executable", "/nowhere/bin/python")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RuntimeError, match=r"no mpiexec.*tinyflow-lab\[mpi\]"):
        launch("train.py", 2)


# --- launch: results, failures, timeouts -------------------------------------------------------

@needs_mpi
def test_a_failing_rank_fails_the_launch_with_its_traceback(tmp_path):
    with pytest.raises(LaunchError) as info:
        launch(job_fail_on_rank_1, 2, args=(str(tmp_path),), timeout=TIMEOUT)
    message = str(info.value)
    assert info.value.rank == 1
    assert "rank 1 of 2 failed" in message and "Traceback" in message
    assert "ValueError: boom from rank 1" in message and "job_fail_on_rank_1" in message
    assert_all_stopped(tmp_path)          # rank 0 was stuck in a barrier: it was stopped too


@needs_mpi
def test_a_launch_that_hangs_is_stopped_at_its_timeout(tmp_path):
    script = tmp_path / "hang.py"
    script.write_text("import os, sys, time\nfrom mpi4py import MPI\n"
                      "open(f'{sys.argv[1]}/{MPI.COMM_WORLD.Get_rank()}.pid', 'w')"
                      ".write(str(os.getpid()))\ntime.sleep(300)\n")
    start = time.time()
    with pytest.raises(TimeoutError, match="did not finish within 3 s"):
        launch(script, 2, args=[tmp_path], timeout=3)
    assert time.time() - start < 15
    assert_all_stopped(tmp_path)


@needs_mpi
def test_launch_runs_a_script_and_returns_each_ranks_output(tmp_path):
    script = tmp_path / "hello.py"
    script.write_text("import sys\nimport tinyflow.distributed as dist\n"
                      "dist.init_process_group()\n"
                      "print(f'rank {dist.get_rank()} of {dist.get_world_size()}', sys.argv[1:])\n")
    assert launch(script, 2, args=["--lr", 0.1], timeout=TIMEOUT) == [
        "rank 0 of 2 ['--lr', '0.1']\n", "rank 1 of 2 ['--lr', '0.1']\n"]


@needs_mpi
def test_allreduce_benchmark_runs():
    bench = Path(__file__).resolve().parent.parent / "bench" / "allreduce.py"
    proc = subprocess.run([sys.executable, str(bench), "--smoke", "--ranks", "1", "2"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "1 bucket" in proc.stdout and "speedup over 1" in proc.stdout


def test_launch_needs_a_function_the_ranks_can_import():
    with pytest.raises(ValueError, match="top level of a .py file"):
        launch(lambda: 1, 2)


# --- DistributedSampler ------------------------------------------------------------------------

def test_distributed_sampler_gives_equal_disjoint_shards():
    data = np.arange(10)
    shards = [list(DistributedSampler(data, num_replicas=4, rank=r, shuffle=False))
              for r in range(4)]
    assert shards == [[0, 4, 8], [1, 5, 9], [2, 6, 0], [3, 7, 1]]     # padded: 3 each
    dropped = [list(DistributedSampler(data, 4, r, shuffle=False, drop_last=True))
               for r in range(4)]
    assert dropped == [[0, 4], [1, 5], [2, 6], [3, 7]]
    samplers = [DistributedSampler(np.arange(12), 3, r, seed=5) for r in range(3)]
    epoch0 = [list(s) for s in samplers]
    assert sorted(sum(epoch0, [])) == list(range(12))                  # one shuffle, split
    assert [list(s) for s in samplers] == epoch0                       # same epoch, same order
    for s in samplers:
        s.set_epoch(1)
    assert sorted(sum([list(s) for s in samplers], [])) == list(range(12))
    assert [list(s) for s in samplers] != epoch0
    with pytest.raises(ValueError, match="invalid rank 4"):
        DistributedSampler(data, num_replicas=4, rank=4)


def test_dataloader_takes_a_sampler():
    data = TensorDataset(np.arange(10.0), np.arange(10))
    loader = DataLoader(data, batch_size=2, sampler=DistributedSampler(data, 2, 1, shuffle=False))
    assert len(loader) == 3
    assert [y.tolist() for _, y in loader] == [[1, 3], [5, 7], [9]]
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(data, shuffle=True, sampler=DistributedSampler(data, 2, 0))


# --- MirroredStrategy details ------------------------------------------------------------------

def test_mirrored_strategy_builds_one_copy_per_replica_and_reduces():
    strategy = MirroredStrategy(num_replicas=2)
    assert strategy.num_replicas_in_sync == 2
    x = v1.placeholder(v1.float64, [None, 2], name="x")
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
        w = v1.Variable(np.ones(2), name="w")
    out, var = strategy.run(lambda x: (v1.reduce_sum(x * w, axis=1), w), args=(x,))
    assert var is w                                       # shared, not per replica
    assert [v.name for v in strategy.experimental_local_results(out)] == [
        "replica_0/Sum:0", "replica_1/Sum:0"]
    feed = {x: [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]}       # row sums 3, 7, 11, 15
    with v1.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(strategy.reduce("SUM", out, axis=None), feed).tolist() == [14.0, 22.0]
        assert sess.run(strategy.reduce("MEAN", out, axis=None), feed).tolist() == [7.0, 11.0]
        assert float(sess.run(strategy.reduce("MEAN", out, axis=0), feed)) == 9.0
        with pytest.raises(ValueError, match="3 rows cannot be split into 2 equal"):
            sess.run(out.values[0], {x: np.ones((3, 2))})


def test_an_update_inside_a_replica_waits_for_every_replica():
    """TF1's minimize inside strategy.run sums the replicas' gradients and applies
    them once; a replica that skips the update is an error (TensorFlow's would hang)."""
    strategy = MirroredStrategy(2)
    x = v1.placeholder(v1.float64, [None, 1])
    with strategy.scope():
        w = v1.Variable(np.ones(1))
    opt = v1.train.GradientDescentOptimizer(0.1)
    ops = strategy.run(lambda x: opt.minimize(v1.reduce_sum(x * w)), args=(x,))
    first, last = strategy.experimental_local_results(ops)
    assert last.name == "GradientDescent" and last in first.control_inputs
    with v1.Session() as sess:
        sess.run(w.initializer)
        sess.run(first, {x: [[1.0], [2.0]]})           # one update: the sum of both shards
        assert sess.run(w).tolist() == [1.0 - 0.1 * 3.0]
    with pytest.raises(RuntimeError, match="in 1 of 2 replicas"):
        strategy.run(lambda x: opt.minimize(v1.reduce_sum(x * w)) if
                     v1.distribute.get_replica_context().replica_id_in_sync_group == 0 else x,
                     args=(x,))
