"""Switches that every interpreter reads (DeZero's ``Config``, grown a little).

They live at the bottom of the package so the eager tape, the session and the
debugging tools can all see them without importing one another.
"""


class Config:
    grad_enabled = True     # eager ops record tape nodes (torch.no_grad turns this off)
    anomaly = False         # check every value and gradient for nan / inf
    observers = []          # callables told about every op run and every gradient made
    inplace_ops = 0         # bumped by every in-place update; lets backward skip version checks


def notify(event, **info):
    """Tell every observer (debug hooks, steppers, widgets) what just happened."""
    for fn in tuple(Config.observers):
        fn(event, info)
