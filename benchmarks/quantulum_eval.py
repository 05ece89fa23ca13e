"""Score checker's extractor against quantulum3's published English test suite.

The suite is `quantulum3/_lang/en_US/tests/quantities.json` inside the quantulum3 0.10.0
wheel: a list of `{"req": text, "res": [{"value", "unit", "surface", ...}]}`. The wheel
is fetched at run time with `pip download` (never committed) and read as a zip.

How a claim becomes one value (quantulum gives one number per quantity):
- `nominal` when it is set ("about 4 years" -> 4, "up to 4,000 km" -> 4000);
- else `low` when `low == high`;
- else, for a closed stated range ("between 44 and 50" -> [44, 50]), the midpoint,
  which is how quantulum itself writes a range (value 47, uncertainty 3);
- else (an open interval without a nominal, e.g. "dozens of") there is no single
  value: the claim is kept and always counts as a false positive.
Date claims: quantulum writes a bare year as a dimensionless number ("in 1979" -> 1979),
so a date claim that covers whole calendar years (Jan 1 .. Dec 31) scores as its first
year, unit-less. Other date claims (a day, a month) are outside quantulum's scope and
are not scored at all; their number is printed.

Value match: our value equals the expected value within 1e-6 relative, where the
expected value is taken as written, converted into our unit by `UNIT_MAP`, or
converted by pint into the unit our claim carries. Value+unit match: additionally our
unit is the mapped unit (or one pint converts it to) and the converted value matches;
quantulum's "dimensionless" maps to our unit-less counts. An expected unit missing from
`UNIT_MAP` counts for value-F1 but can never match for value+unit.
Matching inside one sentence is a maximum bipartite matching, so each expected
quantity and each claim is used once.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from checker.extract.claims import Options, extract
from checker.model import Claim, Document, Kind

PACKAGE = "quantulum3==0.10.0"
SUITE_PATH = "quantulum3/_lang/en_US/tests/quantities.json"
REL_TOL = 1e-6

# quantulum unit name -> (our unit, factor from quantulum's unit to ours). Our units are
# those checker's normalisation produces (lexicon/units.toml, time_units.toml,
# currencies.toml); `None` is a unit-less count. Units checker has no notion of map to
# the pint name, so a future lexicon entry that uses it is scored without edits here.
UNIT_MAP: dict[str, tuple[str | None, float]] = {
    # length -> kilometer
    "kilometre": ("kilometer", 1.0),
    "metre": ("kilometer", 0.001),
    "mile": ("kilometer", 1.609344),
    "inch": ("kilometer", 2.54e-5),
    "nanometre": ("kilometer", 1e-12),
    "picometre": ("kilometer", 1e-15),
    "attometre": ("kilometer", 1e-21),
    # area -> square_kilometer
    "square kilometre": ("square_kilometer", 1.0),
    "square mile": ("square_kilometer", 2.589988110336),
    # volume -> liter
    "litre": ("liter", 1.0),
    "centilitre": ("liter", 0.01),
    "cubic centimetre": ("liter", 0.001),
    "cubic kilometre": ("liter", 1e12),
    "gallon": ("liter", 3.785411784),
    "cup": ("liter", 0.2365882365),
    "tablespoon": ("liter", 0.01478676478125),
    # mass -> tonne
    "tonne": ("tonne", 1.0),
    "kilogram": ("tonne", 0.001),
    "milligram": ("tonne", 1e-9),
    "pound-mass": ("tonne", 0.00045359237),
    # speed -> kilometer_per_hour
    "kilometre per hour": ("kilometer_per_hour", 1.0),
    "mile per hour": ("kilometer_per_hour", 1.609344),
    # time: checker keeps the stated calendar unit
    "year": ("year", 1.0),
    "month": ("month", 1.0),
    "week": ("week", 1.0),
    "day": ("day", 1.0),
    "hour": ("hour", 1.0),
    "minute": ("minute", 1.0),
    "second": ("second", 1.0),
    "megayear": ("year", 1e6),
    "gigayear": ("year", 1e9),
    # money -> ISO 4217
    "dollar": ("USD", 1.0),
    "cent": ("USD", 0.01),
    "dime": ("USD", 0.1),
    "euro": ("EUR", 1.0),
    "pound sterling": ("GBP", 1.0),
    "penny": ("GBP", 0.01),
    "yen": ("JPY", 1.0),
    # percent
    "percentage": ("percent", 1.0),
    # counts
    "dimensionless": (None, 1.0),
    "dozen": (None, 12.0),
    "baker's dozen": (None, 13.0),
    "gross": (None, 144.0),
    # no checker equivalent yet: pint names
    "degree Celsius": ("degree_Celsius", 1.0),
    "degree fahrenheit": ("degree_Fahrenheit", 1.0),
    "kelvin": ("kelvin", 1.0),
    "electronvolt": ("electron_volt", 1.0),
    "teraelectronvolt": ("electron_volt", 1e12),
    "watt hour": ("watt_hour", 1.0),
    "megawatt hour": ("watt_hour", 1e6),
    "gigahertz": ("hertz", 1e9),
    "inverse second": ("hertz", 1.0),
    "bit": ("bit", 1.0),
    "byte": ("byte", 1.0),
    "kibibyte": ("byte", 1024.0),
    "megabyte": ("byte", 1e6),
    "exabyte": ("byte", 1e18),
    "milligray": ("gray", 0.001),
    # compound units, as pint expressions
    "count per week": ("1 / week", 1.0),
    "inverse femtobarn": ("1 / femtobarn", 1.0),
    "kilometre per square second": ("kilometer / second ** 2", 1.0),
    "watt per minute": ("watt / minute", 1.0),
    "joule second": ("joule * second", 1.0),
    "candela second": ("candela * second", 1.0),
    "joule per square metre per year": ("joule / meter ** 2 / year", 1.0),
}

FAMILIES = ("length", "time", "currency", "percentage", "dimensionless", "other")
_FAMILY_OF_UNIT = {
    "kilometer": "length",
    "year": "time",
    "month": "time",
    "week": "time",
    "day": "time",
    "hour": "time",
    "minute": "time",
    "second": "time",
    "USD": "currency",
    "EUR": "currency",
    "GBP": "currency",
    "JPY": "currency",
    "percent": "percentage",
}


@dataclass(frozen=True, slots=True)
class Expected:
    """One quantity quantulum's suite expects."""

    value: float
    unit: str
    surface: str

    @property
    def mapped(self) -> tuple[str | None, float] | None:
        """Return (our unit, factor) or None when the unit is not in UNIT_MAP."""
        return UNIT_MAP.get(self.unit)

    @property
    def family(self) -> str:
        """Return the quantulum unit family used for the per-category table."""
        mapped = self.mapped
        if mapped is None:
            return "other"
        if mapped[0] is None:
            return "dimensionless"
        return _FAMILY_OF_UNIT.get(mapped[0], "other")

    def describe(self) -> str:
        """Return a short readable form."""
        return f"{self.surface!r}={_num(self.value)} {self.unit}"


@dataclass(frozen=True, slots=True)
class Predicted:
    """One claim reduced to the single value quantulum's format allows."""

    value: float | None
    unit: str | None
    kind: str
    text: str

    @property
    def family(self) -> str:
        """Return the unit family of the claim."""
        if self.kind == "date" or self.unit is None:
            return "dimensionless"
        return _FAMILY_OF_UNIT.get(self.unit, "other")

    def describe(self) -> str:
        """Return a short readable form."""
        value = "no single value" if self.value is None else _num(self.value)
        return f"{self.text!r}={value} {self.unit or '-'} ({self.kind})"


@dataclass(frozen=True, slots=True)
class Case:
    """One sentence of the suite with its expected quantities."""

    index: int
    text: str
    expected: tuple[Expected, ...]


@dataclass(slots=True)
class CaseResult:
    """Which expected quantities and claims matched, at both levels."""

    case: Case
    predicted: list[Predicted]
    out_of_scope: int
    value_pairs: dict[int, int] = field(default_factory=dict)  # expected -> predicted
    unit_pairs: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 from counts."""

    tp_pred: int
    n_pred: int
    tp_exp: int
    n_exp: int

    @property
    def precision(self) -> float:
        """Return the share of predictions that matched."""
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """Return the share of expected quantities found."""
        return self.tp_exp / self.n_exp if self.n_exp else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """Return the figures as a JSON-ready dict."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.tp_exp,
            "expected": self.n_exp,
            "predicted": self.n_pred,
        }


# -- loading -----------------------------------------------------------------------------
def fetch_wheel(folder: Path) -> Path:
    """Return the path of the quantulum3 wheel in `folder`, downloading it when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    wheels = sorted(folder.glob("quantulum3-0.10.0-*.whl"))
    if not wheels:
        command = [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "-d"]
        done = subprocess.run([*command, str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"pip download {PACKAGE} failed:\n{done.stderr}")
        wheels = sorted(folder.glob("quantulum3-0.10.0-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download left no quantulum3 wheel in {folder}")
    return wheels[0]


def load_cases(wheel: Path) -> list[Case]:
    """Read the English test suite out of the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        raw = json.loads(archive.read(SUITE_PATH))
    return parse_cases(raw)


def parse_cases(raw: Sequence[dict[str, Any]]) -> list[Case]:
    """Turn the suite's JSON list into cases."""
    cases = []
    for index, item in enumerate(raw):
        expected = tuple(
            Expected(float(r["value"]), str(r["unit"]), str(r.get("surface", "")))
            for r in item.get("res", [])
        )
        cases.append(Case(index, str(item["req"]), expected))
    return cases


# -- reducing claims ---------------------------------------------------------------------
def single_value(claim: Claim) -> tuple[float | None, bool]:
    """Return (the claim's one value or None, whether the claim is scored at all)."""
    v = claim.value
    if claim.kind is Kind.DATE:
        low, high = v.low, v.high
        whole_years = (
            isinstance(low, date)
            and isinstance(high, date)
            and (low.month, low.day) == (1, 1)
            and (high.month, high.day) == (12, 31)
        )
        return (float(low.year), True) if whole_years and isinstance(low, date) else (None, False)
    if isinstance(v.nominal, int | float):
        return float(v.nominal), True
    if isinstance(v.low, int | float) and isinstance(v.high, int | float):
        return (float(v.low) + float(v.high)) / 2, True
    return None, True


def predictions(claims: Iterable[Claim]) -> tuple[list[Predicted], int]:
    """Return the scored claims as predictions and how many date claims were not scored."""
    scored, skipped = [], 0
    for claim in claims:
        value, in_scope = single_value(claim)
        if not in_scope:
            skipped += 1
            continue
        unit = None if claim.kind is Kind.DATE else claim.value.unit
        scored.append(Predicted(value, unit, claim.kind.value, claim.text))
    return scored, skipped


# -- matching ----------------------------------------------------------------------------
def close(a: float, b: float) -> bool:
    """Return whether two values agree within REL_TOL relative."""
    return a == b or abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def value_matches(exp: Expected, pred: Predicted) -> bool:
    """Return whether the claim's value equals the expected one in any admissible unit."""
    if pred.value is None:
        return False
    candidates = [exp.value]
    if exp.mapped is not None:
        candidates.append(exp.value * exp.mapped[1])
    converted = _pint_convert(exp, pred.unit)
    if converted is not None:
        candidates.append(converted)
    return any(close(pred.value, c) for c in candidates)


def unit_matches(exp: Expected, pred: Predicted) -> bool:
    """Return whether value and unit both match, comparing in our unit."""
    if pred.value is None or exp.mapped is None:
        return False
    unit, factor = exp.mapped
    if pred.unit == unit:
        return close(pred.value, exp.value * factor)
    converted = _pint_convert(exp, pred.unit)
    return converted is not None and close(pred.value, converted)


def max_matching(n_exp: int, n_pred: int, ok: Callable[[int, int], bool]) -> dict[int, int]:
    """Return a maximum matching expected -> predicted (Kuhn's augmenting paths)."""
    edges = [[p for p in range(n_pred) if ok(e, p)] for e in range(n_exp)]
    owner: dict[int, int] = {}

    def augment(e: int, seen: set[int]) -> bool:
        for p in edges[e]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = e
                return True
        return False

    for e in range(n_exp):
        augment(e, set())
    return {e: p for p, e in owner.items()}


def score_case(case: Case, claims: Iterable[Claim]) -> CaseResult:
    """Match one sentence's claims to its expected quantities."""
    predicted, skipped = predictions(claims)
    result = CaseResult(case, predicted, skipped)
    exp = case.expected
    result.value_pairs = max_matching(
        len(exp), len(predicted), lambda e, p: value_matches(exp[e], predicted[p])
    )
    result.unit_pairs = max_matching(
        len(exp), len(predicted), lambda e, p: unit_matches(exp[e], predicted[p])
    )
    return result


def run_case(case: Case) -> CaseResult:
    """Extract claims from one sentence and score them."""
    doc = Document(f"q{case.index}", f"quantities.json#{case.index}", case.text, None)
    return score_case(case, extract(doc, Options()).claims)


# -- figures -----------------------------------------------------------------------------
def totals(results: Sequence[CaseResult], unit_level: bool, family: str | None = None) -> Score:
    """Sum the counts over all sentences, optionally for one unit family."""
    tp_pred = n_pred = tp_exp = n_exp = 0
    for r in results:
        pairs = r.unit_pairs if unit_level else r.value_pairs
        matched_pred = {p: e for e, p in pairs.items()}
        for e, exp in enumerate(r.case.expected):
            if family is None or exp.family == family:
                n_exp += 1
                tp_exp += e in pairs
        for p, pred in enumerate(r.predicted):
            # A matched claim belongs to its expected quantity's family.
            fam = r.case.expected[matched_pred[p]].family if p in matched_pred else pred.family
            if family is None or fam == family:
                n_pred += 1
                tp_pred += p in matched_pred
    return Score(tp_pred, n_pred, tp_exp, n_exp)


@dataclass(frozen=True, slots=True)
class Error:
    """A miss or a false positive, for the lead to read."""

    pattern: str
    text: str
    expected: str
    got: str


def errors(results: Sequence[CaseResult]) -> tuple[list[Error], list[Error]]:
    """Return value+unit misses and false positives, each with a pattern label."""
    misses, false_pos = [], []
    for r in results:
        got = "; ".join(p.describe() for p in r.predicted) or "(nothing)"
        wanted = "; ".join(e.describe() for e in r.case.expected) or "(nothing)"
        for e, exp in enumerate(r.case.expected):
            if e in r.unit_pairs:
                continue
            if e in r.value_pairs:
                pred = r.predicted[r.value_pairs[e]]
                pattern = f"{exp.unit}: value found, unit {pred.unit or 'none'}"
            elif exp.mapped is None:
                pattern = f"{exp.unit}: not found (unit not in UNIT_MAP)"
            else:
                pattern = f"{exp.unit}: not found"
            misses.append(Error(pattern, r.case.text, exp.describe(), got))
        matched = set(r.unit_pairs.values())
        for p, pred in enumerate(r.predicted):
            if p in matched:
                continue
            if pred.value is None:
                pattern = f"{pred.kind}: no single value"
            elif p in r.value_pairs.values():
                pattern = f"{pred.kind} {pred.unit or 'none'}: right value, wrong unit"
            else:
                pattern = f"{pred.kind} {pred.unit or 'none'}: not expected"
            false_pos.append(Error(pattern, r.case.text, wanted, pred.describe()))
    return misses, false_pos


def most_common(items: Sequence[Error], n: int) -> list[tuple[str, int, list[Error]]]:
    """Return the n most common patterns with their count and examples."""
    counts = Counter(e.pattern for e in items)
    return [(pat, k, [e for e in items if e.pattern == pat]) for pat, k in counts.most_common(n)]


def figures(results: Sequence[CaseResult], show: int) -> dict[str, Any]:
    """Return every figure the script prints, as a JSON-ready dict."""
    misses, false_pos = errors(results)
    return {
        "suite": f"{PACKAGE} {SUITE_PATH}",
        "sentences": len(results),
        "expected_quantities": sum(len(r.case.expected) for r in results),
        "scored_claims": sum(len(r.predicted) for r in results),
        "claims_without_single_value": sum(p.value is None for r in results for p in r.predicted),
        "date_claims_not_scored": sum(r.out_of_scope for r in results),
        "expected_units_not_mapped": sorted(
            {e.unit for r in results for e in r.case.expected if e.mapped is None}
        ),
        "value": totals(results, unit_level=False).as_dict(),
        "value_unit": totals(results, unit_level=True).as_dict(),
        "families": {
            fam: {
                "value": totals(results, False, fam).as_dict(),
                "value_unit": totals(results, True, fam).as_dict(),
            }
            for fam in FAMILIES
        },
        "misses": _error_groups(misses, show),
        "false_positives": _error_groups(false_pos, show),
    }


def _error_groups(items: Sequence[Error], n: int) -> list[dict[str, Any]]:
    """Return the most common error patterns with up to 3 examples each."""
    return [
        {
            "pattern": pat,
            "count": k,
            "examples": [
                {"req": e.text, "expected": e.expected, "got": e.got} for e in examples[:3]
            ],
        }
        for pat, k, examples in most_common(items, n)
    ]


def render(fig: dict[str, Any]) -> str:
    """Return the figures as readable text."""
    lines = [
        f"quantulum3 English suite: {fig['suite']}",
        f"sentences {fig['sentences']}, expected quantities {fig['expected_quantities']}, "
        f"scored claims {fig['scored_claims']} "
        f"({fig['claims_without_single_value']} without a single value), "
        f"date claims not scored {fig['date_claims_not_scored']}",
    ]
    if fig["expected_units_not_mapped"]:
        lines.append(
            f"quantulum units not in UNIT_MAP: {', '.join(fig['expected_units_not_mapped'])}"
        )
    lines += ["", f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'matched':>9}{'exp':>6}{'pred':>6}"]
    for label, key in (("value", "value"), ("value+unit", "value_unit")):
        lines.append(_row(label, fig[key]))
    lines += ["", "per unit family (quantulum's unit; unmatched claims by their own unit):"]
    lines.append(
        f"{'':14}{'value P/R/F1':>20}{'pred':>6}   {'value+unit P/R/F1':>20}{'pred':>6}{'exp':>6}"
    )
    for fam, sc in fig["families"].items():
        v, u = sc["value"], sc["value_unit"]
        lines.append(
            f"{fam:14}{_prf(v):>20}{v['predicted']:>6}   {_prf(u):>20}{u['predicted']:>6}"
            f"{v['expected']:>6}"
        )
    for title, key in (("misses", "misses"), ("false positives", "false_positives")):
        lines += ["", f"most common {title} (value+unit level):"]
        for group in fig[key]:
            lines.append(f"  {group['count']:3}  {group['pattern']}")
            for ex in group["examples"]:
                lines.append(f"         req: {_cut(ex['req'])}")
                lines.append(f"         expected: {_cut(ex['expected'])}")
                lines.append(f"         got: {_cut(ex['got'])}")
    return "\n".join(lines)


def _row(label: str, s: dict[str, Any]) -> str:
    return (
        f"{label:14}{100 * s['precision']:7.1f}{100 * s['recall']:7.1f}{100 * s['f1']:7.1f}"
        f"{s['matched']:>9}{s['expected']:>6}{s['predicted']:>6}"
    )


def _prf(s: dict[str, Any]) -> str:
    return f"{100 * s['precision']:5.1f}/{100 * s['recall']:5.1f}/{100 * s['f1']:5.1f}"


def _cut(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _num(x: float) -> str:
    return f"{x:g}"


@cache
def _registry() -> Any:
    """Build pint's registry once, only when a unit needs converting."""
    import pint

    return pint.UnitRegistry()


def _pint_name(unit: str) -> str:
    """Spell our unit names as pint expressions ("square_kilometer" -> kilometer**2)."""
    for prefix, power in (("square_", 2), ("cubic_", 3)):
        if unit.startswith(prefix):
            return f"({unit[len(prefix) :]})**{power}"
    return unit


def _pint_convert(exp: Expected, target: str | None) -> float | None:
    """Return the expected value in `target` via pint, or None when not convertible."""
    if exp.mapped is None:
        return None
    source, factor = exp.mapped
    if (
        source is None or target is None or source == target or source.isupper() or target.isupper()
    ):  # ISO currency codes
        return None
    try:
        ureg = _registry()
        quantity = ureg.Quantity(exp.value * factor, _pint_name(source))
        return float(quantity.to(_pint_name(target)).magnitude)
    except Exception:  # pint raises many kinds for unknown or incompatible units
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--limit", type=int, help="score only the first N sentences")
    ap.add_argument("--show-misses", type=int, default=15, metavar="N", help="error patterns")
    ap.add_argument("--cache-dir", type=Path, help="keep and reuse the downloaded wheel here")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if args.cache_dir is not None:
        cases = load_cases(fetch_wheel(args.cache_dir))
    else:
        with tempfile.TemporaryDirectory(prefix="quantulum3-") as tmp:
            cases = load_cases(fetch_wheel(Path(tmp)))
    if args.limit is not None:
        cases = cases[: args.limit]
    fig = figures([run_case(c) for c in cases], args.show_misses)
    print(json.dumps(fig, indent=2, ensure_ascii=False) if args.json else render(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
