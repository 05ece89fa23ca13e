"""Language knowledge as data: each `<name>.toml` here is loaded once and shared.

Adding a synonym, a number word or an approximator is an edit to a data file, never
to code. A project can extend the lexicon without forking it: an extension file (the
`lexicon` configuration key) holds tables named after the lexicon files, e.g.
`[subjects.things]` with `ferry = ["ferry", "ferries"]`, merged over the bundled ones.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from checker.errors import UsageError

_extensions: list[dict[str, Any]] = []


def _merge(base: Any, extra: Any) -> Any:
    """Merge an extension into a table: tables merge, lists grow, other values are replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


def extend(paths: Sequence[Path]) -> None:
    """Merge the extension files at `paths` into every lexicon loaded from now on.

    Call it once, before anything is extracted: derived tables are cached for the process.
    """
    _extensions.clear()
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"{path}: cannot read the lexicon extension: {error}") from error
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{path}: not valid TOML: {error}") from error
        known = {p.name.removesuffix(".toml") for p in _bundled()}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(
                f"{path}: unknown lexicon {unknown[0]!r} (known: {', '.join(sorted(known))})"
            )
        _extensions.append(data)
    load.cache_clear()


def _bundled() -> list[Any]:
    return [p for p in resources.files(__package__).iterdir() if p.name.endswith(".toml")]


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed lexicon file `<name>.toml` with any extensions (cached)."""
    source = resources.files(__package__).joinpath(f"{name}.toml")
    data: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
    for extension in _extensions:
        if name in extension:
            data = _merge(data, extension[name])
    return data
