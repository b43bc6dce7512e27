"""Settings for running the lessons under nbval (``make test``).

Why MPLBACKEND is removed here: the lessons' figures come from matplotlib's
inline backend, which ipykernel chooses for a kernel -- unless the environment
sets ``MPLBACKEND``. Many CI machines set ``MPLBACKEND=Agg`` (no display); a
kernel started with it draws figures into nothing, ``plt.show()`` shows
nothing, and nbval reports each stored figure as missing. The kernels nbval
starts inherit this process's environment, so without the variable they use
the inline backend, as in JupyterLab.
"""
import os

os.environ.pop("MPLBACKEND", None)
