"""Switches that every interpreter reads (DeZero's ``Config``, grown a little).

They live at the bottom of the package so the eager tape, the session and the
debugging tools can all see them without importing one another. Change them
for a block of code with ``using_config``, which puts them back afterwards:

>>> with using_config(grad_enabled=False):
...     Config.grad_enabled
False
>>> Config.grad_enabled
True
"""


class Config:
    grad_enabled = True     # eager ops record tape nodes (torch.no_grad turns this off)
    anomaly = False         # check every value and gradient for nan / inf
    observers = []          # callables told about every op run and every gradient made
    inplace_ops = 0         # bumped by every in-place update; lets backward skip version checks
    compile_plans = True    # Sessions run plans compiled to Python (graph/compile.py), not the loop


class using_config:
    """Set ``Config`` switches inside a ``with`` block, and restore them after
    (even when the block raises). A small class rather than a generator with
    ``contextlib.contextmanager``: it is entered at every ``no_grad()`` and every
    backward, and a class costs about a third as much."""
    __slots__ = ("switches", "saved")

    def __init__(self, **switches):
        for name in switches:
            if not hasattr(Config, name):
                raise AttributeError(f"using_config: Config has no switch {name!r}; the switches "
                                     f"are grad_enabled, anomaly, observers, inplace_ops, "
                                     f"compile_plans")
        self.switches = switches

    def __enter__(self):
        self.saved = {name: getattr(Config, name) for name in self.switches}
        for name, value in self.switches.items():
            setattr(Config, name, value)

    def __exit__(self, *error):
        for name, value in self.saved.items():
            setattr(Config, name, value)
        return False


def notify(event, **info):
    """Tell every observer (debug hooks, steppers, widgets) what just happened."""
    for fn in tuple(Config.observers):
        fn(event, info)
