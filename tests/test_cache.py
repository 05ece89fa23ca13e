"""The cache's codec (values to JSON bytes and back) and its SQLite store."""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import check
from checker.extract.claims import Extraction
from checker.gate.cache import DB_NAME, Cache, CacheUnavailable, key
from checker.gate.codec import (
    CODEC_VERSION,
    CodecError,
    decode_analysis,
    decode_extraction,
    encode_analysis,
    encode_extraction,
)
from checker.model import (
    Claim,
    DateRange,
    DateSource,
    Diagnostic,
    Fact,
    Finding,
    FindingKind,
    Interval,
    Kind,
    Report,
    Severity,
    Span,
    Subject,
    TimeRef,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# --- strategies -------------------------------------------------------------------------

texts = st.text(max_size=12)
maybe_texts = st.none() | texts
# Ints as well as floats: a bound may be an int at run time, and must come back an int.
numbers = st.floats(allow_nan=False) | st.integers(-(10**15), 10**15)
date_ranges = st.builds(
    lambda a, b, source: DateRange(min(a, b), max(a, b), source),
    st.dates(),
    st.dates(),
    st.none() | st.sampled_from(DateSource),
)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start, end = sorted(draw(st.lists(st.integers(0, 10**6), min_size=2, max_size=2)))
    return Span(draw(texts), start, end)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    values: st.SearchStrategy[Any] = draw(st.sampled_from([numbers, st.dates()]))
    low, high = draw(st.none() | values), draw(st.none() | values)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Interval(
        low,
        high,
        unit=draw(maybe_texts),
        nominal=draw(st.none() | values),
        low_open=draw(st.booleans()),
        high_open=draw(st.booleans()),
        slack=draw(numbers),
    )


subjects = st.builds(
    Subject,
    text=texts,
    thing=maybe_texts,
    role=maybe_texts,
    place=maybe_texts,
    event=maybe_texts,
    modifiers=st.lists(texts, max_size=3).map(tuple),
    event_day=st.none() | date_ranges,
    event_weekday=st.none() | st.integers(0, 6),
    keywords=st.lists(texts, max_size=3).map(tuple),
    part=st.booleans(),
)
time_refs = st.builds(
    TimeRef,
    low=numbers,
    high=numbers,
    unit=texts,
    anchor=st.none() | date_ranges,
    from_publication=st.booleans(),
    weekday=st.none() | st.integers(0, 6),
)
claims = st.builds(
    Claim,
    id=texts,
    span=spans(),
    text=texts,
    kind=st.sampled_from(Kind),
    value=intervals(),
    subject=subjects,
    sentence=spans(),
    attribution=maybe_texts,
    as_of=st.none() | date_ranges,
    time_ref=st.none() | time_refs,
)
diagnostics = st.builds(
    Diagnostic,
    path=maybe_texts,
    severity=st.sampled_from(Severity),
    code=texts,
    message=texts,
    line=st.none() | st.integers(1, 10**6),
)
extractions = st.builds(
    Extraction,
    claims=st.lists(claims, max_size=4).map(tuple),
    diagnostics=st.lists(diagnostics, max_size=2).map(tuple),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


def _same(decoded: object, original: object) -> None:
    """Assert equality and equal reprs: `==` alone takes 20.0 for 20 and 0.0 for -0.0."""
    assert decoded == original
    assert repr(decoded) == repr(original)


# --- codec: round trips -----------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(extractions)
def test_an_extraction_round_trips(extraction: Extraction) -> None:
    _same(decode_extraction(encode_extraction(extraction)), extraction)


@given(intervals())
def test_an_interval_round_trips(interval: Interval) -> None:
    claim = Claim("c", Span("d", 0, 1), "x", Kind.COUNT, interval, Subject("s"), Span("d", 0, 1))
    _same(decode_extraction(encode_extraction(Extraction((claim,), ()))).claims[0].value, interval)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims, max_size=5, unique_by=lambda c: c.id), st.data())
def test_facts_and_findings_round_trip_with_their_claims_looked_up(
    pool: list[Claim], data: st.DataObject
) -> None:
    some_claims = st.lists(st.sampled_from(pool), max_size=3).map(tuple) if pool else st.just(())
    fact = st.builds(Fact, texts, texts, texts, some_claims, texts, st.integers(0, 99))
    facts = data.draw(st.lists(fact, max_size=3))
    findings = data.draw(
        st.lists(
            st.builds(
                Finding,
                texts,
                st.sampled_from(Severity),
                st.sampled_from(FindingKind),
                texts,
                texts,
                some_claims,
                texts,
                texts,
                numbers,
            ),
            max_size=3,
        )
    )
    by_id = {c.id: c for c in pool}
    back = decode_analysis(encode_analysis(facts, findings), by_id)
    _same(back, (tuple(facts), tuple(findings)))


def test_infinite_bounds_and_slack_round_trip() -> None:
    interval = Interval(-math.inf, math.inf, "day", math.inf, True, True, math.inf)
    claim = Claim("c", Span("d", 0, 1), "x", Kind.COUNT, interval, Subject("s"), Span("d", 0, 1))
    data = encode_extraction(Extraction((claim,), ()))
    assert b"Infinity" not in data  # not JSON: other readers would reject the payload
    _same(decode_extraction(data), Extraction((claim,), ()))


def test_a_lone_surrogate_in_text_round_trips() -> None:
    diagnostic = Diagnostic("a\udcff.txt", Severity.WARNING, "read.decode", "bad \ud800 byte")
    _same(
        decode_extraction(encode_extraction(Extraction((), (diagnostic,)))),
        Extraction((), (diagnostic,)),
    )


@cache
def _examples() -> Report:
    return check([EXAMPLES])


def test_the_examples_claims_round_trip_document_by_document() -> None:
    report = _examples()
    assert report.claims
    for doc in report.documents:
        extraction = Extraction(
            tuple(c for c in report.claims if c.span.doc_id == doc.id),
            tuple(d for d in report.diagnostics if d.path == doc.path),
        )
        _same(decode_extraction(encode_extraction(extraction)), extraction)


def test_the_examples_facts_and_findings_round_trip() -> None:
    report = _examples()
    assert report.facts and report.findings
    by_id = {c.id: c for c in report.claims}
    assert len(by_id) == len(report.claims)
    facts, findings = decode_analysis(encode_analysis(report.facts, report.findings), by_id)
    _same((facts, findings), (report.facts, report.findings))
    # The claims are the caller's own objects, not copies.
    assert all(c is by_id[c.id] for f in facts for c in f.claims)


# --- codec: damage ----------------------------------------------------------------------


def _sample_payload() -> bytes:
    claim = Claim(
        "d#1",
        Span("d", 3, 9),
        "7 days",
        Kind.DURATION,
        Interval(7, 8.0, "day", 7, False, True, 0.5),
        Subject("t", "x", "r", "p", "e", ("m",), DateRange(date(2020, 1, 2), date(2020, 1, 2))),
        Span("d", 0, 20),
        "agency",
        DateRange(date(2020, 1, 1), date(2020, 1, 3), DateSource.TEXT),
        TimeRef(-1, -1, "day", DateRange(date(2020, 1, 9), date(2020, 1, 9)), True, 2),
    )
    diagnostic = Diagnostic("d.txt", Severity.NOTE, "claim.unread", "m", 3)
    return encode_extraction(Extraction((claim,), (diagnostic,)))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00",
        b"not json",
        b"{}",
        b"[]",
        b'["other-version", [[], []]]',
        json.dumps([CODEC_VERSION, {"claims": []}]).encode(),
        json.dumps([CODEC_VERSION, [[], []], "extra"]).encode(),
        b"[" * 100_000,
    ],
    ids=lambda d: repr(d[:24]),
)
def test_a_payload_that_is_not_ours_raises_codec_error(data: bytes) -> None:
    with pytest.raises(CodecError):
        decode_extraction(data)
    with pytest.raises(CodecError):
        decode_analysis(data, {})


def _positions(value: Any) -> Iterator[tuple[Any, Any]]:
    """Yield (container, index) for every value nested in JSON data."""
    items = enumerate(value) if isinstance(value, list) else value.items()
    for index, item in items:
        yield value, index
        if isinstance(item, list | dict):
            yield from _positions(item)


@settings(max_examples=300)
@given(st.data())
def test_a_damaged_payload_decodes_or_raises_codec_error_only(data: st.DataObject) -> None:
    payload = json.loads(_sample_payload())
    container, index = data.draw(st.sampled_from(list(_positions(payload[1]))))
    container[index] = data.draw(json_values)
    try:
        result = decode_extraction(json.dumps(payload).encode())
    except CodecError:
        return
    assert isinstance(result, Extraction)


@given(st.integers(0, 2000))
def test_a_truncated_payload_raises_codec_error(cut: int) -> None:
    data = _sample_payload()
    with pytest.raises(CodecError):
        decode_extraction(data[: cut % len(data)])


def test_a_wrongly_typed_field_raises_codec_error() -> None:
    payload = json.loads(_sample_payload())
    payload[1][0][0][2] = 42  # the claim's text
    with pytest.raises(CodecError, match="malformed Claim"):
        decode_extraction(json.dumps(payload).encode())


def test_an_unknown_claim_id_raises_codec_error() -> None:
    claim = decode_extraction(_sample_payload()).claims[0]
    data = encode_analysis([Fact("f1", "k", "s", (claim,))], [])
    with pytest.raises(CodecError, match="unknown claim"):
        decode_analysis(data, {})


# --- store ------------------------------------------------------------------------------


def test_values_round_trip_and_missing_keys_are_left_out(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "cache") as store:
        assert store.put_many("ns", [("a", b"1"), ("b", b"")]) == 2
        assert store.get("ns", "a") == b"1"
        assert store.get("ns", "b") == b""
        assert store.get("ns", "missing") is None
        assert store.get("other", "a") is None
        assert store.get_many("ns", ["a", "missing", "a"]) == {"a": b"1"}


def test_many_keys_are_read_in_batches(tmp_path: Path) -> None:
    items = [(key(str(i)), str(i).encode() * 50) for i in range(1234)]
    with Cache.open(tmp_path / "cache") as store:
        store.put_many("ns", items)
        assert store.get_many("ns", [k for k, _ in items]) == dict(items)


def test_values_persist_across_instances(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "cache") as store:
        store.put("ns", "k", b"v" * 10_000)
    with Cache.open(tmp_path / "cache") as store:
        assert store.get("ns", "k") == b"v" * 10_000


def test_the_directory_is_ignored_by_git_and_tagged_for_backup_tools(tmp_path: Path) -> None:
    Cache.open(tmp_path / "deep" / "cache").close()
    directory = tmp_path / "deep" / "cache"
    assert "*" in (directory / ".gitignore").read_text(encoding="utf-8").splitlines()
    tag = (directory / "CACHEDIR.TAG").read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_the_file_uses_the_write_ahead_log(tmp_path: Path) -> None:
    Cache.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_failing_batch_stores_nothing(tmp_path: Path) -> None:
    def items() -> Iterator[tuple[str, bytes]]:
        yield "a", b"1"
        raise RuntimeError("the caller's own error")

    with Cache.open(tmp_path) as store:
        with pytest.raises(RuntimeError, match="own error"):
            store.put_many("ns", items())
        assert store.get("ns", "a") is None
        store.put("ns", "b", b"2")  # the cache is still usable
        assert store.get("ns", "b") == b"2"


def test_key_is_stable_and_unambiguous() -> None:
    assert key("ab", "c") != key("a", "bc")
    assert key("a") != key("a", "")
    assert key("x", "y") == key("x", "y")
    assert len(key("x")) == 64
    assert key("\udcff")  # a lone surrogate from an odd file name does not crash


def test_a_damaged_value_reads_as_a_miss(tmp_path: Path) -> None:
    Cache.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute(
            "INSERT INTO entries VALUES ('ns', 'bad', x'00ff', 2, 0), ('ns', 'text', 'abc', 3, 0)"
        )
    with Cache.open(tmp_path) as store:
        assert store.get_many("ns", ["bad", "text"]) == {}


def test_a_closed_cache_is_unavailable(tmp_path: Path) -> None:
    store = Cache.open(tmp_path)
    store.close()
    store.close()
    with pytest.raises(CacheUnavailable):
        store.get("ns", "k")
    with pytest.raises(CacheUnavailable):
        store.put("ns", "k", b"v")


def _set_last_used(directory: Path, when: int) -> None:
    with sqlite3.connect(directory / DB_NAME) as connection:
        connection.execute("UPDATE entries SET last_used = ?", (when,))


def _last_used(directory: Path) -> dict[str, int]:
    with sqlite3.connect(directory / DB_NAME) as connection:
        return dict(connection.execute("SELECT key, last_used FROM entries").fetchall())


def test_reading_an_entry_refreshes_its_last_use_when_closing(tmp_path: Path) -> None:
    with Cache.open(tmp_path) as store:
        store.put_many("ns", [("read", b"1"), ("unread", b"2")])
    _set_last_used(tmp_path, 1000)
    with Cache.open(tmp_path) as store:
        assert store.get("ns", "read") == b"1"
    used = _last_used(tmp_path)
    assert used["unread"] == 1000
    assert used["read"] > 1000


def test_prune_drops_old_entries_then_the_least_recently_used(tmp_path: Path) -> None:
    with Cache.open(tmp_path) as store:
        store.put_many("ns", [("old", b"1")])
        _set_last_used(tmp_path, 1000)
        store.put_many("ns", [("a", os.urandom(1000))])
        store.put_many("ns", [("b", os.urandom(1000))])
        with sqlite3.connect(tmp_path / DB_NAME) as connection:
            connection.execute("UPDATE entries SET last_used = last_used + 1 WHERE key = 'b'")
        assert store.prune(max_age_days=30) == 1
        assert store.prune(max_bytes=1500) == 1
        assert store.get_many("ns", ["old", "a", "b"]).keys() == {"b"}


# --- store: damage and trouble ----------------------------------------------------------


@pytest.mark.parametrize(
    ("garbage", "set_aside"),
    [
        # SQLite takes a file shorter than its header for an empty database and reuses it.
        (b"x", False),
        (b"garbage" * 1000, True),
        (b"SQLite format 3\x00" + b"\xff" * 5000, True),
    ],
    ids=["short", "text", "bad-header"],
)
def test_a_file_that_is_not_a_database_is_recovered_from(
    tmp_path: Path, garbage: bytes, set_aside: bool
) -> None:
    (tmp_path / DB_NAME).write_bytes(garbage)
    with Cache.open(tmp_path) as store:
        assert store.get("ns", "k") is None
        store.put("ns", "k", b"v")
        assert store.get("ns", "k") == b"v"
    aside = tmp_path / f"{DB_NAME}.damaged"
    assert (aside.read_bytes() == garbage) if set_aside else not aside.exists()


def test_another_format_is_emptied_and_rebuilt(tmp_path: Path) -> None:
    with Cache.open(tmp_path) as store:
        store.put("ns", "k", b"v")
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE name = 'format'")
    with Cache.open(tmp_path) as store:
        assert store.get("ns", "k") is None
        store.put("ns", "k", b"w")
    with Cache.open(tmp_path) as store:
        assert store.get("ns", "k") == b"w"


def test_a_database_of_other_tables_is_rebuilt(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute("CREATE TABLE entries (x)")
    with Cache.open(tmp_path) as store:
        store.put("ns", "k", b"v")
        assert store.get("ns", "k") == b"v"


def test_a_directory_that_cannot_be_made_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(CacheUnavailable, match="cannot use the cache"):
        Cache.open(tmp_path / "file" / "cache")


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


@pytest.mark.skipif(_is_root(), reason="root ignores file permissions")
def test_a_read_only_parent_directory_is_unavailable(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(CacheUnavailable):
            Cache.open(tmp_path / "cache")
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.skipif(_is_root(), reason="root ignores file permissions")
def test_a_read_only_cache_directory_is_unavailable(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "cache") as store:
        store.put("ns", "k", b"v")
    (tmp_path / "cache").chmod(0o500)
    try:
        # SQLite may refuse at once or only at the first write; either is a clean refusal.
        with pytest.raises(CacheUnavailable), Cache.open(tmp_path / "cache") as store:
            store.put("ns", "k2", b"v")
    finally:
        (tmp_path / "cache").chmod(0o700)


# --- store: several processes -----------------------------------------------------------


def _value(worker: int, round_: int) -> bytes:
    return f"{worker}:{round_}".encode() * 20


def _hammer(directory: str, worker: int, rounds: int, start: Barrier) -> int:
    """Write and read many small batches, as a parallel CI job would."""
    start.wait(timeout=60)  # both open at once, racing to create the file
    with Cache.open(Path(directory)) as store:
        for round_ in range(rounds):
            store.put_many("ns", [(f"{worker}-{round_}", _value(worker, round_))])
            store.put("shared", "same", _value(worker, round_))
            previous = f"{worker}-{round_ // 2}"
            assert store.get("ns", previous) == _value(worker, round_ // 2)
            assert store.get("shared", "same") is not None
    return rounds


def test_two_processes_write_and_read_the_same_cache_at_once(tmp_path: Path) -> None:
    rounds, workers = 300, 2
    directory = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        start = manager.Barrier(workers)
        jobs = [pool.submit(_hammer, str(directory), w, rounds, start) for w in range(workers)]
        assert [job.result(timeout=120) for job in jobs] == [rounds] * workers
    expected = {f"{w}-{r}": _value(w, r) for w in range(workers) for r in range(rounds)}
    with Cache.open(directory) as store:
        assert store.get_many("ns", expected) == expected


_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from checker.gate.cache import Cache

store = Cache.open(Path(sys.argv[1]))
store.put("ns", "before", b"committed")

def items():
    # Incompressible values, well over SQLite's page cache: uncommitted pages spill
    # into the write-ahead log before the kill.
    for i in range(1500):
        yield f"batch-{i}", os.urandom(10_000)
    print("inside", flush=True)
    time.sleep(600)

store.put_many("ns", items())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_inside_a_batch_leaves_none_of_it(tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "inside\n"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
        if writer.stdout is not None:
            writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    # The uncommitted pages reached the log, so recovery really had something to ignore.
    assert (tmp_path / f"{DB_NAME}-wal").stat().st_size > 1_000_000
    with Cache.open(tmp_path) as store:
        assert store.get("ns", "before") == b"committed"
        # The batch never committed, so none of it may be there.
        assert store.get_many("ns", [f"batch-{i}" for i in range(1500)]) == {}
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
