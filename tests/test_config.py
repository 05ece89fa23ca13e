"""Project configuration: discovery, validation against the schema, the cache key, globs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from checker.config import (
    Config,
    ConfigError,
    config_hash,
    find_config,
    known_keys,
    load_config,
    matches,
)
from checker.errors import CheckerError

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "config.schema.json"
PYPROJECT_HEAD = '[project]\nname = "demo"\n\n[tool.checker]\n'


def write(path: Path, text: str) -> Path:
    """Write a file, creating its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a repository root (it holds `.git`) that is also the working directory."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


# --- the schema -----------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


def test_every_key_has_a_description() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert all(spec.get("description") for spec in schema["properties"].values())


def test_schema_keys_are_the_config_fields() -> None:
    fields = {field.name for field in dataclasses.fields(Config)} - {"source"}
    assert {key.replace("-", "_") for key in known_keys()} == fields


def test_schema_defaults_are_the_config_defaults() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    config = Config()
    for key, spec in schema["properties"].items():
        if "default" in spec:
            value = getattr(config, key.replace("-", "_"))
            shown = str(value) if isinstance(value, Path) else value
            assert shown == (
                tuple(spec["default"]) if isinstance(value, tuple) else spec["default"]
            )


# --- discovery ------------------------------------------------------------------------------


def test_discovery_walks_upward(repo: Path) -> None:
    config = write(repo / "checker.toml", "")
    start = repo / "a" / "b"
    start.mkdir(parents=True)
    assert find_config(start) == config


def test_discovery_starts_from_a_file_s_directory(repo: Path) -> None:
    config = write(repo / "docs" / "checker.toml", "")
    document = write(repo / "docs" / "a.md", "text")
    assert find_config(document) == config


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "checker.toml", "")  # above the repository: not this project's
    (tmp_path / "repo" / "sub").mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert find_config(tmp_path / "repo" / "sub") is None


def test_a_git_file_also_marks_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "checker.toml", "")
    write(tmp_path / "worktree" / ".git", "gitdir: ../.git/worktrees/w\n")
    assert find_config(tmp_path / "worktree") is None


def test_the_repository_root_itself_is_searched(repo: Path) -> None:
    config = write(repo / "pyproject.toml", PYPROJECT_HEAD)
    (repo / "sub").mkdir()
    assert find_config(repo / "sub") == config


def test_checker_toml_wins_over_pyproject_in_the_same_directory(repo: Path) -> None:
    write(repo / "pyproject.toml", PYPROJECT_HEAD + 'fail-on = "note"\n')
    config = write(repo / "checker.toml", "")
    assert find_config(repo) == config


def test_the_nearest_file_wins(repo: Path) -> None:
    write(repo / "checker.toml", "")
    nearer = write(repo / "sub" / "pyproject.toml", PYPROJECT_HEAD)
    assert find_config(repo / "sub") == nearer


def test_pyproject_without_the_table_is_skipped(repo: Path) -> None:
    config = write(repo / "checker.toml", "")
    write(repo / "sub" / "pyproject.toml", '[project]\nname = "checker"\n\n[tool.ruff]\n')
    assert find_config(repo / "sub") == config


def test_a_broken_pyproject_that_may_hold_the_table_is_an_error(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.checker]\nfail-on = \n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:2: not valid TOML"):
        find_config(repo)


def test_no_configuration_gives_the_defaults(repo: Path) -> None:
    config = load_config()
    assert config == Config(cache_dir=repo / ".checker-cache")
    assert config.source is None


def test_load_discovers_from_start(repo: Path) -> None:
    write(repo / "checker.toml", 'fail-on = "warning"\n')
    (repo / "sub").mkdir()
    config = load_config(start=repo / "sub")
    assert (config.source, config.fail_on) == (repo / "checker.toml", "warning")


def test_an_explicit_path_overrides_discovery(repo: Path) -> None:
    write(repo / "checker.toml", 'fail-on = "warning"\n')
    other = write(repo / "ci" / "strict.toml", 'fail-on = "note"\n')
    config = load_config(other)
    assert (config.source, config.fail_on) == (other, "note")


def test_an_explicit_pyproject_must_have_the_table(repo: Path) -> None:
    path = write(repo / "pyproject.toml", '[project]\nname = "demo"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: no \[tool\.checker\] table"):
        load_config(path)


def test_an_explicit_path_must_exist(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml: configuration file not found"):
        load_config(repo / "missing.toml")


def test_tool_checker_must_be_a_table(repo: Path) -> None:
    path = write(repo / "pyproject.toml", '[tool]\nchecker = "yes"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml:2: \[tool\.checker\] must be a table"):
        load_config(path)


# --- values ---------------------------------------------------------------------------------

FULL = """\
fail-on = "warning"
min-severity = "warning"
include = ["docs/**/*.md"]
exclude = ["docs/drafts"]
manifest = "dates.toml"
date-order = "day-first"
facts = "data/facts.toml"
lexicon = ["lex/a.toml", "../shared/b.toml"]
baseline = ".checker-baseline.json"
cache-dir = "build/cache"
cache = false
paths = ["docs", "notes/"]
"""


def test_every_key_is_read_and_paths_are_resolved(repo: Path) -> None:
    project = repo / "project"
    config = load_config(write(project / "checker.toml", FULL))
    assert config == Config(
        source=project / "checker.toml",
        fail_on="warning",
        min_severity="warning",
        include=("docs/**/*.md",),
        exclude=("docs/drafts",),
        manifest=project / "dates.toml",
        date_order="day-first",
        facts=project / "data" / "facts.toml",
        lexicon=(project / "lex" / "a.toml", repo / "shared" / "b.toml"),
        baseline=project / ".checker-baseline.json",
        cache_dir=project / "build" / "cache",
        cache=False,
        paths=(project / "docs", project / "notes"),
    )
    assert config.day_first is True


def test_pyproject_table_is_read(repo: Path) -> None:
    path = write(repo / "pyproject.toml", PYPROJECT_HEAD + 'date-order = "month-first"\n')
    config = load_config(path)
    assert (config.date_order, config.day_first) == ("month-first", False)


def test_defaults_of_a_found_file_are_next_to_it(repo: Path) -> None:
    config = load_config(write(repo / "sub" / "checker.toml", ""))
    assert config.cache_dir == repo / "sub" / ".checker-cache"
    assert (config.fail_on, config.min_severity, config.cache, config.day_first) == (
        "error",
        "note",
        True,
        None,
    )


def test_a_relative_explicit_path_is_made_absolute(repo: Path) -> None:
    write(repo / "conf" / "checker.toml", 'facts = "f.toml"\n')
    config = load_config(Path("conf/checker.toml"))
    assert config.source == repo / "conf" / "checker.toml"
    assert config.facts == repo / "conf" / "f.toml"


BAD_VALUES = [
    ("fail-on", '"sometimes"', "must be one of error, warning, note, never (got 'sometimes')"),
    ("fail-on", "1", "must be one of error, warning, note, never (got 1)"),
    ("min-severity", '"never"', "must be one of error, warning, note (got 'never')"),
    ("include", '"*.md"', "must be a list of non-empty strings (got '*.md')"),
    ("include", '["a.md", 3]', "must be a list of non-empty strings (got ['a.md', 3])"),
    ("exclude", '[""]', "must be a list of non-empty strings (got [''])"),
    ("manifest", "[1]", "must be a non-empty string (got [1])"),
    ("manifest", '""', "must be a non-empty string (got '')"),
    ("date-order", '"dmy"', "must be one of day-first, month-first (got 'dmy')"),
    ("facts", "true", "must be a non-empty string (got true)"),
    ("lexicon", '"a.toml"', "must be a list of non-empty strings (got 'a.toml')"),
    ("baseline", "{ path = 'x' }", "must be a non-empty string (got {path = 'x'})"),
    ("cache-dir", "3.5", "must be a non-empty string (got 3.5)"),
    ("cache", '"yes"', "must be true or false (got 'yes')"),
    ("cache", "2024-01-01", "must be true or false (got 2024-01-01)"),
    ("paths", "[[1]]", "must be a list of non-empty strings (got [[1]])"),
]


def test_the_bad_value_table_covers_every_key() -> None:
    assert {case[0] for case in BAD_VALUES} == set(known_keys())


@pytest.mark.parametrize(("key", "value", "expected"), BAD_VALUES)
def test_bad_values_in_checker_toml(repo: Path, key: str, value: str, expected: str) -> None:
    path = write(repo / "checker.toml", f'# settings\nfail-on = "error"\n{key} = {value}\n')
    if key == "fail-on":  # a key may appear only once
        path.write_text(f"# settings\n\n{key} = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"checker.toml:3: '{key}' {expected}"


@pytest.mark.parametrize(("key", "value", "expected"), BAD_VALUES[:3])
def test_bad_values_in_pyproject(repo: Path, key: str, value: str, expected: str) -> None:
    path = write(repo / "pyproject.toml", PYPROJECT_HEAD + f"{key} = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"pyproject.toml:5: '{key}' {expected}"


def test_the_first_problem_in_the_file_is_reported(repo: Path) -> None:
    path = write(repo / "checker.toml", 'cache = "no"\nfail-on = "x"\n')
    with pytest.raises(ConfigError, match=r"^checker\.toml:1: 'cache'"):
        load_config(path)


def test_a_file_outside_the_working_directory_is_named_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "conf" / "checker.toml", "cache = 1\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match="^" + str(path).replace("\\", "\\\\") + ":1: 'cache'"):
        load_config(path)


KNOWN = (
    "known: baseline, cache, cache-dir, date-order, exclude, facts, fail-on, include, "
    "lexicon, manifest, min-severity, paths"
)


def test_unknown_key_in_checker_toml(repo: Path) -> None:
    path = write(repo / "checker.toml", '# settings\ncache = true\nfial-on = "error"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"checker.toml:3: unknown key 'fial-on'; did you mean 'fail-on'? ({KNOWN})"
    )


def test_unknown_key_in_pyproject(repo: Path) -> None:
    path = write(repo / "pyproject.toml", PYPROJECT_HEAD + "cache = true\nfail_on = 'note'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        "pyproject.toml:6: unknown key 'fail_on' in [tool.checker]; "
        f"did you mean 'fail-on'? ({KNOWN})"
    )


def test_unknown_sub_table_points_at_its_header(repo: Path) -> None:
    path = write(repo / "pyproject.toml", PYPROJECT_HEAD + "cache = true\n\n[tool.checker.x]\n")
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:7: unknown key 'x' in"):
        load_config(path)


def test_dotted_keys_are_located(repo: Path) -> None:
    path = write(repo / "pyproject.toml", '[tool]\nruff.line-length = 1\nchecker.colour = "x"\n')
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:3: unknown key 'colour'"):
        load_config(path)


def test_unknown_keys_beat_bad_values(repo: Path) -> None:
    path = write(repo / "checker.toml", 'cache = "x"\nzzz = 1\n')
    with pytest.raises(ConfigError, match=r"^checker\.toml:2: unknown key 'zzz' \(known: "):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("cache = true\nfail-on = \n", 2, "Invalid value"),
        ('cache = true\n\nfacts = "x\n', 3, "Illegal character"),
        ("cache = true\ncache = false\n", 2, "Cannot overwrite a value"),
    ],
    ids=["no-value", "unterminated", "duplicate"],
)
def test_toml_syntax_error_names_the_line(repo: Path, text: str, line: int, reason: str) -> None:
    path = write(repo / "checker.toml", text)
    with pytest.raises(ConfigError, match=rf"^checker\.toml:{line}: not valid TOML \({reason}"):
        load_config(path)


def test_config_error_is_a_checker_error() -> None:
    assert issubclass(ConfigError, CheckerError)


# --- the cache key --------------------------------------------------------------------------


@pytest.fixture
def hashed(tmp_path: Path) -> Config:
    """Return a configuration naming a lexicon, facts and manifest file that exist."""
    write(tmp_path / "lex.toml", "[units]\n")
    write(tmp_path / "facts.toml", "[[fact]]\n")
    write(tmp_path / "dates.toml", "[dates]\n")
    return Config(
        source=tmp_path / "checker.toml",
        lexicon=(tmp_path / "lex.toml",),
        facts=tmp_path / "facts.toml",
        manifest=tmp_path / "dates.toml",
    )


def test_config_hash_is_stable(hashed: Config) -> None:
    assert config_hash(hashed) == config_hash(dataclasses.replace(hashed))
    assert len(config_hash(hashed)) == 64
    assert config_hash(Config()) == config_hash(Config())


def test_config_hash_follows_date_order(hashed: Config) -> None:
    hashes = {
        config_hash(dataclasses.replace(hashed, date_order=order))
        for order in (None, "day-first", "month-first")
    }
    assert len(hashes) == 3


@pytest.mark.parametrize("name", ["lex.toml", "facts.toml", "dates.toml"])
def test_config_hash_follows_file_contents(hashed: Config, tmp_path: Path, name: str) -> None:
    before = config_hash(hashed)
    with (tmp_path / name).open("a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    assert config_hash(hashed) != before


def test_config_hash_follows_which_files_are_named(hashed: Config) -> None:
    before = config_hash(hashed)
    assert config_hash(dataclasses.replace(hashed, facts=None)) != before
    assert config_hash(dataclasses.replace(hashed, lexicon=hashed.lexicon * 2)) != before


def test_config_hash_ignores_file_locations(hashed: Config, tmp_path: Path) -> None:
    moved = write(tmp_path / "elsewhere" / "lex.toml", "[units]\n")
    assert config_hash(dataclasses.replace(hashed, lexicon=(moved,))) == config_hash(hashed)


def test_config_hash_ignores_judgement_and_output_settings(hashed: Config, tmp_path: Path) -> None:
    changed = dataclasses.replace(
        hashed,
        fail_on="never",
        min_severity="error",
        baseline=tmp_path / "baseline.json",
        cache=False,
        cache_dir=tmp_path / "other-cache",
        include=("**/*.md",),
        exclude=("drafts",),
        paths=(tmp_path / "docs",),
    )
    assert config_hash(changed) == config_hash(hashed)


def test_config_hash_of_an_unreadable_file_is_a_config_error(
    hashed: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "facts.toml").unlink()
    with pytest.raises(
        ConfigError, match=r"^checker\.toml: cannot read the 'facts' file facts\.toml"
    ):
        config_hash(hashed)


# --- include / exclude ----------------------------------------------------------------------

MATCH_CASES = [
    # include, exclude, document (relative to the config's directory), expected
    ((), (), "anything/at/all.txt", True),
    (("**/*.md",), (), "a.md", True),
    (("**/*.md",), (), "x/y/a.md", True),
    (("**/*.md",), (), "x/a.txt", False),
    (("*.md",), (), "a.md", True),
    (("*.md",), (), "x/a.md", False),
    (("docs/**",), (), "docs/x/b.md", True),
    (("docs/**",), (), "docsx/a.md", False),
    (("docs/**/*.md",), (), "docs/a.md", True),
    (("docs/**/*.md",), (), "docs/x/y/a.md", True),
    (("docs/**/*.md",), (), "docs/x/a.txt", False),
    (("docs/**/*.md",), (), "other/docs/a.md", False),
    (("**/notes/*.txt",), (), "a/b/notes/n.txt", True),
    (("**/notes/*.txt",), (), "notes/n.txt", True),
    (("docs",), (), "docs/deep/a.md", True),
    (("doc?.md",), (), "doc1.md", True),
    (("doc?.md",), (), "doc12.md", False),
    (("a*",), (), "ab/c.md", True),
    (("[!_]*.md",), (), "_x.md", False),
    (("[!_]*.md",), (), "x.md", True),
    (("a[0-9].txt",), (), "a5.txt", True),
    (("a[0-9].txt",), (), "ab.txt", False),
    (("a**b.md",), (), "axxb.md", True),
    (("a**b.md",), (), "ax/xb.md", False),
    (("./docs/*.md",), (), "docs/a.md", True),
    ((), ("drafts",), "drafts/a/b.md", False),
    ((), ("drafts",), "a.md", True),
    ((), ("drafts/",), "drafts/a.md", False),
    (("**/*.md",), ("**/draft-*",), "x/draft-1.md", False),
    (("**/*.md",), ("**/draft-*",), "x/final.md", True),
    (("**",), ("**/.*",), ".hidden/a.md", False),
    (("../shared/**",), (), "../shared/x.md", True),
    (("**/*.md",), (), "../outside.md", False),
    ((), ("**",), "../outside.md", True),
]


@pytest.mark.parametrize(("include", "exclude", "document", "expected"), MATCH_CASES)
def test_matches(
    tmp_path: Path,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    document: str,
    expected: bool,
) -> None:
    project = tmp_path / "project"
    config = Config(source=project / "checker.toml", include=include, exclude=exclude)
    assert matches(config, project / document) is expected


def test_matches_reads_patterns_literally_in_the_root(tmp_path: Path) -> None:
    project = tmp_path / "we[i]rd*"
    config = Config(source=project / "checker.toml", include=("*.md",))
    assert matches(config, project / "a.md")
    assert not matches(config, tmp_path / "weirdX" / "a.md")  # what an unescaped root matches


def test_matches_takes_absolute_patterns(tmp_path: Path) -> None:
    pattern = f"{tmp_path.as_posix()}/data/**"
    config = Config(source=tmp_path / "project" / "checker.toml", include=(pattern,))
    assert matches(config, tmp_path / "data" / "a.md")
    assert not matches(config, tmp_path / "project" / "a.md")


def test_matches_resolves_relative_documents_from_the_cwd(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write(repo / "checker.toml", 'exclude = ["docs/drafts/**"]\n'))
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    assert not matches(config, Path("drafts/a.md"))
    assert matches(config, Path("final.md"))


def test_a_bare_config_reads_patterns_from_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = Config(include=("docs/*.md",))
    assert matches(config, tmp_path / "docs" / "a.md")
    assert not matches(config, tmp_path / "a.md")
