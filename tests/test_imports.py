"""Every module of the package imports on its own, whatever is imported first."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pytest

import checker

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(checker.__path__, "checker.")
    if not info.name.endswith("__main__")  # running it is the command line
)


@pytest.mark.parametrize("name", MODULES)
def test_a_module_imports_first(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # An import cycle shows only when its first module is imported before the others:
    # forget every module of the package, import this one, then restore the rest.
    saved = {key: mod for key, mod in sys.modules.items() if key.startswith("checker.")}
    for key in saved:
        monkeypatch.delitem(sys.modules, key)
    try:
        importlib.import_module(name)
    finally:
        for key in [k for k in sys.modules if k.startswith("checker.")]:
            del sys.modules[key]
        sys.modules.update(saved)


def test_the_modules_are_found() -> None:
    assert {"checker.engine", "checker.gate.fingerprint", "checker.report"} <= set(MODULES)
