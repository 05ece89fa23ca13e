"""A plain run pays for no heavy import: start-up is most of a small run's time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Each costs a tenth of a second or more to import, and a plain run needs none of them.
HEAVY = ("jsonschema", "pint", "dask", "distributed", "pydantic")


def test_a_plain_run_imports_no_heavy_module() -> None:
    corpus = SEEDS if SEEDS.is_dir() else EXAMPLES
    code = (
        "import sys\n"
        "from checker.cli import main\n"
        f"sys.argv = ['check', {str(corpus)!r}, '--no-cache', '--quiet', '--no-report']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
