"""Publication dates from `--date` and from manifest files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.errors import UsageError
from checker.manifest import load_manifest, lookup, parse_date_option, unused_keys
from checker.model import DateRange, DateSource

D = date

OPTION_CASES = [
    ("day", "seeds/003.txt=2024-08-26", "seeds/003.txt", D(2024, 8, 26), D(2024, 8, 26)),
    ("stem", "004=2024-02-02", "004", D(2024, 2, 2), D(2024, 2, 2)),
    ("month", "a.md=2024-02", "a.md", D(2024, 2, 1), D(2024, 2, 29)),
    ("year", "a.md=2023", "a.md", D(2023, 1, 1), D(2023, 12, 31)),
    ("spaces", " a.md = 2024-8-7 ", "a.md", D(2024, 8, 7), D(2024, 8, 7)),
    ("equals-in-name", "a=b.txt=2024-01-01", "a=b.txt", D(2024, 1, 1), D(2024, 1, 1)),
]


@pytest.mark.parametrize(
    ("value", "key", "earliest", "latest"),
    [c[1:] for c in OPTION_CASES],
    ids=[c[0] for c in OPTION_CASES],
)
def test_parse_date_option(value: str, key: str, earliest: date, latest: date) -> None:
    assert parse_date_option(value) == (key, DateRange(earliest, latest, DateSource.CLI))


@pytest.mark.parametrize(
    "value",
    ["2024-08-26", "a.txt", "=2024-01-01", "a.txt=", "a.txt=26/08/2024", "a.txt=2024-02-30"],
    ids=["no-file", "no-date", "empty-file", "empty-date", "wrong-form", "impossible"],
)
def test_parse_date_option_rejects(value: str) -> None:
    with pytest.raises(UsageError, match="FILE=YYYY-MM-DD"):
        parse_date_option(value)


MANIFEST_CASES = [
    ("toml", "dates.toml", '[dates]\n"003.txt" = "2024-08-26"\n004 = 2024-02-02\n'),
    ("json", "dates.json", '{"003.txt": "2024-08-26", "004": "2024-02-02"}'),
    ("json-dates-key", "dates.json", '{"dates": {"003.txt": "2024-08-26", "004": "2024-02-02"}}'),
    ("csv", "dates.csv", "file,date\n003.txt,2024-08-26\n\n# note\n004, 2024-02-02\n"),
    ("csv-no-header", "dates.csv", "003.txt,2024-08-26\n004,2024-02-02\n"),
    ("sniff-toml", "dates", '[dates]\n"003.txt" = "2024-08-26"\n"004" = "2024-02-02"\n'),
    ("sniff-json", "dates", '{"003.txt": "2024-08-26", "004": "2024-02-02"}'),
]


@pytest.mark.parametrize(
    ("name", "content"), [c[1:] for c in MANIFEST_CASES], ids=[c[0] for c in MANIFEST_CASES]
)
def test_load_manifest(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_manifest(path) == {
        "003.txt": DateRange(D(2024, 8, 26), D(2024, 8, 26), DateSource.MANIFEST),
        "004": DateRange(D(2024, 2, 2), D(2024, 2, 2), DateSource.MANIFEST),
    }


BAD_MANIFESTS = [
    ("toml-syntax", "m.toml", "[dates\n", r"m\.toml: not valid TOML"),
    ("toml-no-table", "m.toml", 'a = "2024-01-01"\n', r"m\.toml: expected a \[dates\] table"),
    (
        "toml-bad-date",
        "m.toml",
        '[dates]\nok = "2024-01-01"\nbad = "Aug 7"\n',
        r"m\.toml:3: .*'bad'",
    ),
    ("json-syntax", "m.json", '{"a": \n', r"m\.json:2: not valid JSON"),
    ("json-not-object", "m.json", '["a"]', r"m\.json: expected a JSON object"),
    ("json-bad-date", "m.json", '{\n"a": "2024-01-01",\n"b": 5\n}', r"m\.json:3: .*'b'"),
    ("csv-columns", "m.csv", "a,2024-01-01\nb\n", r"m\.csv:2: expected a row file,YYYY-MM-DD"),
    ("csv-bad-date", "m.csv", "a,2024-01-01\nb,yesterday\n", r"m\.csv:2: .*YYYY-MM-DD"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [c[1:] for c in BAD_MANIFESTS],
    ids=[c[0] for c in BAD_MANIFESTS],
)
def test_bad_manifest_names_file_and_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_manifest(path)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read manifest"):
        load_manifest(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("key", "display", "found"),
    [
        ("seeds/003.txt", "seeds/003.txt", True),
        ("003.txt", "seeds/003.txt", True),
        ("003", "seeds/003.txt", True),
        ("004", "seeds/003.txt", False),
        ("other/003.txt", "seeds/003.txt", False),
    ],
    ids=["display", "name", "stem", "other-stem", "other-folder"],
)
def test_lookup(key: str, display: str, found: bool) -> None:
    day = DateRange(D(2024, 1, 1), D(2024, 1, 1), DateSource.MANIFEST)
    assert (lookup({key: day}, display) == day) is found


def test_lookup_prefers_most_specific_key() -> None:
    by_stem = DateRange(D(2024, 1, 1), D(2024, 1, 1), DateSource.MANIFEST)
    by_path = DateRange(D(2024, 2, 2), D(2024, 2, 2), DateSource.MANIFEST)
    assert lookup({"003": by_stem, "seeds/003.txt": by_path}, "seeds/003.txt") == by_path


def test_unused_keys() -> None:
    day = DateRange(D(2024, 1, 1), D(2024, 1, 1), DateSource.MANIFEST)
    dates = {"003": day, "zzz.txt": day, "seeds/004.txt": day}
    assert unused_keys(dates, ["seeds/003.txt", "seeds/004.txt"]) == ["zzz.txt"]
