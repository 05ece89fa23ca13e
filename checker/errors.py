"""The checker's errors: one root, each subclass also the matching builtin."""


class CheckerError(Exception):
    """Root of every error the checker raises on purpose; its message is for the user."""


class UsageError(CheckerError, ValueError):
    """A command-line value, configuration or manifest the user must correct."""


class NothingReadableError(CheckerError, FileNotFoundError):
    """No path named on the command line yielded a readable document."""
