"""``torch.cuda`` for a CPU-only library: no GPU, ever."""
from ...base.device import check_device


def is_available():
    """False: tinyflow computes on the CPU with numpy."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Accepted and ignored (there is no GPU generator); tinyflow.manual_seed seeds the CPU."""


manual_seed_all = manual_seed


def synchronize(device=None):
    """Nothing to wait for: every op has finished when it returns."""


def current_device():
    check_device("cuda.current_device", "cuda")


def get_device_name(device=None):
    check_device("cuda.get_device_name", "cuda")
