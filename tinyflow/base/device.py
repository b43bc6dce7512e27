"""Devices, as PyTorch names them. tinyflow computes on the CPU with numpy, so
every tensor lives on ``device(type='cpu')``; a program that asks where it can
run -- ``torch.device("cuda" if torch.cuda.is_available() else "cpu")`` --
gets the CPU, and one that insists on a GPU gets an error saying why.

>>> device("cpu")
device(type='cpu')
>>> str(device("cpu", 0))
'cpu:0'
>>> device("cuda")                # naming a device is fine, as in PyTorch...
device(type='cuda')
>>> check_device("zeros", "cuda")     # ...but making a tensor there is not
Traceback (most recent call last):
...
AssertionError: zeros(): tinyflow computes on the CPU with numpy and has no 'cuda' device (Torch not compiled with CUDA enabled); use device='cpu', or leave device= out
"""
# The device types PyTorch knows (its message lists them when a string names none of them).
KNOWN_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
               "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
               "privateuseone")


class device:
    """Where a tensor lives: ``device("cpu")``, ``device("cpu:0")``, ``device("cpu", 0)``."""
    __slots__ = ("type", "index")
    __module__ = "tinyflow"

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        elif not isinstance(type, str):
            raise TypeError(f"device(): argument 'type' must be str, not {builtin_type(type)}")
        elif ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            type, _, number = type.partition(":")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{number}'")
            index = int(number)
        if type not in KNOWN_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(KNOWN_TYPES)} device type at start "
                               f"of device string: {type}")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)
                                  or index < 0):
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type = type
        self.index = index

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash(("device", self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


builtin_type = type
CPU = device("cpu")


def check_device(fn, where):
    """``where`` (None, a string or a device) as the CPU device, or an error
    naming ``fn`` when it asks for a device tinyflow does not have."""
    if where is None:
        return CPU
    d = where if isinstance(where, device) else device(where)
    if d.type != "cpu":
        hint = {"cuda": "Torch not compiled with CUDA enabled",
                "mps": "the MPS backend is not available"}.get(d.type, "no such device here")
        raise AssertionError(f"{fn}(): tinyflow computes on the CPU with numpy and has no "
                             f"'{d.type}' device ({hint}); use device='cpu', or leave device= out")
    return CPU
