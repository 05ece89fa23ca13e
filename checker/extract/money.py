"""Read amounts of money around a figure: currency signs, codes and names, and rates.

The number finder reads the figure ("7.5bn", "900 million"); this module decides
whether the figure is money and in which currency, from what stands right before it
("$", "KSh", "USD") or right after it ("dollars", "Kenyan shillings", "EUR", "€").
Every form comes from `checker/lexicon/currencies.toml`.

Policy for forms several currencies share ("$", "pounds", "shillings", "kr"): each
belongs to a family in the lexicon with a default code, or none (ambiguous, code
`None`). A document settles a family by naming exactly one of its members in an
unambiguous form ("A$5m" makes every bare "$" in it AUD); `currency_defaults` reads that
once per document. "pounds" is money only in money context ("fined 200 pounds"), never
before "of" without a magnitude ("200 pounds of flour"). Nothing is converted unless
the caller passes a rates table to `convert`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from checker.lexicon import load
from checker.text import PhraseTable, Token, alternation, ascii_folded, normalise_word, tokenize

__all__ = [
    "DocumentCurrencies",
    "MoneyMatch",
    "convert",
    "currency_defaults",
    "money_around",
    "prefix_start",
]


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    """An amount of money around a figure, by code-point offsets into the text.

    `start`/`end` cover the whole expression: sign or code, figure, magnitude and
    currency name ("KSh 346 billion", "900 million Kenyan shillings"). `code` is the ISO
    4217 code, `None` when the currency is ambiguous. `multiplier` is a magnitude this
    module read and the figure did not include ("$8.2-billion" -> 1e9), else 1.
    `per` names the units of a rate after the amount ("$12 per user per month" ->
    ("user", "month")) and `rate_end` is where that rate ends (`end` when there is none).
    `family` names the shared form's family ("dollar" for "$") when the code came from
    a default rather than from the text itself.
    """

    start: int
    end: int
    code: str | None
    multiplier: float = 1.0
    per: tuple[str, ...] = ()
    rate_end: int = -1
    family: str | None = None

    def __post_init__(self) -> None:
        if self.rate_end < 0:
            object.__setattr__(self, "rate_end", self.end)
        if not 0 <= self.start <= self.end <= self.rate_end:
            raise ValueError(f"bad money span [{self.start}, {self.end}, {self.rate_end})")

    @property
    def ambiguous(self) -> bool:
        """Return whether the currency is unknown."""
        return self.code is None


# -- the lexicon, compiled once ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    before_map: dict[str, str]  # sign, prefix or code -> code ("" when ambiguous)
    before_lengths: tuple[int, ...]  # longest first
    before_ends: frozenset[str]  # the last characters of those forms
    after_signs: tuple[tuple[str, str], ...]  # signs that may follow the figure, longest first
    after_sign_starts: frozenset[str]  # their first characters
    member_forms: re.Pattern[str]  # unshared forms of the families' members
    after_exact: dict[str, str]  # signs, prefixes and codes that may follow the figure
    tight: frozenset[str]
    words: PhraseTable  # currency names -> key into word_codes
    word_codes: dict[str, str]
    family_of: dict[str, str]  # shared form -> family
    family_default: dict[str, str]
    family_members: dict[str, frozenset[str]]
    needs_context: frozenset[str]
    not_before: frozenset[str]
    money_words: frozenset[str]
    weight_words: frozenset[str]
    rate_words: frozenset[str]
    rate_aliases: dict[str, str]


_MAGNITUDES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
}
# Magnitude words on a figure that make an ambiguous word ("pounds") money.
_BIG = frozenset({"m", "b", "million", "billion", "trillion", "mn", "mln", "bn", "bln", "tn"})
_BIG |= frozenset({"lakh", "lakhs", "crore", "crores", "cr"})
_HYPHENS = "-\u2010\u2011"
_SPACES = " \u00a0\u202f"
_HYPHEN_MAGNITUDE = re.compile(r"[-\u2010\u2011]([A-Za-z]+)\b")
_DIGITS_ONLY = re.compile(r"[0-9][0-9.,]*")
_MAX_RATES = 3
# Words either side of a figure that count as its context ("fined 200 pounds").
_CONTEXT = 25


@cache
def _lexicon() -> _Lexicon:
    lex: dict[str, Any] = load("currencies")
    signs: dict[str, str] = dict(lex["symbols"])
    prefixes: dict[str, str] = dict(lex["prefixes"])
    codes = {code: code for code in lex["codes"]["list"]}
    rules = lex["rules"]
    tight = frozenset(rules["tight_only"])
    before = {**codes, **prefixes, **signs}
    after_exact = {k: v for k, v in before.items() if k not in tight}
    family_of: dict[str, str] = {}
    family_default: dict[str, str] = {}
    family_members: dict[str, frozenset[str]] = {}
    # Keys end in ":" so that PhraseTable, which also reads its keys as forms, never
    # takes a lower-case code for a word ("5 try" is no Turkish lira).
    word_table: dict[str, Sequence[str]] = {f"{c}:": list(f) for c, f in lex["words"].items()}
    word_codes = {f"{code}:": code for code in lex["words"]}
    for name, spec in lex["families"].items():
        family_default[name] = spec["default"]
        family_members[name] = frozenset(spec["members"])
        for form in spec["forms"]:
            family_of[form] = name
            if form in before:
                continue
            key = normalise_word(form)
            family_of[key] = name
            if not any(key in (normalise_word(f) for f in forms) for forms in word_table.values()):
                # A shared name with no default reading: its own key, ambiguous.
                word_table[f"{key}?"] = [form]
                word_codes[f"{key}?"] = spec["default"]
    context = lex["context"]
    return _Lexicon(
        before_map=before,
        before_lengths=tuple(sorted({len(f) for f in before}, reverse=True)),
        before_ends=frozenset(f[-1] for f in before if f),
        after_signs=tuple(
            sorted(
                ((f, c) for f, c in after_exact.items() if not f[0].isalpha()),
                key=lambda fc: -len(fc[0]),
            )
        ),
        after_sign_starts=frozenset(f[0] for f in after_exact if not f[0].isalpha()),
        member_forms=_forms_pattern(
            f
            for f, c in before.items()
            if f not in family_of and any(c in m for m in family_members.values())
        ),
        after_exact=after_exact,
        tight=tight,
        words=PhraseTable(word_table),
        word_codes=word_codes,
        family_of=family_of,
        family_default=family_default,
        family_members=family_members,
        needs_context=frozenset(normalise_word(w) for w in rules["needs_context"]),
        not_before=frozenset(rules["not_before"]),
        money_words=frozenset(normalise_word(w) for w in context["money"]),
        weight_words=frozenset(normalise_word(w) for w in context["weight"]),
        rate_words=frozenset(lex["rates"]["after_article"]),
        rate_aliases=dict(lex["rates"]["aliases"]),
    )


def _forms_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    """Compile forms into one pattern, longest first, each bounded where it has letters.

    Forms are grouped by where they need a word boundary, and the groups tried in a
    fixed order. Every alternative of the pattern starts with one literal character
    and checks the boundary before it only then: a pattern that opens with literals
    lets the engine skip to the characters that can start a form (mostly capitals and
    signs), ten times faster on long documents than testing a boundary everywhere.
    """
    groups: dict[tuple[bool, bool], list[str]] = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        groups.setdefault((form[0].isalpha(), form[-1].isalpha()), []).append(form)
    parts = []
    for (starts_alpha, ends_alpha), group in sorted(groups.items(), reverse=True):
        tails: dict[str, list[str]] = {}
        for form in group:
            tails.setdefault(form[0], []).append(form[1:])
        for first, rests in sorted(tails.items()):
            # After the first character: the one before it must not be a letter or digit.
            before = r"(?<![^\W_][\s\S])" if starts_alpha else ""
            after = r"(?![^\W\d_])" if ends_alpha else ""
            parts.append(f"{re.escape(first)}{before}(?:{alternation(rests)}){after}")
    return re.compile("|".join(parts) or "(?!)")


# -- reading one amount -----------------------------------------------------------------


def money_around(
    text: str,
    tokens: Sequence[Token],
    fig_start: int,
    fig_end: int,
    *,
    defaults: Mapping[str, str | None] | None = None,
) -> MoneyMatch | None:
    """Return the amount of money the figure text[fig_start:fig_end] states, if it is one.

    `tokens` are the tokens around the figure (its sentence); `defaults` maps a family
    ("dollar") to the code a document settled it to (see `currency_defaults`).
    """
    if not 0 <= fig_start < fig_end <= len(text):
        return None
    lex = _lexicon()
    body_end, multiplier = _hyphen_magnitude(text, fig_start, fig_end)
    start, code, form = _before(text, fig_start, lex)
    end = body_end
    if form is None:
        after = _after(text, tokens, fig_start, body_end, multiplier, lex)
        if after is None:
            return None
        end, code, form = after
    family = lex.family_of.get(form) or lex.family_of.get(normalise_word(form))
    if family is not None:
        code = lex.family_default[family]
        if defaults is not None and family in defaults:
            code = defaults[family] or ""
    per, rate_end = _rates(text, tokens, end, lex)
    return MoneyMatch(
        start=start,
        end=end,
        code=code or None,
        multiplier=multiplier,
        per=per,
        rate_end=rate_end,
        family=family,
    )


def prefix_start(text: str, fig_start: int) -> int | None:
    """Return where a currency sign, prefix or code right before a figure starts.

    For a figure the number finder marks `attached` because letters touch it
    ("KSh346bn", "R500", "USD5m"): such a figure is money, not part of a name.
    """
    if not 0 < fig_start <= len(text):
        return None
    start, _, form = _before(text, fig_start, _lexicon())
    return start if form is not None else None


def _hyphen_magnitude(text: str, fig_start: int, fig_end: int) -> tuple[int, float]:
    """Read a magnitude joined by a hyphen to digits ("8.2-billion"): (end, multiplier)."""
    if not _DIGITS_ONLY.fullmatch(text, fig_start, fig_end):
        return fig_end, 1.0
    m = _HYPHEN_MAGNITUDE.match(text, fig_end)
    if m is None or m.group(1).lower() not in _MAGNITUDES:
        return fig_end, 1.0
    return m.end(), _MAGNITUDES[m.group(1).lower()]


def _before(text: str, fig_start: int, lex: _Lexicon) -> tuple[int, str, str | None]:
    """Return (start, code, form) of a sign, prefix or code right before the figure."""
    spaced = fig_start > 0 and text[fig_start - 1] in _SPACES
    # Every form ends in one of a few characters: most figures have none before them.
    if not (
        (fig_start > 0 and text[fig_start - 1] in lex.before_ends)
        or (spaced and fig_start > 1 and text[fig_start - 2] in lex.before_ends)
    ):
        return fig_start, "", None
    for length in lex.before_lengths:
        for gap in (0, 1) if spaced else (0,):
            first = fig_start - gap - length
            form = text[first : fig_start - gap] if first >= 0 else ""
            code = lex.before_map.get(form)
            if code is None or (gap and form in lex.tight):
                continue
            previous = text[first - 1] if first > 0 else " "
            if form[0].isalpha() and previous.isalnum():
                continue  # the tail of a word ("hours 5"), not "Rs 5"
            if previous.isdigit():
                continue
            return first, code, form
    return fig_start, "", None


# A key for bisecting tokens by where they start (attrgetter calls no Python code).
_start = attrgetter("start")


def _token_after(tokens: Sequence[Token], text: str, end: int, limit: int = 2) -> int | None:
    """Return the index of the token that starts within `limit` spaces after `end`."""
    k = bisect.bisect_left(tokens, end, key=_start)
    if k >= len(tokens):
        return None
    gap = text[end : tokens[k].start]
    if len(gap) > limit or gap.strip():
        return None
    return k


def _after(
    text: str,
    tokens: Sequence[Token],
    fig_start: int,
    end: int,
    multiplier: float,
    lex: _Lexicon,
) -> tuple[int, str, str] | None:
    """Return (end, code, form) of a currency written after the figure."""
    rest = text[end : end + 8]
    stripped = rest.lstrip(_SPACES)
    offset = end + len(rest) - len(stripped)
    if offset - end <= 1 and stripped[:1] in lex.after_sign_starts:
        for form, code in lex.after_signs:
            if not stripped.startswith(form):
                continue
            after = text[offset + len(form) : offset + len(form) + 1]
            if after.isdigit():
                continue  # the sign of the next figure ("5 $6")
            return offset + len(form), code, form
    k = _token_after(tokens, text, end)
    if k is None:
        return None
    tok = tokens[k]
    if tok.raw in lex.after_exact and tok.raw[0].isalpha():
        return tok.end, lex.after_exact[tok.raw], tok.raw
    hit = lex.words.match_at(tokens, k)
    if hit is None:
        return None
    key, n = hit
    stop = tokens[k + n - 1].end
    form = " ".join(t.low for t in tokens[k : k + n])
    if form in lex.needs_context and not _money_context(
        text, tokens, fig_start, end, k + n, multiplier, lex
    ):
        return None
    return stop, lex.word_codes[key], form


def _money_context(
    text: str,
    tokens: Sequence[Token],
    fig_start: int,
    fig_end: int,
    next_token: int,
    multiplier: float,
    lex: _Lexicon,
) -> bool:
    """Return whether an ambiguous unit word ("pounds") after a figure names money."""
    first = bisect.bisect_left(tokens, fig_start, key=_start)
    if multiplier > 1 or any(t.low in _BIG for t in tokens[first:next_token]):
        return True
    if next_token < len(tokens) and tokens[next_token].low in lex.not_before:
        return False
    near = tokens[max(0, first - _CONTEXT) : next_token + _CONTEXT]
    lows = {t.low for t in near}
    if lows & lex.weight_words:
        return False
    window = text[max(0, near[0].start - 1) : near[-1].end] if near else ""
    return bool(lows & lex.money_words) or "£" in window


def _rates(
    text: str, tokens: Sequence[Token], end: int, lex: _Lexicon
) -> tuple[tuple[str, ...], int]:
    """Read "per user per month", "a gallon", "/month" after an amount."""
    per: list[str] = []
    stop = end
    for _ in range(_MAX_RATES):
        gap = text[stop : stop + 3]
        if gap[:1] == "/" or gap.lstrip(_SPACES)[:1] == "/":
            slash = text.index("/", stop)
            k = _token_after(tokens, text, slash + 1, limit=1)
            if k is None or not tokens[k].raw[0].isalpha():
                break
            unit, stop = _rate_unit(text, tokens, k, lex)
            per.append(unit)
            continue
        k = _token_after(tokens, text, stop, limit=1)
        if k is None or k + 1 >= len(tokens) or tokens[k].low not in ("per", "a", "an"):
            break
        nxt = _token_after(tokens, text, tokens[k].end, limit=1)
        if nxt is None or not tokens[nxt].raw[0].isalpha() or tokens[nxt].low == "cent":
            break
        unit, unit_end = _rate_unit(text, tokens, nxt, lex)
        if tokens[k].low != "per" and unit not in lex.rate_words:
            break
        per.append(unit)
        stop = unit_end
    return tuple(per), stop


def _rate_unit(text: str, tokens: Sequence[Token], k: int, lex: _Lexicon) -> tuple[str, int]:
    """Return the normalised unit at token k ("kilowatt-hour" joined) and where it ends."""
    tok = tokens[k]
    word, end = tok.low, tok.end
    if (
        k + 1 < len(tokens)
        and tokens[k + 1].start == end + 1
        and text[end] in _HYPHENS
        and tokens[k + 1].raw[0].isalpha()
    ):
        word, end = f"{word}-{tokens[k + 1].low}", tokens[k + 1].end
    return lex.rate_aliases.get(word, word), end


# -- documents and rates ----------------------------------------------------------------


class DocumentCurrencies(Mapping[str, str | None]):
    """The currencies a document settles (see `currency_defaults`), read on first use.

    Most figures are not money in a shared form ("$", "pounds"), and a document whose
    figures never are is never scanned.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._settled: dict[str, str | None] | None = None

    def _table(self) -> dict[str, str | None]:
        if self._settled is None:
            self._settled = currency_defaults(self._text)
        return self._settled

    def __getitem__(self, family: str) -> str | None:
        return self._table()[family]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


def currency_defaults(text: str) -> dict[str, str | None]:
    """Return the families a document settles: family -> code, or None if it names several.

    A family the document does not settle is left out, so its lexicon default applies.
    """
    lex = _lexicon()
    seen: dict[str, set[str]] = {}

    def note(code: str) -> None:
        for family, members in lex.family_members.items():
            if code in members:
                seen.setdefault(family, set()).add(code)

    for m in lex.member_forms.finditer(text):
        note(lex.before_map[m.group()])
    # Read currency words only where one can start, not by tokenising the whole text.
    for start in _member_word_starts(text):
        tokens = tokenize(text, start, min(len(text), start + _WORD_WINDOW))
        hit = lex.words.match_at(tokens, 0)
        if hit is None:
            continue
        key, n = hit
        form = " ".join(t.low for t in tokens[:n])
        code = lex.word_codes[key]
        if code and form not in lex.family_of:
            note(code)
    return _settled(seen)


def _settled(seen: Mapping[str, set[str]]) -> dict[str, str | None]:
    return {
        family: (next(iter(codes)) if len(codes) == 1 else None) for family, codes in seen.items()
    }


# Characters after a currency word's first word that hold the rest of its longest form.
_WORD_WINDOW = 48


@cache
def _member_firsts() -> frozenset[str]:
    """Return the first word of every currency word that names a family member."""
    lex = _lexicon()
    members = set().union(*lex.family_members.values())
    return frozenset(
        words[0].lower()
        for key, code in lex.word_codes.items()
        if code in members
        for words in lex.words.forms_of(key)
        if words[0]
    )


@cache
def _member_words() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Return patterns for the first word of every currency word that names a family
    member: one ignoring case, and one for `ascii_folded` text when the words allow."""
    firsts = _member_firsts()
    # Words that match at one position are prefixes of each other: the trie (longest
    # first) finds the same starts as the list of words longest first.
    body = r"(?<![^\W_])(?:" + alternation(firsts) + ")"
    ascii_words = all(w.isascii() for w in firsts)
    return re.compile(body, re.IGNORECASE), re.compile(body) if ascii_words else None


@cache
def _member_heads() -> tuple[
    tuple[re.Pattern[str], re.Pattern[str]], tuple[re.Pattern[str], re.Pattern[str]] | None
]:
    """Return (at the text's start, after a boundary) patterns for the same words as
    `_member_words`, ignoring case and for folded text (None where that has none).

    `_member_words` tests its lookbehind at every character; these open with the
    character before the word, so the engine skips letters and digits in C and tries
    only after a space or a sign: several times faster on a document.
    """
    trie = alternation(_member_firsts())
    anycase = (re.compile(trie, re.IGNORECASE), re.compile(rf"[\W_](?=({trie}))", re.IGNORECASE))
    lower_case = (re.compile(trie), re.compile(rf"[\W_](?=({trie}))"))
    return anycase, lower_case if _member_words()[1] is not None else None


def _member_word_starts(text: str) -> Iterator[int]:
    """Yield where `currency_defaults` reads a currency word: the starts of
    `_member_words()`'s matches (on `ascii_folded` text when it has a pattern for it)."""
    anycase, lower_case = _member_heads()
    folded = ascii_folded(text) if lower_case is not None else None
    subject, (at_start, after) = (
        (folded, lower_case) if lower_case is not None and folded is not None else (text, anycase)
    )
    # finditer does not look for a match inside the one before: neither does this.
    end = 0
    first = at_start.match(subject)
    if first is not None:
        yield 0
        end = first.end()
    for m in after.finditer(subject):
        if m.start(1) >= end:
            yield m.start(1)
            end = m.end(1)


def convert(amount: float, code: str, rates: Mapping[str, float], to: str) -> float | None:
    """Return `amount` in `code` converted to `to`, or None when a rate is missing.

    `rates` gives the value of one unit of each currency in a common base (any one
    currency, or a basket); no conversion happens unless the caller supplies it.
    """
    if code == to:
        return amount
    if code not in rates or to not in rates or rates[to] == 0:
        return None
    return amount * rates[code] / rates[to]
