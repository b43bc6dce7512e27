"""``torch.backends``: ``mps.is_available()`` is False; ``cudnn``'s switches are
accepted (and change nothing: there is no cuDNN)."""
from . import mps, cudnn  # noqa: F401
