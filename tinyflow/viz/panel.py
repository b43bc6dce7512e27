"""How the Stepper's panel writes what a step saw: values with their shape
and dtype, the line of code that made the op.

>>> import numpy as np
>>> value_row("w", np.array([1.0, 2.0]))
'w&ensp;<span style="color:#555">(2,) float64</span><pre style="margin:2px 0 6px 12px">[1. 2.]</pre>'
"""
import html
import os

import numpy as np

from . import style


def esc(text):
    return html.escape(str(text))


def box(inner):
    return f'<div style="font-size:15px;line-height:1.35;padding:0 8px">{inner}</div>'


def where(site):
    """'line 3 of model.py'; in Jupyter the file is a temporary one per cell."""
    fname, line, func, _ = site
    folder = os.path.basename(os.path.dirname(fname))
    place = "a notebook cell" if folder.startswith("ipykernel_") else os.path.basename(fname)
    inside = f", in {func}" if func not in ("<module>", "<lambda>") else ""
    return f"line {line} of {place}{inside}:"


def value_row(name, value, digits=3):
    """One value: its shape and dtype, then its numbers (few of them if big)."""
    head = f"{esc(name)}&ensp;" if name else ""
    if isinstance(value, tuple):        # the outputs of a cond or while_loop, one row each
        return "".join(value_row(f"{name}[{k}]", v, digits) for k, v in enumerate(value))
    if value is None or hasattr(value, "describe"):      # no value; a cond's kept values
        what = "nothing" if value is None else value.describe()
        return f'{head}<span style="color:#555">{esc(what)}</span>'
    a = np.asarray(value)
    numbers = style.fmt_value(a, width=60, precision=digits)
    return (f'{head}<span style="color:#555">{esc(style.shape_line(a.shape, a.dtype))}</span>'
            f'<pre style="margin:2px 0 6px 12px">{esc(numbers)}</pre>')
