"""Objects by name, and back: how Keras turns ``"adam"``, ``"glorot_uniform"`` or a
saved config into objects, and where your own classes are registered.

``@register_keras_serializable()`` records a class (or function) under
``"Custom>ClassName"`` so that ``load_model`` finds it in any process that imported
it; ``custom_objects={...}`` or ``with custom_object_scope({...}):`` does the same
for one call or one block. Nothing is ever unpickled: a saved model holds names
and JSON configs, and only registered or built-in classes are constructed.

>>> from tinyflow import keras
>>> @keras.utils.register_keras_serializable(package="Doc")
... class Twice(keras.layers.Layer):
...     def call(self, x):
...         return x * 2
>>> keras.utils.get_registered_name(Twice)
'Doc>Twice'
>>> keras.utils.get_registered_object("Doc>Twice") is Twice
True
"""
import contextlib
import inspect

_GLOBAL = {}          # registered name -> class or function
_NAMES = {}           # class or function -> registered name
_scopes = []          # the dicts of ``with custom_object_scope(...)`` blocks, innermost last

HELP = ("Please ensure you are using a `keras.utils.custom_object_scope` and that this object "
        "is included in the scope. See https://www.tensorflow.org/guide/keras/"
        "save_and_serialize#registering_the_custom_object for details.")


def register_keras_serializable(package="Custom", name=None):
    """Decorator: make a class or function loadable by name ("package>Name")."""
    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        if registered in _GLOBAL and _GLOBAL[registered] is not obj:
            old = _GLOBAL[registered]
            if getattr(old, "__qualname__", None) != getattr(obj, "__qualname__", None) or \
                    getattr(old, "__module__", None) != getattr(obj, "__module__", None):
                raise ValueError(f"{registered} has already been registered to {old}")
        _GLOBAL[registered] = obj          # a re-run notebook cell re-registers the new class
        _NAMES[obj] = registered
        return obj
    return decorator


def get_registered_name(obj):
    """The name ``obj`` is saved under: its registered name, else its own name."""
    return _NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Look ``name`` up in the open scopes, the registered objects, ``custom_objects``
    and ``module_objects``, in that order; None if it is nowhere."""
    for scope in reversed(_scopes):
        if name in scope:
            return scope[name]
    if name in _GLOBAL:
        return _GLOBAL[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    # A registered name "Pkg>Name" may also be given by its short name in custom_objects.
    if custom_objects and ">" in name and name.split(">", 1)[1] in custom_objects:
        return custom_objects[name.split(">", 1)[1]]
    return None


@contextlib.contextmanager
def custom_object_scope(*scopes):
    """``with custom_object_scope({"MyLayer": MyLayer}):`` -- names known inside the block."""
    merged = {}
    for s in scopes:
        merged.update(s or {})
    _scopes.append(merged)
    try:
        yield
    finally:
        _scopes.pop()


CustomObjectScope = custom_object_scope


class Registry:
    """The named objects of one kind (initializers, losses...) and ``get`` for them."""

    def __init__(self, kind, builtins, instantiate_classes=True):
        self.kind = kind                      # "initializer", "loss function"...
        self.builtins = dict(builtins)
        self.instantiate_classes = instantiate_classes

    def unknown(self, name):
        return ValueError(f"Unknown {self.kind}: '{name}'. {HELP}")

    def lookup(self, name, custom_objects=None):
        obj = get_registered_object(name, custom_objects, self.builtins)
        if obj is None:
            raise self.unknown(name)
        return obj

    def get(self, identifier, custom_objects=None):
        """None, a name, a {"class_name", "config"} dict, a class or an object -> object."""
        if identifier is None:
            return None
        if isinstance(identifier, str):
            obj = self.lookup(identifier, custom_objects)
            return obj() if inspect.isclass(obj) and self.instantiate_classes else obj
        if isinstance(identifier, dict):
            return self.from_dict(identifier, custom_objects)
        if inspect.isclass(identifier) and self.instantiate_classes:
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {self.kind} identifier: {identifier!r}")

    def from_dict(self, config, custom_objects=None):
        if "class_name" not in config:
            raise ValueError(f"Could not interpret {self.kind} identifier: {config!r} (a config "
                             f"dict needs 'class_name' and 'config')")
        cls = self.lookup(config["class_name"], custom_objects)
        inner = config.get("config") or {}
        if not inspect.isclass(cls):
            return cls                        # a registered function: its name is all there is
        return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)

    def serialize(self, obj):
        """A name for a built-in function, {"class_name", "config"} for an object."""
        if obj is None:
            return None
        if inspect.isfunction(obj):
            return get_registered_name(obj)
        cls = type(obj)
        name = _NAMES.get(cls) or cls.__name__
        return {"class_name": name, "config": obj.get_config()}
