"""A small training loop: ``fit`` (epochs of zero_grad / forward / loss /
backward / step, with metrics and an optional progress bar) and ``evaluate``.

Everything it does is the five lines you would write by hand; it is here so a
lesson can train a model in one call and plot the returned history.

>>> import tinyflow.nn as nn
>>> from tinyflow import optim
>>> from tinyflow.data import DataLoader, TensorDataset, make_moons
>>> from tinyflow.train import fit
>>> X, y = make_moons(200, noise=0.1, seed=0)
>>> loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True, seed=0)
>>> model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
>>> history = fit(model, loader, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05),
...               epochs=20, progress=False)
>>> sorted(history), history["accuracy"][-1] > 0.95
(['accuracy', 'loss'], True)
"""
import numpy as np

from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor


def accuracy(output, target):
    """The fraction of right predictions: argmax over classes for outputs (N, C);
    logit > 0 for a single output per sample ((N,) or (N, 1), binary)."""
    out = output.array if isinstance(output, Tensor) else np.asarray(output)
    t = target.array if isinstance(target, Tensor) else np.asarray(target)
    if out.ndim == 1 or out.shape[-1] == 1:
        pred = (out.reshape(t.shape) > 0).astype(t.dtype)
    else:
        pred = out.argmax(axis=1)
    return float(np.mean(pred == t))


METRICS = {"accuracy": accuracy}


def _metric_fns(metrics):
    fns = {}
    for m in metrics or ():
        if callable(m):
            fns[m.__name__] = m
        elif m in METRICS:
            fns[m] = METRICS[m]
        else:
            raise ValueError(f"unknown metric {m!r}; use one of {sorted(METRICS)} or a function "
                             f"f(output, target) -> float")
    return fns


class _NoBar:
    def update(self, n=1): pass
    def set_description(self, desc): pass
    def set_postfix(self, *args, **kw): pass
    def close(self): pass


def _bar(total, desc, enabled):
    """A tqdm.auto bar, or a stand-in when progress is off or tqdm is not installed
    (it comes with the ``lab`` extra)."""
    if not enabled:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=desc)


def _split(batch):
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch
    what = type(batch).__name__
    if isinstance(batch, (tuple, list)):
        what += f" of length {len(batch)}"
    raise ValueError(f"fit/evaluate expect the loader to yield (inputs, targets) pairs, got {what}")


class _Mean:
    """Running means of several values, weighted by batch size."""

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, values, n):
        for k, v in values.items():
            self.sums[k] = self.sums.get(k, 0.0) + v * n
        self.count += n

    def result(self):
        return {k: s / max(self.count, 1) for k, s in self.sums.items()}


def evaluate(model, loader, loss_fn=None, metrics=("accuracy",)):
    """Mean loss (if ``loss_fn`` is given) and metrics of ``model`` over ``loader``,
    in eval mode and without recording; the model's mode is restored after.

    Returns a dict such as ``{"loss": 0.08, "accuracy": 0.97}``.
    """
    fns = _metric_fns(metrics)
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    mean = _Mean()
    try:
        with no_grad():
            for batch in loader:
                x, y = _split(batch)
                out = model(x)
                values = {name: fn(out, y) for name, fn in fns.items()}
                if loss_fn is not None:
                    values["loss"] = float(loss_fn(out, y).item())
                mean.add(values, len(y))
    finally:
        for m, mode in modes:
            object.__setattr__(m, "training", mode)
    result = mean.result()
    return {k: result[k] for k in (["loss"] if loss_fn is not None else []) + list(fns)}


def _hooks(callbacks, name):
    """The callbacks' ``name`` methods; a plain function counts as on_epoch_end."""
    out = []
    for cb in callbacks:
        hook = getattr(cb, name, None)
        if hook is None and name == "on_epoch_end" and callable(cb):
            hook = cb
        if hook is not None:
            out.append(hook)
    return out


def _train_epoch(model, loader, loss_fn, optimizer, fns, callbacks, bar, step):
    """One pass over ``loader``: (the epoch's mean loss and metrics, batches seen)."""
    model.train()
    mean = _Mean()
    on_batch = _hooks(callbacks, "on_batch_end")
    n = 0
    for batch in loader:
        x, y = _split(batch)
        out = model(x)
        loss = loss_fn(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        values = {"loss": float(loss.item()), **{k: fn(out, y) for k, fn in fns.items()}}
        mean.add(values, len(y))
        bar.update(1)
        bar.set_postfix(loss=f"{values['loss']:.4f}")
        for hook in on_batch:
            hook(step + n, values)
        n += 1
    return mean.result(), n


def fit(model, loader, loss_fn, optimizer, epochs=1, val_loader=None, callbacks=None,
        metrics=("accuracy",), progress=True, scheduler=None):
    """Train ``model`` for ``epochs`` passes over ``loader`` (which yields
    ``(inputs, targets)``) and return the history: a dict of per-epoch lists,
    ``loss`` and each metric on the training batches (averaged as they were
    seen, in train mode), and ``val_loss`` / ``val_<metric>`` when a
    ``val_loader`` is given.

    ``scheduler`` (an lr_scheduler) steps once per epoch. ``callbacks`` are
    functions ``f(epoch, logs)`` or objects with ``on_epoch_end(epoch, logs)``
    and/or ``on_batch_end(step, logs)``; returning True from ``on_epoch_end``
    stops training. ``progress`` shows a tqdm progress bar (if tqdm is installed).
    """
    fns = _metric_fns(metrics)
    callbacks = list(callbacks or ())
    history = {"loss": [], **{name: [] for name in fns}}
    if val_loader is not None:
        history["val_loss"] = []
        history.update({f"val_{name}": [] for name in fns})
    batches = len(loader) if hasattr(loader, "__len__") else None
    bar = _bar(None if batches is None else batches * epochs, "fit", progress)
    step = 0
    try:
        for epoch in range(epochs):
            bar.set_description(f"epoch {epoch + 1}/{epochs}")
            logs, n = _train_epoch(model, loader, loss_fn, optimizer, fns, callbacks, bar, step)
            step += n
            if val_loader is not None:
                val = evaluate(model, val_loader, loss_fn, metrics)
                logs.update({f"val_{k}": v for k, v in val.items()})
            for k in history:
                history[k].append(logs[k])
            bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
            if scheduler is not None:
                scheduler.step()
            stops = [hook(epoch, dict(logs)) is True for hook in _hooks(callbacks, "on_epoch_end")]
            if any(stops):
                break
    finally:
        bar.close()
    return history
