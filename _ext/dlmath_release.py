"""The book's ``version`` and ``release`` are those of the installed dlmath
(pyproject.toml's, which the wheel carries and ``dlmath.__version__``
reports), so the API page cannot name another version than the one it
documents."""

from importlib.metadata import version


def _set_release(app, config) -> None:
    config.release = config.version = version("dlmath")


def setup(app):
    app.connect("config-inited", _set_release)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
