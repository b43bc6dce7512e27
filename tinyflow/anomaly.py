"""The check behind ``detect_anomaly``: a nan or inf, named with the op, the
tensor and the user's line that created the op."""
import numpy as np


class AnomalyError(RuntimeError):
    """A forward value or a gradient contained nan or inf (anomaly mode)."""


def check(value, what, op_name, site):
    """Raise AnomalyError if ``value`` holds nan or inf."""
    a = np.asarray(value)
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        bad = "nan" if np.isnan(a).any() else "inf"
        where = f"\nThe op was created at:\n  {site}" if site else ""
        raise AnomalyError(f"{what} of {op_name} contains {bad} (shape {a.shape}, "
                           f"{int((~np.isfinite(a)).sum())} of {a.size} values).{where}")
