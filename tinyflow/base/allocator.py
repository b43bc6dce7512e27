"""Keep freed memory instead of handing it back to the operating system.

A training step allocates the same arrays every time: activations, gradients,
temporaries of a few hundred kilobytes each. With its default settings, glibc's
``malloc`` (the C library under numpy on Linux) returns the top of its heap to
the operating system as soon as more than about 256 KB of it is free, which
happens at the end of every step. The next step asks for the memory again, and
the kernel hands it over one 4 KB page at a time, zeroing each page first (a
"page fault"). On bench/'s W2 (an MLP step of 64 x 256 activations) this was
about 40% of a step's time, for hand-written numpy and for tinyflow alike:
W2 float64 took 1.29 ms in numpy and 1.71 ms in tinyflow eager, and 0.80 ms
and 0.93 ms with this setting (bench/README.md has the figures).

So tinyflow, when imported, asks glibc to keep up to 64 MB of freed memory
for reuse and to serve arrays under 32 MB from that reused heap (glibc's own
ceiling for arrays it has already seen freed). That is the whole trick: two
``mallopt`` calls. It is process-wide, so numpy and PyTorch code in the same
process get faster too; the price is that a process keeps up to 64 MB it no
longer uses. Other platforms and C libraries (macOS, Windows, musl) are left
as they are.

Switch it off by setting the environment variable ``TINYFLOW_KEEP_FREED_MEMORY=0``
before importing tinyflow. Malloc settings given in ``GLIBC_TUNABLES`` (as bench/run.py
gives its workers) are left as they are.

>>> from tinyflow.base import allocator
>>> allocator.SETTINGS["trim_threshold"] >> 20, allocator.SETTINGS["mmap_threshold"] >> 20
(64, 32)
"""
import ctypes
import os
import platform

# mallopt's parameter numbers (glibc's malloc.h) and the values tinyflow sets
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
SETTINGS = {"trim_threshold": 64 << 20, "mmap_threshold": 32 << 20}

# What keep_freed_memory() did: None (not asked yet), True (set), or why it did nothing.
state = {"applied": None}


def keep_freed_memory():
    """Tell glibc's malloc to keep freed memory for reuse (see the module's text).
    Returns True if the settings were applied; otherwise says why not in
    ``state["applied"]`` (switched off, or not glibc)."""
    if os.environ.get("TINYFLOW_KEEP_FREED_MEMORY", "1") == "0":
        state["applied"] = "switched off by TINYFLOW_KEEP_FREED_MEMORY=0"
        return False
    if "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", ""):
        state["applied"] = "left to GLIBC_TUNABLES"     # set by hand, or by bench/run.py
        return False
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        state["applied"] = "not glibc: the C library's allocator is left as it is"
        return False
    try:
        libc = ctypes.CDLL(None)            # the C library this process already uses
        ok = (libc.mallopt(_M_TRIM_THRESHOLD, SETTINGS["trim_threshold"]) == 1 and
              libc.mallopt(_M_MMAP_THRESHOLD, SETTINGS["mmap_threshold"]) == 1)
    except (OSError, AttributeError) as e:
        state["applied"] = f"mallopt unavailable: {e}"
        return False
    state["applied"] = True if ok else "mallopt refused the settings"
    return ok
