"""Project configuration: `checker.toml`, or `[tool.checker]` in `pyproject.toml`.

Discovery starts at a directory (default: the working directory) and walks upward. In
each directory a `checker.toml` wins over a `pyproject.toml`; a `pyproject.toml` counts
only when it has a `[tool.checker]` table. The walk stops after the repository root (a
directory holding `.git`) or the filesystem root. Keys are kebab-case and their set,
types and allowed values are those of `schemas/config.schema.json`. Relative paths and
glob patterns are read from the directory of the file that holds them.
"""

from __future__ import annotations

import difflib
import glob
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from checker.errors import UsageError

CHECKER_TOML = "checker.toml"
PYPROJECT_TOML = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "checker")
DEFAULT_CACHE_DIR = ".checker-cache"

FailOnName = Literal["error", "warning", "note", "never"]
SeverityName = Literal["error", "warning", "note"]
DateOrder = Literal["day-first", "month-first"]

# Keys whose values are paths (or lists of paths), resolved against the config's directory;
# the schema says only "a string", so which strings name files is said here.
_PATH_KEYS = frozenset({"manifest", "facts", "baseline", "cache-dir"})
_PATH_LIST_KEYS = frozenset({"lexicon", "paths"})
# Bump when the meaning of the hashed settings changes, so old cache entries are not reused.
_HASH_VERSION = "checker-config/1"


class ConfigError(UsageError):
    """A configuration file that cannot be read or breaks the schema; the message says where."""


@dataclass(frozen=True, slots=True)
class Config:
    """The project settings; every field has the value `check` uses when nothing is configured.

    `load_config` returns absolute paths (`cache_dir` included); a bare `Config()` keeps
    `cache_dir` relative to the working directory.
    """

    source: Path | None = None
    fail_on: FailOnName = "error"
    min_severity: SeverityName = "note"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    manifest: Path | None = None
    date_order: DateOrder | None = None
    facts: Path | None = None
    lexicon: tuple[Path, ...] = ()
    baseline: Path | None = None
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    cache: bool = True
    paths: tuple[Path, ...] = ()

    @property
    def day_first(self) -> bool | None:
        """Return `date-order` as the engine's `day_first` flag (None: only unambiguous dates)."""
        return None if self.date_order is None else self.date_order == "day-first"

    @property
    def root(self) -> Path:
        """Return the directory relative patterns are read from: the config's, else the cwd."""
        return self.source.parent if self.source is not None else Path.cwd()


# --- discovery ------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """Return the nearest configuration file at or above `start`, or None.

    Raises ConfigError when a `pyproject.toml` on the way cannot be parsed and may hold
    the table: silently skipping it could ignore the settings the user meant.
    """
    here = _absolute(start)
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CHECKER_TOML
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT_TOML
        if pyproject.is_file() and _has_checker_table(pyproject):
            return pyproject
        if (directory / ".git").exists():  # a file in worktrees and submodules
            return None
    return None


def _has_checker_table(pyproject: Path) -> bool:
    """Tell whether a pyproject.toml has `[tool.checker]`; skip parsing when it cannot."""
    raw = _read(pyproject)
    if "checker" not in raw:
        return False
    tool = _parse(pyproject, raw).get(PYPROJECT_TABLE[0])
    return isinstance(tool, dict) and PYPROJECT_TABLE[1] in tool


# --- loading --------------------------------------------------------------------------------


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load `path` if given, else the file `find_config(start or cwd)` finds, else defaults.

    An explicit `pyproject.toml` must have `[tool.checker]`; any other explicit file is
    read like `checker.toml`, with the keys at the top level.
    """
    if path is None:
        path = find_config(start if start is not None else Path.cwd())
        if path is None:
            return Config(cache_dir=Path.cwd() / DEFAULT_CACHE_DIR)
    source = _absolute(path)
    if not source.is_file():
        raise ConfigError(f"{_shown(source)}: configuration file not found")
    raw = _read(source)
    data = _parse(source, raw)
    table_path = PYPROJECT_TABLE if source.name == PYPROJECT_TOML else ()
    table = _table(source, raw, data, table_path)
    _validate(source, raw, table, table_path)
    return _build(source, table)


def _read(path: Path) -> str:
    """Return a file's text, as ConfigError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"{_shown(path)}: cannot read ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{_shown(path)}: not UTF-8 text ({error.reason})") from error


def _parse(path: Path, raw: str) -> dict[str, Any]:
    """Parse TOML; a syntax error names the file and line tomllib reports."""
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
        if found:
            line, message = int(found.group(1)), message[: found.start()]
        else:  # "(at end of document)"
            line = max(len(raw.splitlines()), 1)
            message = re.sub(r"\s*\(at end of document\)$", "", message)
        raise ConfigError(f"{_shown(path)}:{line}: not valid TOML ({message})") from error


def _table(path: Path, raw: str, data: dict[str, Any], table_path: Sequence[str]) -> dict[str, Any]:
    """Return the settings table: the whole document, or `[tool.checker]` of a pyproject."""
    table: Any = data
    for part in table_path:
        table = table.get(part) if isinstance(table, dict) else None
    if table_path and table is None:
        raise ConfigError(f"{_shown(path)}: no [{'.'.join(table_path)}] table")
    if not isinstance(table, dict):
        line = _line_of(raw, table_path)
        where = f"{_shown(path)}:{line}" if line else _shown(path)
        raise ConfigError(f"{where}: [{'.'.join(table_path)}] must be a table")
    return table


def _build(source: Path, table: dict[str, Any]) -> Config:
    """Turn a validated table into a Config, resolving paths against the file's directory."""
    base = source.parent
    fields: dict[str, Any] = {"cache_dir": base / DEFAULT_CACHE_DIR}
    for key, value in table.items():
        if key in _PATH_KEYS:
            value = _resolve(base, value)
        elif key in _PATH_LIST_KEYS:
            value = tuple(_resolve(base, item) for item in value)
        elif isinstance(value, list):
            value = tuple(value)
        fields[key.replace("-", "_")] = value
    return Config(source=source, **fields)


def _resolve(base: Path, value: str) -> Path:
    """Return a configured path as an absolute one, read from `base` when relative."""
    return _absolute(base / Path(value).expanduser())


def _absolute(path: Path) -> Path:
    """Return an absolute, lexically normalised path (symbolic links are kept as written)."""
    return Path(os.path.abspath(path))


def _shown(path: Path) -> str:
    """Return a path as messages show it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- validation -----------------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    """Return `schemas/config.schema.json`, the one statement of the keys and their forms."""
    text = resources.files("checker").joinpath("schemas", "config.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def known_keys() -> tuple[str, ...]:
    """Return the configuration keys the schema allows, sorted."""
    return tuple(sorted(_schema()["properties"]))


def _validate(path: Path, raw: str, table: dict[str, Any], table_path: Sequence[str]) -> None:
    """Raise ConfigError for the first problem in file order: an unknown key or a bad value."""
    problems = [_unknown_key(raw, table_path, key) for key in table if key not in known_keys()]
    if not problems:
        # Imported here: jsonschema costs a tenth of a second, and most runs have no file.
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(_schema())
        keys = sorted({str(error.path[0]) for error in validator.iter_errors(table) if error.path})
        problems = [_bad_value(raw, table_path, key, table[key]) for key in keys]
    if problems:
        # Unlocated problems go last: one with a line is easier to act on.
        line, message = min(problems, key=lambda p: (p[0] is None, p[0] or 0, p[1]))
        where = f"{_shown(path)}:{line}" if line else _shown(path)
        raise ConfigError(f"{where}: {message}")


def _unknown_key(raw: str, table_path: Sequence[str], key: str) -> tuple[int | None, str]:
    """Describe a key the schema does not know, with the closest known key when one is near."""
    where = f" in [{'.'.join(table_path)}]" if table_path else ""
    near = difflib.get_close_matches(key.replace("_", "-"), known_keys(), n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    message = f"unknown key {key!r}{where}{hint} (known: {', '.join(known_keys())})"
    return _line_of(raw, (*table_path, key)), message


def _bad_value(
    raw: str, table_path: Sequence[str], key: str, value: object
) -> tuple[int | None, str]:
    """Describe a value that breaks its key's schema, with the form the schema expects."""
    message = f"{key!r} must be {_expected(_schema()['properties'][key])} (got {_toml(value)})"
    return _line_of(raw, (*table_path, key)), message


def _expected(spec: dict[str, Any]) -> str:
    """Return the form a property's schema asks for, in words."""
    if "enum" in spec:
        return "one of " + ", ".join(str(choice) for choice in spec["enum"])
    kind = spec.get("type")
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        return "a non-empty string" if spec.get("minLength") else "a string"
    if kind == "array":
        item = _expected(spec.get("items", {}))
        return "a list of " + re.sub(r"^an? (.*)", r"\1s", item)
    return f"of type {kind}"


def _toml(value: object) -> str:
    """Return a value roughly as it was written in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"
    return str(value)


_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"\s*({_DOTTED})\s*=")


def _line_of(raw: str, key_path: Sequence[str]) -> int | None:
    """Return the first line that defines `key_path` (a `[table]` header or a dotted key).

    A line-based reading, not a parser: good enough to point a message at the right
    place, and a key inside a multi-line string could mislead it.
    """
    target = list(key_path)
    if not target:
        return None
    table: list[str] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _key_parts(header.group(1))
            full = table
        else:
            assign = _ASSIGN.match(line)
            if assign is None:
                continue
            full = table + _key_parts(assign.group(1))
        if full[: len(target)] == target:
            return number
    return _line_of(raw, target[:-1]) if len(target) > 1 else None


def _key_parts(dotted: str) -> list[str]:
    """Split a TOML dotted key into its parts, without quotes."""
    return [
        part[1:-1] if part[:1] in "\"'" else part for part in re.findall(_BARE_OR_QUOTED, dotted)
    ]


# --- cache key ------------------------------------------------------------------------------


def config_hash(config: Config) -> str:
    """Return a stable hash of every setting that changes what is extracted or found.

    That is the date order and the contents (not the paths) of the lexicon extensions,
    the facts file and the manifest. Settings that only change what is shown or how it is
    judged (fail-on, min-severity, baseline, cache) are left out, and so are include,
    exclude and paths: the cache keys documents by their own contents.
    """
    settings = {
        "version": _HASH_VERSION,
        "date-order": config.date_order,
        "lexicon": [_digest(config, "lexicon", path) for path in config.lexicon],
        "facts": _digest(config, "facts", config.facts),
        "manifest": _digest(config, "manifest", config.manifest),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode("utf-8")).hexdigest()


def _digest(config: Config, key: str, path: Path | None) -> str | None:
    """Return the SHA-256 of a configured file's bytes, as ConfigError when unreadable."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        origin = f"{_shown(config.source)}: " if config.source else ""
        reason = error.strerror or str(error)
        raise ConfigError(
            f"{origin}cannot read the {key!r} file {_shown(path)} ({reason})"
        ) from error


# --- include / exclude ----------------------------------------------------------------------


def matches(config: Config, path: Path) -> bool:
    """Tell whether a document passes `include` (when given) and is not `exclude`d.

    Patterns are read from `config.root`: `*`, `?` and `[...]` stay within one path
    segment and `**` spans any number of them. A pattern that matches a directory
    matches everything below it, so `exclude = ["drafts"]` skips `drafts/a/b.md`.
    """
    target = _absolute(path)
    candidates = [target.as_posix()] + [parent.as_posix() for parent in target.parents]
    root = _absolute(config.root)
    if config.include and not _any_match(root, config.include, candidates):
        return False
    return not _any_match(root, config.exclude, candidates)


def _any_match(root: Path, patterns: Iterable[str], candidates: Sequence[str]) -> bool:
    """Tell whether any pattern, read from `root`, matches any candidate path."""
    for pattern in patterns:
        regex = _glob_regex(_anchored(root, pattern))
        if any(regex.fullmatch(candidate) for candidate in candidates):
            return True
    return False


def _anchored(root: Path, pattern: str) -> str:
    """Return a pattern as an absolute POSIX pattern, `root` escaped so it matches literally."""
    pattern = pattern.replace("\\", "/") if os.sep == "\\" else pattern
    if Path(pattern).is_absolute():
        joined = pattern
    else:
        joined = f"{glob.escape(root.as_posix()).rstrip('/')}/{pattern}"
    # Lexical normalisation lets "../shared/**" and "./docs" work; "*" survives it.
    return os.path.normpath(joined).replace(os.sep, "/")


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a `/`-separated glob into a regex over POSIX paths."""
    segments = pattern.split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            # "a/**/b" also matches "a/b"; a final "**" matches everything below.
            out.append(".*" if last else "(?:[^/]*/)*")
        else:
            out.append(_segment_regex(segment) + ("" if last else "/"))
    return re.compile("".join(out))


def _segment_regex(segment: str) -> str:
    """Translate one path segment of a glob; `**` inside a segment acts like `*`."""
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        index += 1
        if char == "*":
            if not out or out[-1] != "[^/]*":  # "**" in a segment: one star, no backtracking
                out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = _class_end(segment, index)
            if end is None:
                out.append(re.escape(char))
            else:
                out.append(_class_regex(segment[index:end]))
                index = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _class_end(segment: str, start: int) -> int | None:
    """Return the index of the `]` closing a class that opens before `start`, or None."""
    index = start
    if index < len(segment) and segment[index] == "!":
        index += 1
    if index < len(segment) and segment[index] == "]":  # "[]]" holds a literal "]"
        index += 1
    end = segment.find("]", index)
    return end if end >= 0 else None


def _class_regex(body: str) -> str:
    """Translate the inside of `[...]`; `!` negates, `-` keeps making ranges."""
    negate = body.startswith("!")
    if negate:
        body = body[1:]
    inner = "".join(char if char == "-" else re.escape(char) for char in body)
    # A negated class must still not cross a "/", or "*" would lose its one-segment rule.
    return f"[^/{inner}]" if negate else f"[{inner}]"
