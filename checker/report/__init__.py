"""Renderers: each turns a `Report` into text and computes nothing beyond formatting."""

from __future__ import annotations

from collections.abc import Callable

from checker.model import Report
from checker.report.github import render_github
from checker.report.gitlab import render_gitlab
from checker.report.json_report import render_json
from checker.report.junit import render_junit
from checker.report.markdown import render_markdown
from checker.report.records import as_records
from checker.report.sarif import render_sarif
from checker.report.terminal import render_terminal, render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "github": render_github,
    "gitlab": render_gitlab,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
    "sarif": render_sarif,
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
