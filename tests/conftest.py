"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """Return the shared seed folder; fail under CI when it is missing, else skip."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seed folder missing: {SEEDS}")
        pytest.skip(f"seed folder missing: {SEEDS}")
    return SEEDS
