"""Every module of the package imports on its own, whatever is imported first."""

from __future__ import annotations

import json
import subprocess
import sys

# An import cycle shows only when its first module is imported before the others. In a
# process of its own (so no module object of this one is replaced), forget the whole
# package before each import and record the modules that fail.
_IMPORT_EACH_FIRST = """
import importlib, json, pkgutil, sys
import checker
names = sorted(
    info.name
    for info in pkgutil.walk_packages(checker.__path__, "checker.")
    if not info.name.endswith("__main__")  # running it is the command line
)
failed = {}
for name in names:
    for key in [k for k in sys.modules if k == "checker" or k.startswith("checker.")]:
        del sys.modules[key]
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = repr(error)
print(json.dumps({"names": names, "failed": failed}))
"""


def test_every_module_imports_first() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_FIRST],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout)
    assert {"checker.engine", "checker.gate.fingerprint", "checker.report"} <= set(result["names"])
    assert result["failed"] == {}
