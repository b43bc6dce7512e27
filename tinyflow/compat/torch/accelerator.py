"""``torch.accelerator`` (PyTorch 2.6+) for a CPU-only library."""


def is_available():
    """False: tinyflow has no accelerator."""
    return False


def current_accelerator(check_available=False):
    """None: there is none."""
    return None


def device_count():
    return 0
