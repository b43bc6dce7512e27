"""``DistributedDataParallel``: train one model on N ranks as if on one.

Every rank holds a whole copy of the model and trains on its own shard of
each batch. Two things keep the copies identical:

1. when the model is wrapped, rank 0's parameters are broadcast to every rank;
2. after each backward, every gradient is averaged over the ranks (an
   all-reduce), so every rank's optimizer takes the same step.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> import tinyflow.distributed as dist
>>> dist.init_process_group("mpi")
>>> model = dist.DistributedDataParallel(nn.Linear(3, 1))
>>> model(tf.ones(2, 3)).sum().backward()
>>> model.module.bias.grad          # averaged over the ranks (a world of one here)
tensor([2.])
>>> dist.destroy_process_group()

**Buckets.** One message per parameter would pay the network's start-up cost
once per tensor. Instead the gradients are packed into a few flat arrays,
*buckets* of about ``bucket_cap_mb`` megabytes, and each bucket is
all-reduced in one message as soon as all of its gradients have arrived.
Parameters go into buckets in reverse order, the order in which backward
produces their gradients (last layer first). PyTorch sends a full bucket while
backward is still busy with earlier layers; tinyflow's tape runs the hooks of
leaf tensors after its walk, so here the buckets leave one after another at
the end of backward.

**Hooks.** Each parameter gets a gradient hook (``Tensor.register_hook``),
which runs just before autograd adds the gradient into ``.grad``. The hook
copies the gradient, plus what ``.grad`` already holds (accumulated under
``no_sync()``), into the parameter's slot in its bucket. When that fills the
bucket's last slot, the hook all-reduces the bucket, divides it by the world
size and writes each parameter's slice into its ``.grad``. Every hook returns
zeros, so autograd's own ``.grad += g`` leaves the averaged values in place.
"""
import contextlib

import numpy as np

from ..eager.tensor import Tensor
from ..nn.module import Module
from .process_group import all_reduce, broadcast, get_world_size, is_initialized


class Bucket:
    """A few parameters whose gradients travel together in one flat array."""

    def __init__(self, params, names):
        self.params = params
        self.names = names
        self.slots = []                  # (start, stop) of each parameter in ``flat``
        start = 0
        for p in params:
            self.slots.append((start, start + p.array.size))
            start += p.array.size
        self.flat = np.zeros(start, params[0].dtype)
        self.arrived = set()             # indices of the params whose gradient is in ``flat``

    def put(self, i, grad):
        """Copy parameter i's gradient into its slot; True once every slot is filled."""
        if i in self.arrived:
            raise RuntimeError(unfinished_message(self))
        start, stop = self.slots[i]
        self.flat[start:stop] = grad.reshape(-1)
        self.arrived.add(i)
        return len(self.arrived) == len(self.params)

    def average(self):
        """All-reduce the bucket (one message), divide by the world size, and
        give each parameter its slice as ``.grad``."""
        all_reduce(self.flat)
        self.flat /= get_world_size()
        for p, (start, stop) in zip(self.params, self.slots):
            p.grad = Tensor(self.flat[start:stop].reshape(p.shape))   # Tensor() copies
        self.arrived.clear()

    def __repr__(self):
        return f"Bucket({', '.join(self.names)}; {self.flat.nbytes} bytes)"


def make_buckets(named_params, cap_bytes):
    """Split [(name, param)] into buckets of at most ``cap_bytes`` each, in the
    given order. A parameter bigger than the cap gets a bucket of its own; a
    bucket holds one dtype, since it is one array."""
    buckets, current = [], []
    for name, p in named_params:
        if current and (sum(q.array.nbytes for _, q in current) + p.array.nbytes > cap_bytes
                        or p.dtype != current[0][1].dtype):
            buckets.append(current)
            current = []
        current.append((name, p))
    if current:
        buckets.append(current)
    return [Bucket([p for _, p in b], [n for n, _ in b]) for b in buckets]


def unfinished_message(bucket):
    missing = [n for i, n in enumerate(bucket.names) if i not in bucket.arrived]
    return (f"DistributedDataParallel: the last backward gave no gradient to {missing}, so their "
            f"bucket was never all-reduced and the ranks' models may now differ. Every parameter "
            f"that requires grad must take part in the loss; freeze unused ones with "
            f"requires_grad_(False) before wrapping the model.")


class DistributedDataParallel(Module):
    """Wrap ``module`` so that backward averages its gradients over all ranks.

    Call ``init_process_group()`` first. The wrapper is a Module: call it like
    the model, give ``ddp.parameters()`` to the optimizer; the model itself is
    ``ddp.module``. ``no_sync()`` skips the averaging, for gradient accumulation.
    """

    def __init__(self, module, bucket_cap_mb=1.0, broadcast_buffers=True):
        super().__init__()
        if not is_initialized():
            raise RuntimeError("DistributedDataParallel: call tinyflow.distributed."
                               "init_process_group() before wrapping the model")
        self.module = module
        self.broadcast_buffers = broadcast_buffers
        self.require_backward_grad_sync = True
        for t in list(module.parameters()) + list(module.buffers()):
            broadcast(t, src=0)             # every rank starts from rank 0's weights
        trainable = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        self.buckets = make_buckets(reversed(trainable), bucket_cap_mb * 2 ** 20)
        self._handles = []
        for bucket in self.buckets:
            for i, p in enumerate(bucket.params):
                self._handles.append(p.register_hook(self._grad_hook(bucket, i)))

    def _grad_hook(self, bucket, i):
        p = bucket.params[i]

        def hook(grad):
            if not self.require_backward_grad_sync:
                return None                 # inside no_sync(): autograd accumulates as usual
            total = grad.array if p.grad is None else p.grad.array + grad.array
            if bucket.put(i, total):
                bucket.average()            # the bucket's last gradient: send it
            return np.zeros_like(grad.array)  # .grad is (or will be) written by the bucket
        return hook

    def forward(self, *args, **kwargs):
        for bucket in self.buckets:
            if bucket.arrived:              # filled only partly by the last backward
                message = unfinished_message(bucket)
                bucket.arrived.clear()
                raise RuntimeError(message)
        if self.broadcast_buffers:
            for b in self.module.buffers():  # e.g. BatchNorm's running stats: rank 0's win
                broadcast(b, src=0)
        return self.module(*args, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        """Backward passes inside the block do not all-reduce: gradients add up
        in each rank's ``.grad``. The first backward after the block averages
        the accumulated total.

        >>> # with ddp.no_sync():
        >>> #     ddp(x1).sum().backward()    # local only
        >>> # ddp(x2).sum().backward()        # averages grad(x1) + grad(x2)
        """
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous
