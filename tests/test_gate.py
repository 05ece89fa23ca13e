"""The CI gate (issue 5): changed documents, baselines and suppressions, end to end.

These run the real `check` command on small corpora in temporary folders, and the real
git for `--since`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOOD_12 = "date 2024-05-04\n\nThe flood in Arvale killed 12 people on Friday, officials said.\n"
FLOOD_TWELVE = "date 2024-05-05\n\nTwelve people died when the flood hit Arvale on Friday.\n"
FLOOD_30 = (
    "date 2024-05-05\n\nThe flood that struck Arvale on Friday killed 30 people, the mayor said.\n"
)
FLOOD_30_REWORDED = (
    "date 2024-05-05\n\nA paragraph was added above.\n\n"
    "Thirty people lost their lives in the Arvale flood on Friday, according to the mayor.\n"
)
FLOOD_31 = (
    "date 2024-05-05\n\nThe flood that struck Arvale on Friday killed 31 people, the mayor said.\n"
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _run(*args: str) -> tuple[int, str]:
    """Run the real command line in a process; return its exit code and all it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "checker", *args, "--no-cache"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _run_json(*args: str) -> tuple[int, dict[str, Any]]:
    """Run the command line with `--format json`; return its exit code and the report."""
    done = subprocess.run(
        [sys.executable, "-m", "checker", *args, "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, data


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose `docs/` corpus agrees with itself, one commit deep."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _write(tmp_path / "docs", {"a.txt": FLOOD_12, "b.txt": FLOOD_TWELVE})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "corpus")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- --since and --new ---------------------------------------------------------------------
@needs_git
def test_since_fails_on_a_committed_contradicting_document(repo: Path) -> None:
    (repo / "docs" / "c.txt").write_text(FLOOD_30, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "add c")
    code, data = _run_json("docs", "--since", "HEAD~1")
    assert code == 1, data
    findings = data["findings"]
    assert findings and all(any(c.startswith("c#") for c in f["claims"]) for f in findings)


@needs_git
def test_since_passes_a_committed_consistent_document(repo: Path) -> None:
    (repo / "docs" / "c.txt").write_text(FLOOD_12.replace("officials", "police"), "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "add c")
    code, data = _run_json("docs", "--since", "HEAD~1")
    assert code == 0, data
    assert data["findings"] == []


@needs_git
def test_since_sees_uncommitted_and_untracked_documents(repo: Path) -> None:
    (repo / "docs" / "c.txt").write_text(FLOOD_30, encoding="utf-8")  # untracked
    code, _ = _run("docs", "--since", "HEAD")
    assert code == 1


@needs_git
def test_since_leaves_old_disagreements_out(repo: Path) -> None:
    (repo / "docs" / "c.txt").write_text(FLOOD_30, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "an accepted disagreement")
    budget = "date 2024-05-06\n\nThe Arvale council approved a $4 million repair fund on Monday.\n"
    (repo / "docs" / "d.txt").write_text(budget, "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "an unrelated report")
    code, data = _run_json("docs", "--since", "HEAD~1")
    assert code == 0, data  # c disagrees with a and b, but c is not new
    assert data["findings"] == []


@needs_git
def test_since_with_a_bad_revision_is_a_usage_error(repo: Path) -> None:
    code, output = _run("docs", "--since", "no-such-branch")
    assert code == 2
    assert "no-such-branch" in output and "Traceback" not in output


def test_new_reports_only_findings_involving_the_new_document(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_12, "b.txt": FLOOD_30})
    new = _write(tmp_path / "incoming", {"c.txt": FLOOD_TWELVE})
    code, data = _run_json(str(corpus), "--new", str(new / "c.txt"))
    findings = data["findings"]
    assert code == 1
    assert findings and all(any(c.startswith("c#") for c in f["claims"]) for f in findings)
    code, data = _run_json(str(corpus), "--new", str(corpus / "a.txt"))
    assert all(any(c.startswith("a#") for c in f["claims"]) for f in data["findings"])


# -- baseline ---------------------------------------------------------------------------
def _baseline_schema() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "baseline.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_baseline_survives_rewording_and_fails_on_a_changed_value(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    baseline = tmp_path / "baseline.json"
    assert _run(str(corpus), "--no-report")[0] == 1
    code, _ = _run(str(corpus), "--baseline", str(baseline), "--update-baseline", "--no-report")
    assert code == 0
    data = json.loads(baseline.read_text("utf-8"))
    _baseline_schema().validate(data)
    assert [e["code"] for e in data["entries"]] == ["count.conflict"]
    assert _run(str(corpus), "--baseline", str(baseline), "--no-report")[0] == 0

    (corpus / "c.txt").write_text(FLOOD_30_REWORDED, encoding="utf-8")
    code, output = _run(str(corpus), "--baseline", str(baseline), "--no-report")
    assert code == 0, output  # re-worded and moved down: still the accepted finding

    (corpus / "c.txt").write_text(FLOOD_31, encoding="utf-8")
    code, data = _run_json(str(corpus), "--baseline", str(baseline))
    assert code == 1  # a changed value is a new disagreement
    codes = [d["code"] for d in data["diagnostics"]]
    assert "baseline.stale" in codes


def test_prune_baseline_drops_stale_entries_and_adds_none(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    baseline = tmp_path / "baseline.json"
    _run(str(corpus), "--baseline", str(baseline), "--update-baseline")
    (corpus / "c.txt").write_text(FLOOD_31, encoding="utf-8")
    code, _ = _run(str(corpus), "--baseline", str(baseline), "--prune-baseline", "--no-report")
    assert code == 1  # the new disagreement is still reported, and not recorded
    assert json.loads(baseline.read_text("utf-8"))["entries"] == []


def test_baseline_keeps_reasons_when_updated(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    baseline = tmp_path / "baseline.json"
    _run(str(corpus), "--baseline", str(baseline), "--update-baseline")
    data = json.loads(baseline.read_text("utf-8"))
    data["entries"][0]["reason"] = "the mayor's figure is disputed; see desk note 14"
    baseline.write_text(json.dumps(data), encoding="utf-8")
    _run(str(corpus), "--baseline", str(baseline), "--update-baseline")
    entry = json.loads(baseline.read_text("utf-8"))["entries"][0]
    assert entry["reason"] == "the mayor's figure is disputed; see desk note 14"


def test_a_malformed_baseline_is_a_usage_error(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE})
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1, "entries": [{"code": "x"}]}', encoding="utf-8")
    code, output = _run(str(corpus), "--baseline", str(baseline))
    assert code == 2
    assert "baseline.json" in output and "fingerprint" in output


def test_update_baseline_needs_a_baseline_file(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE})
    code, output = _run(str(corpus), "--update-baseline")
    assert code == 2 and "--baseline" in output


# -- suppressions -----------------------------------------------------------------------
def _md(
    comment: str, body: str = "The flood that struck Arvale on Friday killed 30 people."
) -> str:
    return f"---\ndate: 2024-05-05\n---\n\n# Arvale flood\n\n{comment}\n{body}\n"


@pytest.mark.parametrize(
    "comment",
    [
        '<!-- check: ignore count.conflict reason="the mayor counts the missing" -->',
        "<!-- check: ignore count.* reason='disputed figure' -->",
        '<!-- check: ignore-file count.conflict reason="an opinion piece" -->',
    ],
)
def test_a_suppression_with_a_reason_hides_the_finding(tmp_path: Path, comment: str) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.md": _md(comment)})
    code, data = _run_json(str(corpus))
    data = data
    assert code == 0, data
    assert [f["code"] for f in data["findings"] if f["severity"] == "error"] == []
    assert not [d for d in data["diagnostics"] if d["code"].startswith("suppress.")]


def test_a_suppression_on_the_same_line_covers_that_line(tmp_path: Path) -> None:
    body = (
        "The flood that struck Arvale on Friday killed 30 people. "
        '<!-- check: ignore count.conflict reason="disputed" -->'
    )
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.md": _md("", body)})
    assert _run(str(corpus), "--no-report")[0] == 0


def test_a_suppression_without_a_reason_is_reported_and_not_applied(tmp_path: Path) -> None:
    comment = "<!-- check: ignore count.conflict -->"
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.md": _md(comment)})
    code, data = _run_json(str(corpus))
    assert code == 1
    (problem,) = [d for d in data["diagnostics"] if d["code"] == "suppress.invalid"]
    assert "reason" in problem["message"] and problem["line"] == 7


def test_an_unused_suppression_is_reported(tmp_path: Path) -> None:
    comment = '<!-- check: ignore money.conflict reason="old" -->'
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.md": _md(comment)})
    code, data = _run_json(str(corpus))
    assert code == 1  # the count conflict is not covered by a money suppression
    unused = [d for d in data["diagnostics"] if d["code"] == "suppress.unused"]
    assert len(unused) == 1 and unused[0]["path"].endswith("c.md")


def test_a_suppression_in_fenced_code_is_text(tmp_path: Path) -> None:
    comment = '```\n<!-- check: ignore count.conflict reason="example" -->\n```'
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.md": _md(comment)})
    assert _run(str(corpus), "--no-report")[0] == 1


# -- severity and outputs ---------------------------------------------------------------
def test_min_severity_filters_what_is_shown_not_the_exit_code(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "docs", {"a.txt": FLOOD_12, "b.txt": FLOOD_TWELVE, "c.txt": FLOOD_30}
    )
    code, data = _run_json(str(corpus), "--min-severity", "error")
    assert code == 1
    assert {f["severity"] for f in data["findings"]} == {"error"}
    code, data = _run_json(str(corpus), "--fail-on", "never")
    assert code == 0 and "note" in {f["severity"] for f in data["findings"]}


def test_several_outputs_at_once(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    out = tmp_path / "out"
    code, _ = _run(
        str(corpus),
        "--format",
        "markdown",
        *("--output", f"sarif={out / 'r.sarif'}"),
        *("--output", f"junit={out / 'r.xml'}"),
        *("--output", f"gitlab={out / 'gl.json'}"),
        *("--output", f"json={out / 'r.json'}"),
        *("--report", str(out / "r.md")),
    )
    assert code == 1
    assert {p.name for p in out.iterdir()} == {"r.sarif", "r.xml", "gl.json", "r.json", "r.md"}
    assert json.loads((out / "r.sarif").read_text("utf-8"))["version"] == "2.1.0"


def test_a_bad_output_option_is_a_usage_error(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE})
    code, output = _run(str(corpus), "--output", "pdf=out.pdf")
    assert code == 2 and "pdf" in output


def test_github_format_writes_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = _run(str(corpus), "--format", "github")
    assert code == 1
    assert output.startswith("::error file=")
    assert "count.conflict" in summary.read_text("utf-8")


@needs_git
def test_since_sees_a_renamed_document_under_its_new_name(repo: Path) -> None:
    _git(repo, "mv", "docs/b.txt", "docs/b-renamed.txt")
    (repo / "docs" / "b-renamed.txt").write_text(FLOOD_30, encoding="utf-8")
    _, data = _run_json("docs", "--since", "HEAD")
    assert data["findings"]  # a later, higher toll than a's: an update note
    assert all(any(c.startswith("b-renamed#") for c in f["claims"]) for f in data["findings"])


# -- configuration ----------------------------------------------------------------------
def test_the_configuration_is_read_and_an_unknown_key_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE, "c.txt": FLOOD_30})
    (tmp_path / ".git").mkdir()  # the search for a configuration stops here
    config = tmp_path / "checker.toml"
    config.write_text('paths = ["docs"]\nfail-on = "never"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, data = _run_json()
    assert code == 0 and data["findings"]  # paths and fail-on from the file
    assert _run_json("--fail-on", "error")[0] == 1  # the command line wins
    config.write_text('paths = ["docs"]\nfial-on = "never"\n', encoding="utf-8")
    code, output = _run()
    assert code == 2
    assert "checker.toml:2" in output and "fial-on" in output and "Traceback" not in output


def test_include_and_exclude_globs_choose_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "docs", {"a.txt": FLOOD_TWELVE})
    _write(tmp_path / "docs" / "drafts", {"c.txt": FLOOD_30})
    (tmp_path / "pyproject.toml").write_text(
        '[tool.checker]\npaths = ["docs"]\nexclude = ["docs/drafts/**"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, data = _run_json()
    assert code == 0
    assert [d["id"] for d in data["documents"]] == ["a"]
