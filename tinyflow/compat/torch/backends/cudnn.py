"""``torch.backends.cudnn``: the switches tutorials set for reproducibility. They
are plain attributes here; tinyflow's numpy results do not depend on them."""
enabled = False
deterministic = False
benchmark = False


def is_available():
    return False
