"""Markdown documents end to end: table cells, lists and code as the extractor reads them."""

from __future__ import annotations

from pathlib import Path

from checker.engine import check
from checker.model import FindingKind, Kind

PRICING = """---
title: Plans and limits
date: 2025-02-01
---
# Plans

| Feature | Free | Pro | Enterprise |
| --- | --- | --- | --- |
| Maximum file size | 100 MB | 2 GB | 10 GB |
| API requests per minute | 60 | 600 | 6,000 |
| Price per user per month | $0 | $12 | $40 |

Use `limit=500` in code, or:

```
max_size = 750
```
"""

FAQ = """---
date: 2025-02-20
---
# FAQ

| Feature | Free | Pro |
| --- | --- | --- |
| Maximum file size | 100 MB | 5 GB |
| API requests per minute | 60 | 600 |
"""


def _write(tmp_path: Path) -> Path:
    (tmp_path / "pricing.md").write_text(PRICING, encoding="utf-8")
    (tmp_path / "faq.md").write_text(FAQ, encoding="utf-8")
    return tmp_path


def test_table_cells_take_row_label_and_column_header(tmp_path: Path) -> None:
    report = check([_write(tmp_path)], claims_only=True)
    subjects = {(c.span.doc_id, c.text): c.subject.text for c in report.claims}
    assert subjects[("pricing", "2 GB")] == "Maximum file size × Pro"
    assert subjects[("pricing", "6,000")] == "API requests per minute × Enterprise"
    assert subjects[("pricing", "$12")] == "Price per user per month × Pro"
    sizes = {
        c.text: c for c in report.claims if c.span.doc_id == "pricing" and c.kind is Kind.QUANTITY
    }
    assert sizes["2 GB"].value.unit == "byte" and sizes["2 GB"].value.low == 2e9


def test_code_and_labels_yield_no_claims(tmp_path: Path) -> None:
    report = check([_write(tmp_path)], claims_only=True)
    texts = {c.text for c in report.claims}
    assert not texts & {"500", "750", "limit=500"}
    assert "Feature" not in {c.subject.text for c in report.claims}


def test_only_the_disagreeing_cell_is_a_finding(tmp_path: Path) -> None:
    report = check([_write(tmp_path)])
    assert [(f.kind, sorted(c.text for c in f.claims)) for f in report.findings] == [
        (FindingKind.CONFLICT, ["2 GB", "5 GB"])
    ]
