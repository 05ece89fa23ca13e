"""The JSON writer's bytes equal the standard library's, for any JSON document."""

from __future__ import annotations

import io
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report.json_report import _encode

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


def encode_indented(document: object) -> str:
    out = io.StringIO()
    _encode(document, out.write, "")
    return out.getvalue()


def _stdlib(document: object) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)


@given(_DOCUMENTS)
def test_encoding_matches_json_dumps(document: object) -> None:
    assert encode_indented(document) == _stdlib(document)


@given(st.dictionaries(st.integers() | st.booleans() | st.none(), st.integers(), max_size=1))
def test_non_string_keys_are_written_as_json_writes_them(document: dict[object, int]) -> None:
    assert encode_indented(document) == _stdlib(document)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_as_json_refuses_them(bad: float) -> None:
    with pytest.raises(ValueError):
        _stdlib({"x": bad})
    with pytest.raises(ValueError):
        encode_indented({"x": bad})


def test_unknown_objects_are_refused() -> None:
    with pytest.raises(TypeError):
        encode_indented({"x": object()})


def test_written_in_batches_the_text_is_the_rendered_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from checker.engine import check
    from checker.report import json_report

    report = check([Path(__file__).resolve().parents[1] / "examples"], jobs=1)
    monkeypatch.setattr(json_report, "_BATCH", 64)
    chunks: list[str] = []
    json_report.write_json(report, chunks.append)
    assert len(chunks) > 10  # really written a batch at a time
    assert "".join(chunks) == json_report.render_json(report)


_RECORDS = st.lists(
    st.fixed_dictionaries(
        {"id": st.text(max_size=4), "n": _SCALARS},
        optional={"value": _DOCUMENTS, "more": st.lists(_SCALARS, max_size=3)},
    ),
    max_size=6,
)


@given(_RECORDS)
def test_records_of_one_shape_match_json_dumps(document: object) -> None:
    # Records of the same keys take the remembered key order after the first.
    assert encode_indented(document) == _stdlib(document)


@given(_DOCUMENTS | _RECORDS)
def test_without_the_c_encoder_the_general_path_matches_json_dumps(document: object) -> None:
    from checker.report import json_report

    flat = json_report._FLAT
    json_report._FLAT = False
    try:
        assert encode_indented(document) == _stdlib(document)
    finally:
        json_report._FLAT = flat
