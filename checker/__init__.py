"""checker: find where documents disagree about facts that can be measured."""

from checker.version import __version__

__all__ = ["__version__", "check"]


def __getattr__(name: str) -> object:
    # The pipeline is imported lazily so that `import checker` stays cheap.
    if name == "check":
        from checker.engine import check

        return check
    raise AttributeError(name)
