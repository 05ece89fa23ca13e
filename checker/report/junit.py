"""The `--format junit` renderer: JUnit XML, one test case per fact that was compared.

CI systems that read test reports (GitLab, Jenkins, Azure) list every fact checked as a
test and every fact with findings as a failure whose body quotes the claims. Text from
documents may hold anything, so control characters and everything else XML 1.0 cannot
carry are removed before ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from checker.model import SEVERITY_RANK, Document, Fact, Finding, Report
from checker.report.records import (
    claim_quote,
    collapse,
    document_index,
    location,
    plural,
    strip_controls,
)

SUITE_NAME = "checker"
CLASS_NAME = "checker.facts"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
MESSAGE_LIMIT = 300
# Characters outside XML 1.0's `Char` production: C0 controls but tab/LF/CR, lone
# surrogates, U+FFFE and U+FFFF. ElementTree would write them and no parser reads them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Return `text` without escape sequences, controls or characters XML cannot hold."""
    return _NOT_XML.sub("", strip_controls(text))


def _attribute(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Return a one-line attribute value, cut to `limit` characters."""
    clean = collapse(xml_text(text)).strip()
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _cases(report: Report) -> list[tuple[str, str, list[Finding]]]:
    """Return (fact id, subject, findings) for every fact compared or with findings."""
    by_fact: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_fact.setdefault(finding.fact, []).append(finding)
    cases = [
        (fact.id, fact.subject, by_fact.pop(fact.id, []))
        for fact in report.facts
        if _compared(fact) or fact.id in by_fact
    ]
    # A finding about a fact the report does not list still has to fail something.
    cases += [(fact_id, fact_id, findings) for fact_id, findings in by_fact.items()]
    return cases


def _compared(fact: Fact) -> bool:
    return fact.status != "single" and len(fact.claims) >= 2


def _finding_lines(finding: Finding, documents: dict[str, Document]) -> list[str]:
    lines = [
        f"{finding.severity.value} {finding.code} {finding.id}: {collapse(finding.message).strip()}"
    ]
    for claim in finding.claims:
        document = documents.get(claim.span.doc_id)
        lines.append(f"  {location(document, claim)}: {claim_quote(document, claim)}")
    return lines


def _failure(findings: list[Finding], documents: dict[str, Document]) -> ET.Element:
    # The worst finding names the failure; sorted() is stable, so ties keep engine order.
    ordered = sorted(findings, key=lambda finding: -SEVERITY_RANK[finding.severity])
    worst = ordered[0]
    message = worst.message
    if len(ordered) > 1:
        message += f" (and {plural(len(ordered) - 1, 'more finding')})"
    failure = ET.Element(
        "failure", {"type": _attribute(worst.code), "message": _attribute(message)}
    )
    body = [line for finding in ordered for line in _finding_lines(finding, documents)]
    failure.text = xml_text("\n".join(body))
    return failure


def junit_tree(report: Report) -> ET.Element:
    """Return the report as a `<testsuites>` element."""
    documents = document_index(report)
    cases = _cases(report)
    failures = sum(1 for _id, _subject, findings in cases if findings)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts, "skipped": "0"})
    for fact_id, subject, findings in cases:
        name = _attribute(f"{fact_id}: {subject}")
        case = ET.SubElement(suite, "testcase", {"classname": CLASS_NAME, "name": name})
        if findings:
            case.append(_failure(findings, documents))
    return root


def render_junit(report: Report) -> str:
    """Render the report as JUnit XML, one trailing newline."""
    root = junit_tree(report)
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
