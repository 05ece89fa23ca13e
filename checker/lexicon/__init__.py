"""Language knowledge as data: each `<name>.toml` here is loaded once and shared.

Adding a synonym, a number word or an approximator is an edit to a data file, never
to code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed lexicon file `<name>.toml` (cached for the process)."""
    source = resources.files(__package__).joinpath(f"{name}.toml")
    return tomllib.loads(source.read_text(encoding="utf-8"))
