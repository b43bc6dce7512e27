"""What data parallelism costs and gains on MPI: ``python bench/allreduce.py``.

1. The all-reduce of the digits MLP's gradients (64-128-10, 9,610 float64 values,
   75 KB): one flat bucket against one message per parameter, and, for scale, a
   numpy copy of the same bytes (what moving them once in memory costs).
2. Strong scaling of a larger MLP (256-1024-1024-10, 1.3 M parameters) trained
   with DistributedDataParallel on a fixed global batch: ms per step on 1, 2 and
   4 ranks, the speedup over 1 rank, and what the gradients' all-reduce costs.

Every rank uses one BLAS thread, so N ranks use N cores; with more ranks than
cores they take turns and the speedup stops. A rank waiting in an all-reduce
spins on its core, so other work on the machine (the load average is printed)
slows the many-rank rows most. ``--smoke`` runs tiny sizes to check that
everything runs; its times mean nothing.
"""
import argparse
import os
import time

import numpy as np

THREAD_VARS = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"]


def mlp(sizes, seed=0):
    import tinyflow as tf
    import tinyflow.nn as nn
    tf.manual_seed(seed)
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1]).double()


def timed(fn, repeat):
    """Median ms of ``fn()`` over ``repeat`` runs, all ranks starting together."""
    import tinyflow.distributed as dist
    fn()                                   # warm-up
    times = []
    for _ in range(repeat):
        dist.barrier()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    worst = np.array(np.median(times) * 1e3)
    dist.all_reduce(worst, op=dist.ReduceOp.MAX)   # a step is as slow as its slowest rank
    return float(worst)


def job_digits_allreduce(repeat):
    """Rank side of part 1: ms for the digits MLP's gradients."""
    import tinyflow.distributed as dist
    dist.init_process_group("mpi")
    grads = [np.random.default_rng(0).normal(size=p.shape) for p in mlp([64, 128, 10]).parameters()]
    flat = np.concatenate([g.ravel() for g in grads])
    copy = np.empty_like(flat)

    def each():
        for g in grads:
            dist.all_reduce(g)

    return {"bucket": timed(lambda: dist.all_reduce(flat), repeat),
            "each": timed(each, repeat),
            "copy": timed(lambda: np.copyto(copy, flat), repeat),
            "values": int(flat.size), "messages": len(grads)}


def job_scaling(sizes, global_batch, repeat):
    """Rank side of part 2: DDP training steps on this rank's shard of a fixed batch."""
    import tinyflow as tf
    import tinyflow.distributed as dist
    import tinyflow.nn.functional as F
    import tinyflow.optim as optim
    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    model = dist.DistributedDataParallel(mlp(sizes))
    opt = optim.SGD(model.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(global_batch, sizes[0]))
    y = rng.integers(0, sizes[-1], global_batch)
    xb, yb = tf.tensor(X[rank::world]), tf.tensor(y[rank::world])

    def step():
        opt.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        opt.step()

    flat = np.concatenate([p.array.ravel() for p in model.parameters()])
    return {"step": timed(step, repeat), "allreduce": timed(lambda: dist.all_reduce(flat), repeat),
            "buckets": len(model.buckets), "mb": flat.nbytes / 2 ** 20}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, few repetitions")
    args = parser.parse_args(argv)
    from tinyflow.distributed import launch
    os.environ.update({v: "1" for v in THREAD_VARS})       # the ranks inherit it
    repeat = 3 if args.smoke else 30
    sizes, batch = ([32, 64, 64, 10], 64) if args.smoke else ([256, 1024, 1024, 10], 512)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"MPI data parallelism on {os.cpu_count()} cores (ranks beyond that share cores); "
          f"load average before the run: {load}\n")
    rows = [(n, launch(job_digits_allreduce, n, args=(repeat,))[0]) for n in args.ranks]
    r = rows[0][1]
    print(f"All-reduce of the digits MLP's gradients ({r['values']:,} float64, "
          f"{r['values'] * 8 / 1024:.0f} KB), median ms")
    print(f"{'ranks':>5}  {'1 bucket':>9}  {str(r['messages']) + ' messages':>11}  "
          f"{'numpy copy':>10}  {'bucket / copy':>13}")
    for n, r in rows:
        print(f"{n:>5}  {r['bucket']:>9.3f}  {r['each']:>11.3f}  {r['copy']:>10.3f}  "
              f"{r['bucket'] / r['copy']:>12.1f}x")

    rows = [(n, launch(job_scaling, n, args=(sizes, batch, repeat // 3 or 1))[0])
            for n in args.ranks]
    base = rows[0][1]["step"]
    name = "-".join(map(str, sizes))
    print(f"\nDistributedDataParallel, {name} MLP ({rows[0][1]['mb']:.1f} MB of float64 "
          f"gradients in {rows[0][1]['buckets']} buckets, cap 1 MB), global batch {batch}")
    print(f"{'ranks':>5}  {'ms/step':>8}  {'speedup over ' + str(rows[0][0]):>15}  "
          f"{'all-reduce ms':>13}")
    for n, r in rows:
        print(f"{n:>5}  {r['step']:>8.1f}  {base / r['step']:>14.2f}x  {r['allreduce']:>13.2f}")


if __name__ == "__main__":
    main()
