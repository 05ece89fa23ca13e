"""Units of measure after a figure, normalised through pint to one unit per dimension.

Surface forms ("km", "square kilometres", "°F", "GB", "barrels per day") live in
`lexicon/units.toml`; units pint lacks (storeys, ...) in `lexicon/units.txt`. Every
form's factor to its dimension's canonical unit was computed by pint once, when the
lexicon last changed, into `lexicon/units_resolved.json` (`python -m checker.units`
writes it; a test checks it against pint): reading units is a dictionary probe and
never imports pint. Only a unit the table lacks (a lexicon extension's) builds pint's
registry, once per process.

A value converts as `canonical = stated * factor + offset`; the offset is non-zero only
for temperatures ("100 °F" is 37.8 °C). A change of temperature ("rose by 5 degrees")
is not an absolute reading and is out of scope: the caller must not pass it here.

Two entry points read text, both given the tokens of `checker.text.tokenize` and the
index j of the token right after a figure (token j - 1 must be the figure's last
token, as in the claim extractor):

- `unit_at` reads a unit of measure there, the longest form, including the symbols the
  tokenizer splits or drops ("°C", "km/h", "m²") and a rate tail ("km per hour",
  "barrels a day", "GB/s").
- `rate_at` reads a rate tail after a counted noun ("100 requests per minute",
  "$12 per user per month"): the match starts at "per" (or "/", "a"), its unit is
  "1 / day" (the canonical frequency) and `per` names the counted denominators
  ("user"), which are not units; the caller keeps the noun before it as the subject.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from checker.errors import CheckerError
from checker.lexicon import load
from checker.text import Token, tokenize

# Characters that may stand between a figure and its unit, or open the unit itself.
_SPACES = " \t\u00a0\u2009\u202f"
_LEADS = frozenset({"", "°", "º", "℃", "℉"})
_MAX_LEAD = 4  # "100 ° F": the figure, a space, the degree sign, a space


class UnitError(CheckerError, ValueError):
    """A unit expression pint cannot read, or one with no canonical unit."""


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """A unit phrase in the text and how to take a figure to the canonical unit.

    `start`/`end` cover the unit phrase only ("km", "°C", "per user per month");
    `stop` is the index of the first token after it. `per` names counted denominators
    of a rate ("user" in "per user per month"), which are not part of `unit`.
    """

    start: int
    end: int
    unit: str
    factor: float
    offset: float
    dimension: str
    per: tuple[str, ...] = ()
    stop: int = 0


@dataclass(frozen=True, slots=True)
class _Canon:
    """A unit expression resolved to its dimension's canonical unit."""

    unit: str
    factor: float
    offset: float
    dimension: str


@dataclass(frozen=True, slots=True)
class _Tables:
    """Every surface form resolved once: exact symbols, lower-cased words, rates."""

    symbols: dict[str, _Canon]
    words: dict[str, _Canon]
    binary: dict[str, _Canon]
    attached: dict[str, _Canon]
    time: dict[str, _Canon]
    per_time: dict[str, _Canon]
    short: frozenset[str]
    connectors: frozenset[str]
    not_counted: frozenset[str]
    not_after: frozenset[str]
    longest: int


# -- pint, paid once -------------------------------------------------------------------


def _currency_codes() -> list[str]:
    """Return the ISO 4217 codes the currencies lexicon maps anything to."""
    lexicon = load("currencies")
    named = [
        *lexicon.get("codes", {}).get("list", []),
        *lexicon.get("symbols", {}).values(),
        *lexicon.get("words", {}),
    ]
    return sorted({c for c in named if isinstance(c, str) and len(c) == 3 and c.isupper()})


@cache
def registry() -> Any:
    """Return the process's one pint registry, with the project's definitions loaded."""
    import pint  # here, not at module level: start-up stays fast when no unit appears

    base = resources.files("pint")
    lines: list[str] = []
    patched = False
    for line in base.joinpath("default_en.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() == "@import constants_en.txt":
            lines.extend(base.joinpath("constants_en.txt").read_text(encoding="utf-8").splitlines())
        elif line.replace(" ", "") == "bit=[]":
            # Data is its own dimension, so "2 GB" never meets a plain count.
            lines.append("bit = [information]")
            patched = True
        else:
            lines.append(line)
    if not patched:
        raise UnitError("pint's default definitions changed: no `bit = []` line to patch")
    ureg: Any = pint.UnitRegistry(None)
    ureg.load_definitions(lines)
    own = resources.files("checker.lexicon").joinpath("units.txt").read_text(encoding="utf-8")
    ureg.load_definitions(own.splitlines())
    for code in _currency_codes():
        if code not in ureg:
            # A currency is a dimension of its own, so "USD / day" is a unit pint reads.
            ureg.define(f"{code} = [currency_{code}]")
    return ureg


@cache
def _canonicals() -> dict[Any, tuple[str, str]]:
    """Return {pint dimensionality: (dimension name, canonical unit)}."""
    ureg = registry()
    out: dict[Any, tuple[str, str]] = {}
    for name, unit in load("units")["canonical"].items():
        out[ureg.parse_expression(unit).dimensionality] = (str(name), str(unit))
    for code in _currency_codes():
        out.setdefault(ureg.parse_expression(code).dimensionality, ("currency", code))
    return out


@cache
def _resolve(expr: str) -> _Canon:
    """Return the canonical unit of an expression: from the table pint filled once, when
    it lists the expression, else from pint itself (a lexicon extension's new unit)."""
    table = _precomputed()
    if expr in table:
        found = table[expr]
        if found is None:
            raise UnitError(f"no canonical unit for {expr!r} (units_resolved.json)")
        return found
    return _resolve_with_pint(expr)


def _resolve_with_pint(expr: str) -> _Canon:
    ureg = registry()
    try:
        q = ureg.parse_expression(expr)
        dims = q.dimensionality
    except Exception as exc:  # pint raises several unrelated types for bad input
        raise UnitError(f"pint cannot read the unit {expr!r}: {exc}") from exc
    hit = _canonicals().get(dims)
    if hit is None:
        return _composed(expr, q)
    dimension, canonical = hit
    zero = float(ureg.Quantity(0, q.units).to(canonical).magnitude)
    one = float(ureg.Quantity(1, q.units).to(canonical).magnitude)
    return _Canon(canonical, (one - zero) * float(q.magnitude), zero, dimension)


def _composed(expr: str, q: Any) -> _Canon:
    """Return a compound with no canonical of its own as the product of its parts'."""
    parts = list(q.unit_items())
    if len(parts) < 2:
        raise UnitError(f"no canonical unit for {expr!r}: add its dimension to units.toml")
    factor = float(q.magnitude)
    top: list[str] = []
    bottom: list[str] = []
    names: list[list[str]] = [[], []]
    for name, exponent in parts:
        power = abs(exponent)
        # "meter ** 2" as a whole, so that it meets its dimension's canonical (area).
        part = _resolve_with_pint(str(name) if power == 1 else f"{name} ** {power:g}")
        if part.offset:
            raise UnitError(f"{expr!r} divides or multiplies a temperature")
        factor *= part.factor if exponent > 0 else 1 / part.factor
        unit = part.unit if part.unit.isidentifier() else f"({part.unit})"
        (top if exponent > 0 else bottom).append(unit)
        names[exponent < 0].append(part.dimension)
    unit = " * ".join(top) or "1"
    if bottom:
        unit += " / " + " / ".join(bottom)
    dimension = " * ".join(names[0]) or "1"
    if names[1]:
        dimension += " / " + " / ".join(names[1])
    return _Canon(unit, factor, 0.0, dimension)


# -- the table pint fills once -----------------------------------------------------------
#
# Every expression the bundled lexicon can ask `_resolve` for (each form's unit, each
# time word's, each rate a unit divided by another can make) is resolved by pint when
# the lexicon changes (`python -m checker.units`) and kept in units_resolved.json, so
# that reading units never imports pint (0.3-0.5 s of start-up) nor calls it per claim.
# The table holds for the inputs it was made from: the canonical units, units.txt and
# the currency codes. When an extension changes them, it is not used.

_TABLE_FILE = "units_resolved.json"


def _fingerprint() -> str:
    """Return a digest of what the resolved units depend on besides pint itself."""
    own = resources.files("checker.lexicon").joinpath("units.txt").read_text(encoding="utf-8")
    inputs = {
        "canonical": load("units")["canonical"],
        "currencies": _currency_codes(),
        "units.txt": own,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()


@cache
def _precomputed() -> dict[str, _Canon | None]:
    """Return the resolved expressions of units_resolved.json, or {} if they are stale."""
    source = resources.files("checker.lexicon").joinpath(_TABLE_FILE)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if data.get("fingerprint") != _fingerprint():
        return {}
    return {
        expr: None if row is None else _Canon(row[0], float(row[1]), float(row[2]), row[3])
        for expr, row in data["expressions"].items()
    }


# The tables of units.toml that map a written form to a unit expression; the resolved
# file and the run-time tables are both built from these, so they must name the same.
_FORM_TABLES = ("symbols", "words", "binary", "attached")


def _lexicon_expressions() -> list[str]:
    """Return the expressions the lexicon's unit forms and time words name."""
    lexicon = load("units")
    exprs = [str(e) for table in _FORM_TABLES for e in lexicon[table].values()]
    for e in lexicon["rates"]["time"].values():
        exprs += [str(e), f"1 / {e}"]
    return sorted(set(exprs))


def resolve_all() -> dict[str, Any]:
    """Return the contents of units_resolved.json, every expression resolved by pint."""
    resolved: dict[str, _Canon | None] = {}

    def attempt(expr: str) -> _Canon | None:
        if expr not in resolved:
            try:
                resolved[expr] = _resolve_with_pint(expr)
            except UnitError:
                resolved[expr] = None
        return resolved[expr]

    lexicon = load("units")
    units = [attempt(e) for e in _lexicon_expressions()]
    times = [attempt(str(e)) for e in lexicon["rates"]["time"].values()]
    for num in {u for u in units if u is not None}:
        for den in {u for u in (*units, *times) if u is not None}:
            if (expr := _compound_expression(num, den)) is not None:
                attempt(expr)
    return {
        "fingerprint": _fingerprint(),
        "expressions": {
            expr: None if c is None else [c.unit, c.factor, c.offset, c.dimension]
            for expr, c in sorted(resolved.items())
        },
    }


def to_canonical(unit_expr: str) -> tuple[str, float, float]:
    """Return (canonical unit, factor, offset) for a pint unit expression."""
    c = _resolve(unit_expr)
    return c.unit, c.factor, c.offset


@cache
def _compound(num: _Canon, den: _Canon) -> _Canon | None:
    """Return num / den in canonical units, or None when it has no meaning (°C per day)."""
    expr = _compound_expression(num, den)
    if expr is None:
        return None
    try:
        pair = _resolve(expr)
    except UnitError:
        return None
    return _Canon(pair.unit, num.factor / den.factor * pair.factor, 0.0, pair.dimension)


def _compound_expression(num: _Canon, den: _Canon) -> str | None:
    """Return the expression of num / den in canonical units, or None if it has none."""
    if num.offset or den.offset or num.dimension == "frequency":
        return None
    bottom = den.unit if den.unit.isidentifier() else f"({den.unit})"
    return f"{num.unit} / {bottom}"


# -- surface forms ---------------------------------------------------------------------


def _lead(raw: str) -> str | None:
    """Return what opens a unit between a figure and the next token ("°"), or None."""
    lead = raw.strip(_SPACES + "-")
    return lead if lead in _LEADS else None


def _gap(raw: str) -> str | None:
    """Return how the text between two tokens of one unit reads, or None to stop."""
    if not raw:
        return ""
    if len(raw) > 3 or "\n" in raw:
        return None
    mark = raw.strip(_SPACES)
    if not mark:
        return " "
    if mark == "/":
        return "/"
    return " " if mark in ("-", ".") else None


def _key(text: str, tokens: Sequence[Token], j: int, n: int, lead: str) -> str | None:
    """Return the normalised surface of tokens[j:j+n] after `lead`, or None if broken."""
    parts = [lead]
    for k in range(j, j + n):
        if k > j:
            gap = _gap(text[tokens[k - 1].end : tokens[k].start])
            if gap is None:
                return None
            parts.append(gap)
        parts.append(tokens[k].raw)
    return "".join(parts)


def _form_key(form: str) -> tuple[str, int]:
    """Return the key a lexicon form is matched by and its length in tokens."""
    toks = tokenize(form)
    lead = _lead(form[: toks[0].start] if toks else form)
    key = _key(form, toks, 0, len(toks), lead or "")
    if lead is None or key is None:
        raise UnitError(f"units.toml form {form!r} cannot match tokenized text")
    return key, len(toks)


@cache
def unit_words() -> frozenset[str]:
    """Return every word of the lexicon's unit names ("hectares", "square", "miles").

    Read from the lexicon only, without pint, for callers that only need to recognise
    a unit's name (context keywords leave them out: units are compared on their own).
    """
    return frozenset(w.lower() for form in load("units")["words"] for w in form.split())


@cache
def _tables() -> _Tables:
    lexicon = load("units")
    longest = 1
    resolved: dict[str, dict[str, _Canon]] = {}
    for table in _FORM_TABLES:
        resolved[table] = {}
        for form, expr in lexicon[table].items():
            key, n = _form_key(form)
            longest = max(longest, n)
            resolved[table][key.lower() if table == "words" else key] = _resolve(str(expr))
    rates = lexicon["rates"]
    time = {str(w): _resolve(str(e)) for w, e in rates["time"].items()}
    per_time = {str(w): _resolve(f"1 / {e}") for w, e in rates["time"].items()}
    return _Tables(
        symbols=resolved["symbols"],
        words=resolved["words"],
        binary=resolved["binary"],
        attached=resolved["attached"],
        time=time,
        per_time=per_time,
        short=frozenset(rates["short"]),
        connectors=frozenset(rates["connectors"]),
        not_counted=frozenset(rates["not_counted"]),
        not_after=frozenset(rates["not_after"]),
        longest=longest,
    )


def _lookup(t: _Tables, key: str, binary: bool) -> _Canon | None:
    if binary and (hit := t.binary.get(key) or t.binary.get(key.lower())):
        return hit
    return t.symbols.get(key) or t.words.get(key.lower())


def _plain(
    tokens: Sequence[Token], j: int, text: str, lead: str, binary: bool
) -> tuple[_Canon, int] | None:
    """Return the longest unit form at token j (after `lead`) and its length in tokens."""
    t = _tables()
    for n in range(min(t.longest, len(tokens) - j), 0, -1):
        key = _key(text, tokens, j, n, lead)
        if key is not None and (hit := _lookup(t, key, binary)) is not None:
            return hit, n
    if lead and (hit := _lookup(t, lead, binary)) is not None:
        return hit, 0  # "40℃": the whole unit is one character the tokenizer drops
    return None


def _connector(tokens: Sequence[Token], k: int, text: str) -> tuple[str, int, int] | None:
    """Return (connector, offset it starts at, token the denominator starts at)."""
    if not 0 < k < len(tokens):
        return None
    gap = text[tokens[k - 1].end : tokens[k].start]
    if gap.strip(_SPACES) == "/" and len(gap) <= 3:
        return "/", tokens[k - 1].end + gap.index("/"), k
    if (
        _gap(gap) == " "
        and tokens[k].low in _tables().connectors
        and k + 1 < len(tokens)
        and _gap(text[tokens[k].end : tokens[k + 1].start]) == " "
    ):
        return tokens[k].low, tokens[k].start, k + 1
    return None


def _time_at(tokens: Sequence[Token], i: int, connector: str) -> str | None:
    """Return the time word at token i if it may end a rate after `connector`."""
    t = _tables()
    word = tokens[i].low
    if word not in t.time or (word in t.short and connector != "/"):
        return None
    if i + 1 < len(tokens) and tokens[i + 1].low in t.not_after:
        return None  # "a year ago": a date, not a rate
    return word


def _denominator(
    tokens: Sequence[Token], k: int, text: str, binary: bool
) -> tuple[_Canon, int, int] | None:
    """Return (denominator, end offset, next token) of "per <unit>" at token k."""
    hit = _connector(tokens, k, text)
    if hit is None:
        return None
    connector, _, i = hit
    if (word := _time_at(tokens, i, connector)) is not None:
        return _tables().time[word], tokens[i].end, i + 1
    if connector in ("a", "an"):
        return None
    unit = _plain(tokens, i, text, "", binary)
    if unit is None or unit[1] == 0:
        return None
    return unit[0], tokens[i + unit[1] - 1].end, i + unit[1]


def unit_at(
    tokens: Sequence[Token], j: int, text: str, *, binary: bool = False
) -> UnitMatch | None:
    """Return the unit of measure starting at token j (right after a figure), if any.

    `binary` reads KB, MB, GB, ... as powers of 1024, for a document that says so.
    """
    if not 0 < j <= len(tokens):
        return None
    after = tokens[j - 1].end
    until = tokens[j].start if j < len(tokens) else min(len(text), after + _MAX_LEAD)
    raw = text[after:until]
    lead = _lead(raw) if len(raw) <= _MAX_LEAD else None
    if lead is None:
        return None
    found = _plain(tokens, j, text, lead, binary)
    if found is None and not raw and j < len(tokens):
        # "41.3C": a symbol that is a unit only against its figure.
        hit = _tables().attached.get(tokens[j].raw)
        found = (hit, 1) if hit is not None else None
    if found is None:
        return None
    canon, n = found
    start = after + raw.index(lead) if lead else tokens[j].start
    end = tokens[j + n - 1].end if n else start + len(lead)
    stop = j + n
    if n and (den := _denominator(tokens, stop, text, binary)) is not None:
        rate = _compound(canon, den[0])
        if rate is not None:
            canon, end, stop = rate, den[1], den[2]
    return UnitMatch(start, end, canon.unit, canon.factor, canon.offset, canon.dimension, (), stop)


def rate_at(tokens: Sequence[Token], j: int, text: str, *, reach: int = 3) -> UnitMatch | None:
    """Return a "per <time>" tail within `reach` words of token j ("requests per minute").

    The match starts at the connector; words skipped before it are the counted thing.
    Counted denominators ("per user") go to `per`; exactly one time unit is required.
    """
    if not 0 < j <= len(tokens):
        return None
    t = _tables()
    for k in range(j, min(j + reach + 1, len(tokens))):
        if (first := _connector(tokens, k, text)) is not None:
            break
        if not tokens[k].low.isalpha() or _gap(text[tokens[k - 1].end : tokens[k].start]) != " ":
            return None  # only plain words stand between the figure and the rate
    else:
        return None
    per: list[str] = []
    rate: _Canon | None = None
    end, stop, i = 0, k, k
    while (hit := _connector(tokens, i, text)) is not None:
        connector, _, d = hit
        if (word := _time_at(tokens, d, connector)) is not None and rate is None:
            rate = t.per_time[word]
        elif (
            connector in ("per", "/")
            and tokens[d].low.isalpha()
            and tokens[d].low not in t.not_counted
            and tokens[d].low not in t.time
            and len(per) < 2
        ):
            per.append(tokens[d].low)
        else:
            break
        end, stop, i = tokens[d].end, d + 1, d + 1
    if rate is None:
        return None
    return UnitMatch(
        first[1], end, rate.unit, rate.factor, rate.offset, rate.dimension, tuple(per), stop
    )


def convert(value: float, match: UnitMatch) -> float:
    """Return `value`, stated in the matched unit, in the canonical unit."""
    return value * match.factor + match.offset


def main() -> None:
    """Write units_resolved.json next to the lexicon (run after editing units or pint)."""
    path = Path(str(resources.files("checker.lexicon").joinpath(_TABLE_FILE)))
    table = resolve_all()
    rows = [
        f"  {json.dumps(expr, ensure_ascii=False)}: {json.dumps(row, ensure_ascii=False)}"
        for expr, row in table["expressions"].items()
    ]
    fingerprint = json.dumps(table["fingerprint"])
    body = ",\n".join(rows)
    path.write_text(
        f'{{\n "fingerprint": {fingerprint},\n "expressions": {{\n{body}\n }}\n}}\n', "utf-8"
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
