"""Keras's progress bar, line for line: ``fit(verbose=1)`` redraws

    12/45 [=======>......................] - ETA: 0s - loss: 0.4213 - accuracy: 0.8750

in place (with backspaces and a carriage return, which terminals and Jupyter
both honour), and ``verbose=2`` prints one line when the epoch ends:

    45/45 - 0s - loss: 0.4213 - accuracy: 0.8750 - 120ms/epoch - 3ms/step

>>> import io, contextlib
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     bar = Progbar(3, verbose=2, stateful_metrics={"loss"})
...     for step in (1, 2, 3):
...         bar.update(step, [("loss", 1.0 / step)])
>>> out.getvalue().split(" - ")[0], out.getvalue().split(" - ")[2]
('3/3', 'loss: 0.3333')
"""
import os
import sys
import time

import numpy as np


def print_msg(message):
    sys.stdout.write(message)
    sys.stdout.flush()


class Progbar:
    """A progress bar over ``target`` steps (None: unknown)."""

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        # Keras redraws in place on a terminal, in Jupyter and on any POSIX system.
        self._dynamic_display = ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
                                 or "ipykernel" in sys.modules or "posix" in sys.modules
                                 or "PYCHARM_HOSTED" in os.environ)
        self._total_width = 0
        self._seen_so_far = 0
        self._values, self._values_order = {}, []
        self._start = time.time()
        self._last_update = 0
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end = None
        self._time_after_first_step = None

    def update(self, current, values=None, finalize=None):
        """Show step ``current`` with (name, value) pairs; averaged over the steps
        unless the name is a stateful metric (already an average)."""
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        for k, v in values or []:
            if k not in self._values_order:
                self._values_order.append(k)
            if k not in self.stateful_metrics:
                base = max(current - self._seen_so_far, 1)
                if k not in self._values:
                    self._values[k] = [v * base, base]
                else:
                    self._values[k][0] += v * base
                    self._values[k][1] += base
            else:
                self._values[k] = [v, 1]
        self._seen_so_far = current
        now = time.time()
        info = f" - {now - self._start:.0f}s"
        if current == self.target:
            self._time_at_epoch_end = now
        if self.verbose == 1:
            self._redraw(current, now, info, finalize)
        elif self.verbose == 2 and finalize:
            self._line(current, now, info)
        self._last_update = now

    def _redraw(self, current, now, info, finalize):
        if now - self._last_update < self.interval and not finalize:
            return
        prev_total_width = self._total_width
        message = ("\b" * prev_total_width + "\r") if self._dynamic_display else "\n"
        if self.target is not None:
            digits = int(np.log10(self.target)) + 1
            bar = f"{current:{digits}d}/{self.target} ["
            prog_width = int(self.width * float(current) / self.target)
            if prog_width > 0:
                bar += "=" * (prog_width - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - prog_width) + "]"
        else:
            bar = f"{current:7d}/Unknown"
        self._total_width = len(bar)
        message += bar
        per_unit = self._estimate_step_duration(current, now)
        if self.target is None or finalize:
            info += self._format_time(per_unit, self.unit_name)
        else:
            eta = per_unit * (self.target - current)
            if eta > 3600:
                eta_format = f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_format = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_format = f"{int(eta)}s"
            info = f" - ETA: {eta_format}"
        for k in self._values_order:
            avg = np.mean(self._values[k][0] / max(1, self._values[k][1]))
            info += f" - {k}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {k}: {avg:.4e}"
        self._total_width += len(info)
        if prev_total_width > self._total_width:
            info += " " * (prev_total_width - self._total_width)
        if finalize:
            info += "\n"
        print_msg(message + info)

    def _line(self, current, now, info):
        digits = int(np.log10(self.target)) + 1
        info = f"{current:{digits}d}/{self.target}" + info
        for k in self._values_order:
            avg = np.mean(self._values[k][0] / max(1, self._values[k][1]))
            info += f" - {k}: {avg:.4f}" if avg > 1e-3 else f" - {k}: {avg:.4e}"
        if self._time_at_epoch_end:
            per_epoch = self._time_at_epoch_end - self._time_at_epoch_start
            self._time_at_epoch_start, self._time_at_epoch_end = now, None
            info += " -" + self._format_time(per_epoch, "epoch")
            info += " -" + self._format_time(per_epoch / self.target, self.unit_name)
            info += "\n"
        print_msg(info)

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

    @staticmethod
    def _format_time(per_unit, unit_name):
        if per_unit >= 1 or per_unit == 0:
            return f" {per_unit:.0f}s/{unit_name}"
        if per_unit >= 1e-3:
            return f" {per_unit * 1000.0:.0f}ms/{unit_name}"
        return f" {per_unit * 1000000.0:.0f}us/{unit_name}"

    def _estimate_step_duration(self, current, now):
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit

    def _update_stateful_metrics(self, stateful_metrics):
        self.stateful_metrics = self.stateful_metrics.union(stateful_metrics)
