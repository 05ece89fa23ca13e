"""Renderers: each turns a `Report` into text and computes nothing beyond formatting."""

from __future__ import annotations

from collections.abc import Callable

from checker.model import Report
from checker.report.json_report import render_json
from checker.report.markdown import render_markdown
from checker.report.records import as_records
from checker.report.terminal import render_terminal, render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "json": render_json,
    "markdown": render_markdown,
    "text": render_text,
}

__all__ = [
    "RENDERERS",
    "as_records",
    "render_json",
    "render_markdown",
    "render_terminal",
    "render_text",
]
