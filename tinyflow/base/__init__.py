"""The base layer: what every other layer may use, and which imports nothing
else from tinyflow -- the switches (``config``), the errors users catch
(``errors``), finding the user's line (``source``), removable hook handles
(``hooks``), the one random generator (``rng``), dtypes (``dtypes``) and the
nan/inf check of anomaly mode (``anomaly``)."""
