"""How objects of the lower layers show themselves in Jupyter.

A ``Graph`` or a traced function is best shown as a drawing, but drawing is a
tool of a higher layer (``viz``). So the lower layers ask here, and ``viz``
registers its drawer when it is imported; without one, an object shows its
text.

>>> class Thing:
...     def __repr__(self): return "<thing>"
>>> mimebundle(Thing(), None, None)["text/plain"]
'<thing>'
"""
_drawer = []           # viz's draw(obj) -> a Drawing, once tinyflow.viz is imported


def register_drawer(draw):
    """Use ``draw(obj)`` (returning something with ``_repr_mimebundle_``) to show objects."""
    _drawer[:] = [draw]


def mimebundle(obj, include=None, exclude=None, text=None):
    """The Jupyter display data of ``obj``: its drawing (with ``text`` as its
    plain-text form, if given), or only its text when nothing can draw it."""
    try:
        drawing = _drawer[0](obj) if _drawer else None
    except TypeError:                     # something the drawer cannot draw
        drawing = None
    if drawing is None:
        return {"text/plain": text or repr(obj)}
    shown = drawing._repr_mimebundle_(include, exclude)
    # a drawing answers (data, metadata): the metadata says how wide to show it
    bundle, metadata = shown if isinstance(shown, tuple) else (shown, {})
    if text is not None:
        bundle["text/plain"] = text
    return bundle, metadata
