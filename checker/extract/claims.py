"""Turn one document into claims: every measurable statement with its subject.

Pure and per-document, so it can run in any worker. The order of work within a
sentence: find the time expressions (they give other claims their event time), then
read each number with its unit, approximator, subject and attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import compress, islice, repeat
from operator import attrgetter, itemgetter

from checker import units
from checker.extract import money, shares, timex
from checker.extract.approximators import Rule, approximator_before
from checker.extract.attribution import (
    PASSIVE_AUXILIARIES,
    attribution_for,
    reporting_verbs,
    spoken_times,
)
from checker.extract.dates import DateMatch, find_dates
from checker.extract.markdown import Block, cell_subject, context_of, markdown_blocks
from checker.extract.numbers import NUMBER_TRIGGERS, NumberMatch, find_numbers, may_hold_numbers
from checker.extract.sentences import document_sentences
from checker.extract.subject import (
    ECHOES,
    event_participant,
    events_in,
    find_event,
    implied_role,
    keywords,
    nearest_event,
    noun_phrase,
    place_near,
    role_near,
    thing_length,
    thing_starters,
)
from checker.lexicon import load
from checker.model import (
    Claim,
    DateRange,
    Diagnostic,
    Document,
    Interval,
    Kind,
    Severity,
    Span,
    Subject,
    TimeRef,
    naming_year,
)
from checker.text import (
    Token,
    WordTrigger,
    ascii_folded,
    content_stems,
    non_ascii_characters,
    phrase_table,
    tokenize,
    word_set,
)

# A date after one of these bounds an event rather than dating it ("before 2020").
# "since 2016" and "from 2016" date a beginning, so they stay claims.
_BOUND_WORDS = frozenset({"before", "after", "until", "till", "by", "between", "through"})
_RANGE_JOINERS = frozenset({"to", "-", "–", "—", "and"})
_EVENT_CLAUSE = 10
_NP_WORDS = 4
# Words that stand for a figure already given, and how far back (in characters) it may be.
_RETOLD = frozenset({"figure", "number", "total", "tally", "count", "toll"})
_RETOLD_CHARS = 600
# Two figures within this factor of each other may retell one count.
_RETOLD_FACTOR = 10.0
# How many lower-case words may stand between an owner's name and its figure.
_ACTOR_GAP = 3
# How many words from a measure its role may stand ("burned 11,000 hectares").
_MEASURE_REACH = 4
# What may stand between the two figures of a range: the first figure's unit, repeated
# after the second, then the joiner.
_RANGE_GAP = re.compile(
    r"(?P<unit>[ \-]?[^\s\d\-][^\s\d]{0,12}(?: [^\W\d]{1,12})?)?[ \-]*(?P<joiner>to|and|-|–|—) ?"
)
_PAIR = re.compile(r"(?<![\d.,])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d.,])")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_CLAUSE_MARK = re.compile(r"[,;:()\u2013\u2014]| - ")
_INHERIT_SENTENCES = 4
# The articles that count a unit as one ("a decade", "an hour ago").
_ARTICLES = frozenset({"a", "an"})
# Modifiers that name whose a figure is ("by liberal forum").
_OWNER_PREFIX = "by "
# A clause opened by these belongs to the name just before its comma ("..., which won").
_RELATIVE_OPENERS = frozenset({"which", "who", "whose"})
# A clause opened by these belongs to the sentence's subject ("..., with 14 seats").
_ACCOMPANYING_OPENERS = frozenset({"with"})
# A clause opened by these is dated by a time set off right after it.
_TIME_CLAUSE_OPENERS = frozenset({"when", "after", "before", "since", "as", "while", "until"})
# How many words before a figure an "it" may stand for an earlier figure's subject.
_PRONOUN_REACH = 3
# How many words before a date its phase verb may stand ("ended late on 10 May").
_PHASE_REACH = 6
_END_PHASE = "ended"
# "three more", "another 40", "12 new": a figure added to a total, not the total.
_INCREMENT_AFTER = frozenset({"more", "further", "additional", "new", "extra"})
_INCREMENT_BEFORE = frozenset({"another", "further", "additional"})
# How many words from an event word a time may stand to date it ("Monday's train derailment").
_EVENT_TIME_REACH = 3
# "90 of them": the figure is a part of one given before.
_PARTITIVE_PRONOUNS = frozenset({"them", "those", "these", "whom", "which", "us"})
# An event time this many days before publication is a past event's ("in 2011").
_PAST_DAYS = 365


@dataclass(frozen=True, slots=True)
class Extraction:
    """The claims of one document and what looked like a claim but could not be read."""

    claims: tuple[Claim, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Options:
    """Choices the user makes about reading: the day/month order of "3/1/2020"."""

    day_first: bool | None = None


@dataclass(slots=True)
class _Figure:
    """A number as found, before it becomes a claim (mutable while being read)."""

    start: int
    end: int
    low: float
    high: float | None
    nominal: float | None
    round_zeros: int
    vague: bool
    # Set when the figure was converted to another unit: its rounding slack, in that unit.
    converted_slack: float | None = None


@dataclass(slots=True)
class _DocState:
    """What earlier sentences said that later ones refer back to ("the attack")."""

    event_times: dict[str, tuple[int, timex.EventTime]] = field(default_factory=dict)
    text: str = ""
    _currency: money.DocumentCurrencies | None = None

    @property
    def currency(self) -> money.DocumentCurrencies:
        """Return the currencies the document settles ("A$" makes "$" Australian), once."""
        if self._currency is None:
            self._currency = money.DocumentCurrencies(self.text)
        return self._currency

    claims: list[Claim] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def extract(doc: Document, options: Options | None = None) -> Extraction:
    """Return every claim in the document, in text order."""
    opts = options or Options()
    state = _DocState(text=doc.text)
    blocks = markdown_blocks(doc)
    trigger = _trigger()
    sentences = document_sentences(doc.text, doc.skipped)
    # A text with no other decimal digit has only ASCII ones: then a sentence's figures
    # say whether it holds one, and they are counted as ASCII digits (faster).
    ascii_digits = not any(map(str.isdecimal, non_ascii_characters(doc.text)))
    figures = _figure_counts(doc.text, sentences, ascii_digits=ascii_digits)
    data_runs = _data_runs(doc.text, sentences, figures)
    skipped = {i for first, last in data_runs for i in range(first, last + 1)}
    folded = ascii_folded(doc.text)
    digit = _ASCII_DIGIT.search
    for index, (start, end) in enumerate(sentences):
        if index in skipped:
            continue
        # Most sentences that hold anything hold a digit, which every hint lets through
        # and the engine finds far faster than a word; the rest hold no figure, date or
        # time word at all and are skipped cheaply.
        digits = figures[index] > 0 if ascii_digits else digit(doc.text, start, end) is not None
        if not digits and not trigger.found(doc.text, folded, start, end):
            continue
        _Sentence(doc, opts, state, index, start, end, blocks, folded, digits=digits).read()
    if data_runs:
        spans = [(sentences[first][0], sentences[last][1]) for first, last in data_runs]
        state.diagnostics.append(_data_run_note(doc, spans))
    return Extraction(tuple(state.claims), tuple(state.diagnostics))


# Consecutive sentences with more figures than words are a list of numbers, not prose:
# a careful editor would not read "12 15 18 20 …" or a hundred rows of bare figures as
# claims, and reading each figure's context where there are thousands makes hostile
# text many times slower to extract than prose. A short list or a small table is
# below both thresholds and is read as usual.
_DATA_RUN_CHARS = 400
_DATA_RUN_FIGURES = 40
_FIGURE = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{2,}")


_ASCII_DIGIT = re.compile(r"[0-9]")
_ASCII_FIGURE = re.compile(r"[0-9]+")
_FIRST, _LAST = itemgetter(0), itemgetter(1)


def _data_runs(
    text: str, sentences: Sequence[tuple[int, int]], counts: Sequence[int] | None = None
) -> list[tuple[int, int]]:
    """Return the (first, last) sentence indexes of every run of figure-heavy sentences.

    `counts`: `_figure_counts(text, sentences)`, when the caller has them.
    """
    runs: list[tuple[int, int]] = []
    if counts is None:
        counts = _figure_counts(text, sentences)
    first = last = -1
    figures = 0
    for index in compress(range(len(counts)), counts):
        count = counts[index]
        # More figures than words: no count-th word. Most sentences hold a figure or two,
        # so the search stops after a word or two instead of reading every word.
        start, end = sentences[index]
        if next(islice(_WORD.finditer(text, start, end), count - 1, None), None) is not None:
            continue
        if first < 0 or index != last + 1:
            _close_run(runs, sentences, first, last, figures)
            first, figures = index, 0
        figures += count
        last = index
    _close_run(runs, sentences, first, last, figures)
    return runs


def _figure_counts(
    text: str, sentences: Sequence[tuple[int, int]], *, ascii_digits: bool = False
) -> list[int]:
    """Return `len(_FIGURE.findall(text, start, end))` for each sentence, counted inside
    the interpreter's own loops. `ascii_digits`: the text's decimal digits are all ASCII,
    which the engine tells apart faster than any decimal digit."""
    figure = _ASCII_FIGURE if ascii_digits else _FIGURE
    starts, ends = map(_FIRST, sentences), map(_LAST, sentences)
    return list(map(len, map(figure.findall, repeat(text), starts, ends)))


def _close_run(
    runs: list[tuple[int, int]],
    sentences: Sequence[tuple[int, int]],
    first: int,
    last: int,
    figures: int,
) -> None:
    """Keep the heavy sentences first..last as a run if they are long enough."""
    if first < 0:
        return
    chars = sentences[last][1] - sentences[first][0]
    if chars >= _DATA_RUN_CHARS and figures >= _DATA_RUN_FIGURES:
        runs.append((first, last))


def _data_run_note(doc: Document, runs: Sequence[tuple[int, int]]) -> Diagnostic:
    chars = sum(end - start for start, end in runs)
    line = doc.line_col(runs[0][0])[0]
    where = f"{len(runs)} passages" if len(runs) > 1 else "a passage"
    return Diagnostic(
        doc.path,
        Severity.NOTE,
        "extract.data-run",
        f"{where} of {chars:,} characters with more figures than words (from line {line}) "
        "not read for claims: a list of numbers, not sentences",
        line,
    )


class _Sentence:
    """Reads the claims of one sentence."""

    # Slots and plain lazy attributes rather than `cached_property`: tens of thousands
    # of sentences are built per corpus, and in Python 3.11 `cached_property` takes a
    # lock on every first read.
    __slots__ = (
        "_breaks",
        "_event_marks",
        "_games",
        "_reporting",
        "_times",
        "attribution_cache",
        "blocks",
        "dates",
        "doc",
        "index",
        "last_phrase_end",
        "lows",
        "number_hint",
        "numbers",
        "positions",
        "span",
        "starts",
        "state",
        "text",
        "tokens",
    )

    def __init__(
        self,
        doc: Document,
        opts: Options,
        state: _DocState,
        index: int,
        start: int,
        end: int,
        blocks: Sequence[Block] = (),
        folded: str | None = None,
        *,
        digits: bool = False,
    ):
        """`digits`: the caller found an ASCII digit in the sentence, which both the
        date hint and `may_hold_numbers` let through: neither need look."""
        self.doc = doc
        self.blocks = blocks
        self.text = doc.text
        self.state = state
        self.index = index
        self.span = Span(doc.id, start, end)
        self.tokens = tokenize(doc.text, start, end)
        self.starts = list(map(_START, self.tokens))
        year = doc.published.latest.year if doc.published else None
        # Every date form has a digit or a month's name: skip the date patterns otherwise.
        self.dates = (
            find_dates(doc.text, start, end, default_year=year, day_first=opts.day_first)
            if digits or _date_hint().found(doc.text, folded, start, end)
            else []
        )
        self.number_hint = digits or may_hold_numbers(doc.text, folded, start, end)
        self.numbers = find_numbers(doc.text, start, end) if self.number_hint else []
        self.lows = set(map(_LOW, self.tokens))
        self._times: timex.Times | None = None
        self._event_marks: timex.Times | None = None
        self.attribution_cache: dict[int, str | None] = {}
        self.last_phrase_end = 0  # token index where the last count's noun phrase ended
        self.positions: dict[int, int] = {}  # id of a figure -> its index in the sentence
        self._reporting: list[int] | None = None
        self._breaks: tuple[int, ...] | None = None
        self._games: bool | None = None

    @property
    def times(self) -> timex.Times:
        """Return the sentence's time expressions, read the first time a claim asks: a
        sentence with no time word and no claim never needs them."""
        if self._times is None:
            self._times = timex.time_expressions(self.doc, self.tokens, self.dates, self.lows)
        return self._times

    @property
    def event_marks(self) -> timex.Times:
        """Return the sentence's times that can date an event: not the day a source
        spoke ("killed 12 people, the board said on Thursday")."""
        if self._event_marks is None:
            times = self.times
            spoken = (
                spoken_times(self.text, self.tokens, [m for m, _ in times.marks])
                if times.marks and not _speech_verbs().isdisjoint(self.lows)
                else frozenset()
            )
            self._event_marks = times.without(spoken) if spoken else times
        return self._event_marks

    # -- helpers ---------------------------------------------------------------------
    def token_at(self, offset: int) -> int:
        """Return the index of the first token starting at or after `offset`."""
        return bisect_left(self.starts, offset)

    def block_at(self, offset: int) -> Block | None:
        """Return the markdown block (table cell, list item, heading) holding an offset."""
        return context_of(self.blocks, offset) if self.blocks else None

    def add(
        self, start: int, end: int, kind: Kind, value: Interval, subject: Subject, **extra: object
    ) -> None:
        subject = _in_block(subject, self.block_at(start))
        claim = Claim(
            id=f"{self.doc.id}#{len(self.state.claims) + 1}",
            span=Span(self.doc.id, start, end),
            text=self.text[start:end],
            kind=kind,
            value=value,
            subject=subject,
            sentence=self.span,
            attribution=self.attribution(start),
            as_of=self.doc.published,
            **extra,  # type: ignore[arg-type]
        )
        self.state.claims.append(claim)

    def attribution(self, offset: int) -> str | None:
        if not self.reporting:
            return None  # no reporting verb, no source: most sentences
        if offset not in self.attribution_cache:
            self.attribution_cache[offset] = attribution_for(
                self.text, self.tokens, self.token_at(offset), self.reporting
            )
        return self.attribution_cache[offset]

    @property
    def reporting(self) -> list[int]:
        """Return the indexes of the sentence's reporting verbs, found once per sentence."""
        if self._reporting is None:
            self._reporting = reporting_verbs(self.tokens, self.text)
        return self._reporting

    # -- reading -----------------------------------------------------------------------
    def read(self) -> None:
        if self.yields_nothing():
            return
        taken: list[tuple[int, int]] = []
        # Only a time unit ends a relative time ("four years ago", "a week later").
        for rel in self.times.relatives if not self.lows.isdisjoint(timex.unit_words()) else ():
            if rel.claim:
                self.relative_claim(rel)
            taken.append((rel.start, rel.end))
        # A share is read from the sentence's numbers: none, no share.
        for share in (
            shares.find_shares(self.text, self.tokens, self.numbers) if self.numbers else ()
        ):
            if not any(s < share.end and share.start < e for s, e in taken):
                taken.append((share.start, share.end))
                self.share_claim(share)
        for dm in self.dates:
            taken.append((dm.start, dm.end))
            self.date_claim(dm)
        if not self.lows.isdisjoint(timex.weekday_names()):
            self.weekday_claims()
        self.ambiguous_dates(taken)
        figures = self.figures(taken)
        if figures:
            self.read_figures(figures)

    def yields_nothing(self) -> bool:
        """Return True only if the sentence is sure to hold no claim and no diagnostic.

        Without a number or a date, only a weekday ("on Monday"), a unit counted by its
        article ("a decade", "a week ago") or a numeric date ("3/1/2020") can be read:
        most sentences a time word or "may" let through have none of them.
        """
        if self.number_hint or self.dates or not self.lows.isdisjoint(timex.weekday_names()):
            return False
        if not (self.lows.isdisjoint(timex.unit_words()) or self.lows.isdisjoint(_ARTICLES)):
            return False
        return self.text.find("/", self.span.start, self.span.end) < 0

    def ambiguous_dates(self, taken: list[tuple[int, int]]) -> None:
        """Note each "3/1/2020" whose day and month order nothing settled."""
        if self.text.find("/", self.span.start, self.span.end) < 0:
            return  # no slash, no numeric date: most sentences
        for m in _NUMERIC_DATE.finditer(self.text, self.span.start, self.span.end):
            if not any(s <= m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                self.state.diagnostics.append(
                    Diagnostic(
                        self.doc.path,
                        Severity.NOTE,
                        "extract.ambiguous-date",
                        f'ambiguous date "{m.group()}" not compared: '
                        "use --day-first or --month-first",
                        self.doc.line_col(m.start())[0],
                    )
                )

    def read_figures(self, figures: list[_Figure]) -> None:
        """Read each figure of the sentence, joining ranges and passing changes' old values."""
        # By identity: a sentence of thousands of figures ("1,1,1,…") must not search
        # the list for each one, and a merged range is none of them.
        self.positions = {id(f): i for i, f in enumerate(figures)}
        previous: Subject | None = None
        skip_until = -1
        for i, fig in enumerate(figures):
            if fig.start < skip_until:
                continue
            nxt = figures[i + 1] if i + 1 < len(figures) else None
            if nxt is not None and self.joins_range(fig, nxt):
                top = nxt.high if nxt.high is not None else nxt.low
                fig = _Figure(
                    fig.start,
                    nxt.end,
                    min(fig.low, nxt.low),
                    max(fig.high if fig.high is not None else fig.low, top),
                    None,
                    min(fig.round_zeros, nxt.round_zeros),
                    fig.vague or nxt.vague,
                )
                skip_until = nxt.end
            if self.is_change(fig):
                continue  # the old value of a change states nothing about today
            previous = self.figure_claim(fig, previous, figures) or previous

    def figures(self, taken: Sequence[tuple[int, int]]) -> list[_Figure]:
        """Return the numbers of the sentence that may be claims, with durations' articles."""
        # An article counts a unit ("a decade"): no unit, no article to read.
        articles = (
            [
                (start, end, value)
                for start, end, value in timex.article_durations(self.tokens)
                if not any(s < end and start < e for s, e in taken)
            ]
            if not self.lows.isdisjoint(timex.unit_words())
            else []
        )
        if not self.numbers and not articles:
            return []
        out = [_Figure(start, end, value, value, value, 0, False) for start, end, value in articles]
        # "half a century": the unit's article wins over the fraction "half".
        blocked = [*taken, *((s, e) for s, e, _ in articles)]
        for n in self.numbers:
            if blocked and any(s < n.end and n.start < e for s, e in blocked):
                continue
            if not self.is_claim_number(n):
                continue
            out.append(_Figure(n.start, n.end, n.low, n.high, n.value, n.round_zeros, n.vague))
        return sorted(out, key=_FIGURE_START)

    def is_claim_number(self, n: NumberMatch) -> bool:
        """Filter identifiers, times of day, labels and bare years out of the figures."""
        if n.attached and not self.attached_unit(n):
            return False
        text = self.text
        raw = text[n.start : n.end]
        # A bare four-digit year used as a modifier ("the 2019 census") is not a count.
        # (Every test here only reads: the cheapest come first.)
        if len(raw) == 4 and raw.isdigit() and 1800 <= int(raw) <= 2100:
            return False
        after = text[n.end : n.end + 2]
        if (n.start > self.span.start and text[n.start - 1] == ":") or (
            after[:1] == ":" and after[1:2].isdigit()
        ):
            return False  # a time of day or a reference ("Code : 1152650", "21:29")
        preceding, following = _nonclaim_words()
        tokens = self.tokens
        i = bisect_left(self.starts, n.start)
        prev = tokens[i - 1].low if i > 0 else ""
        if prev in preceding and prev != "number":
            return False
        j = bisect_left(self.starts, n.end)
        # A label may follow directly ("14 GMT") or close a name ("1050 Independence Avenue").
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].capitalised:
            if tokens[k].low in following:
                return False
            k += 1
        if j < len(tokens) and tokens[j].low in following:
            return False
        if raw[:1] == "0" and len(raw) > 1 and raw.isdigit():
            return False  # a code or a phone number's group ("0800")
        if self.in_score(n.start, n.end) or _in_digit_run(text, n.start, n.end):
            return False  # "0800 300 451": a phone number or a code, not three figures
        # "one of the groups", "one another": a pronoun, not a figure
        return raw.lower() != "one" or self.counts_something(j)

    def attached_unit(self, n: NumberMatch) -> bool:
        """Return whether digits touch a currency sign or a unit ("KSh346bn", "5km", "2GB")."""
        if money.prefix_start(self.text, n.start) is not None:
            return True
        j = self.token_at(n.end)
        return (
            j < len(self.tokens)
            and self.tokens[j].start == n.end
            and (units.unit_at(self.tokens, j, self.text) is not None)
        )

    def in_score(self, start: int, end: int) -> bool:
        """Return whether a figure is one side of a score ("won 3-1", "a 2-0 defeat").

        A pair whose second figure is the smaller cannot be a range; any pair is a score
        when the sentence speaks of games.
        """
        lo, hi = max(self.span.start, start - 8), min(self.span.end, end + 8)
        if self.text.find("-", lo, hi) < 0 and self.text.find("–", lo, hi) < 0:
            return False  # no dash, no pair: most figures
        for m in _PAIR.finditer(self.text, lo, hi):
            if not (m.start() <= start and end <= m.end()):
                continue
            first, second = int(m.group(1)), int(m.group(2))
            if second < first:
                return True
            return self.speaks_of_games
        return False

    @property
    def speaks_of_games(self) -> bool:
        """Return whether the sentence names a game; asked once, not once per figure."""
        if self._games is None:
            scores = word_set("nonclaims", "scores")
            self._games = any(t.low in scores for t in self.tokens)
        return self._games

    def counts_something(self, j: int) -> bool:
        """Return whether token j is a unit or a lexicon thing ("one soldier", "one year")."""
        if j >= len(self.tokens) or self.tokens[j].low == "of":
            return False
        return timex.duration_unit(self.tokens, j) is not None or thing_length(self.tokens, j) > 0

    def is_change(self, fig: _Figure) -> bool:
        """Return whether a figure is the old value of "raised from 2,000 to 3,000"."""
        i = self.token_at(fig.start)
        if i < 2 or self.tokens[i - 1].low != "from":
            return False
        return self.tokens[i - 2].low in word_set("subjects", "changes", "verbs")

    def joins_range(self, a: _Figure, b: _Figure) -> bool:
        """Return whether two figures form one range: "between 30 and 40", "30-40",
        "44 mg to 50 mg", "8- to 16-metre", "-18 °C to -34 °C"."""
        m = _RANGE_GAP.fullmatch(self.text, a.end, b.start)
        if m is None or a.high is None or self.is_change(a):
            return False
        unit = (m.group("unit") or "").strip(" -")
        after = b.end + (1 if self.text[b.end : b.end + 1] in (" ", "-") else 0)
        if unit and not self.text.startswith(unit, after):
            return False  # "5 km to 8 miles" is two figures, not a range
        joiner = m.group("joiner")
        if joiner == "and":
            i = self.token_at(a.start)
            return i > 0 and self.tokens[i - 1].low == "between"
        return joiner == "to" or a.low <= b.low

    # -- claims ------------------------------------------------------------------------
    def approximator(self, start: int) -> tuple[Rule | None, int]:
        """Return the approximator standing right before offset `start` and where it begins."""
        i = self.token_at(start)
        hit = approximator_before(self.tokens, i)
        if hit is None:
            return None, start
        rule, n = hit
        return rule, self.tokens[i - n].start

    def share_claim(self, share: shares.ShareMatch) -> None:
        """Record a share stated as a ratio or fraction ("one in five", "two-thirds of")."""
        fig = _Figure(share.start, share.end, share.low, share.high, share.nominal, 0, False)
        self.simple_claim(fig, Kind.PERCENT, share.unit, share.start, share.end)

    def figure_claim(
        self, fig: _Figure, previous: Subject | None, figures: Sequence[_Figure]
    ) -> Subject | None:
        """Read one figure as a duration, an amount of money, a share or a count."""
        block = self.block_at(fig.start)
        if block is not None and block.kind == "table-cell" and block.is_label:
            return previous  # a row label or column header ("2024", "Tier 2") names, not states
        j = self.token_at(fig.end)
        unit = timex.duration_unit(self.tokens, j)
        if unit is not None:
            self.duration_claim(fig, unit)
            return previous
        cash = money.money_around(
            self.text, self.tokens, fig.start, fig.end, defaults=self.state.currency
        )
        if cash is not None:
            if cash.multiplier != 1:  # "$8.2-billion": a magnitude the number reader left
                fig = _scaled(fig, cash.multiplier, 0.0)
            end = cash.rate_end if cash.rate_end >= 0 else cash.end
            self.simple_claim(fig, Kind.MONEY, cash.code, cash.start, end, per=cash.per)
            return previous
        if (pct := shares.percent_after(self.text, self.tokens, fig.end)) is not None:
            self.simple_claim(fig, Kind.PERCENT, pct[1], fig.start, pct[0])
            return previous
        # The quote covers a unit that follows the figure, not the words before a rate's
        # "per": "75 patients a day" is quoted "75" with the subject "patients per day".
        measure = units.unit_at(self.tokens, j, self.text)
        end = measure.end if measure is not None else fig.end
        measure = measure or units.rate_at(self.tokens, j, self.text)
        if measure is not None:
            scaled = _scaled(fig, measure.factor, measure.offset)
            self.simple_claim(scaled, Kind.QUANTITY, measure.unit, fig.start, end, per=measure.per)
            return previous
        return self.count_claim(fig, previous, figures)

    def value(self, fig: _Figure, rule: Rule | None, unit: str | None) -> Interval:
        low, high, low_open, high_open = fig.low, fig.high, False, False
        if rule is not None and not fig.vague:
            low, high, low_open, high_open = rule.apply(fig.low, fig.high)
        slack = fig.converted_slack if fig.converted_slack is not None else _slack(fig, rule)
        return Interval(low, high, unit, fig.nominal, low_open, high_open, slack)

    def neighbours(self, fig: _Figure, figures: Sequence[_Figure]) -> tuple[int, int]:
        """Return token indexes of the previous and next figure, bounding role search."""
        i = self.positions.get(id(fig), -1)
        left = self.token_at(figures[i - 1].end) if i > 0 else 0
        right = (
            self.token_at(figures[i + 1].start) if 0 <= i < len(figures) - 1 else len(self.tokens)
        )
        return left, right

    def count_claim(
        self, fig: _Figure, previous: Subject | None, figures: Sequence[_Figure]
    ) -> Subject | None:
        if fig.nominal is not None and not float(fig.nominal).is_integer():
            return previous  # "5.2 on Monday": a measure with no unit, not a count of things
        rule, start = self.approximator(fig.start)
        i, j = self.token_at(fig.start), self.token_at(fig.end)
        np = noun_phrase(self.text, self.tokens, j)
        left, right = self.neighbours(fig, figures)
        np_end = (
            j
            + len(np.words)
            + (1 if np.words and j < len(self.tokens) and self.tokens[j].low == "of" else 0)
        )
        thing, role, modifiers = np.thing, np.role, np.modifiers
        echo = j < len(self.tokens) and self.tokens[j].low in ECHOES
        inherited = self.subject_before(i) if not np.words and not echo else None
        retold = None
        if not np.words and inherited is None and previous is None:
            inherited = retold = self.figure_retold(i, fig.low)
        if not np.words:
            inherited = inherited or previous
            cell = self.block_at(fig.start)
            if inherited is None and cell is not None and cell.kind == "table-cell":
                inherited = Subject(text=cell_subject(cell))  # the row label is the noun
            if inherited is None:
                # "40 were hurt": no noun, but the role names what was counted.
                role = role_near(self.tokens, i, j, left, right)
                if role is None:
                    return previous
                inherited = Subject(text=role, role=role)
            # "nine people were killed and 31 were missing": a role stated right after
            # the figure's own verb is its role, whatever it echoes.
            own = self.role_after_figure(j, right)
            if own is not None and own != inherited.role:
                inherited = Subject(text=own, thing=inherited.thing, role=own)
            # An elided head ("... and some 900 in Syria") takes the whole subject of
            # the figure it echoes, its role included.
            thing, role, modifiers = inherited.thing, inherited.role, inherited.modifiers
            echoed = inherited.text.removesuffix(_place_suffix(inherited.place))
            np = replace(np, words=tuple(echoed.split()[:_NP_WORDS]))
            if echo:  # "killed three people and injured several others": its own role
                role = role_near(self.tokens, i, j + 1, left, right) or role
        else:
            role = role or role_near(self.tokens, i, np_end, left, right) or implied_role(np.words)
        clause_start = max(self.clause(fig.start, fig.end)[0], left)
        place = place_near(self.tokens, np_end, right, left=(clause_start, i))
        lo, hi = max(0, i - _EVENT_CLAUSE), min(len(self.tokens), np_end + _EVENT_CLAUSE)
        found = find_event(self.tokens[lo:hi], i - lo, np_end - lo)
        event = found[1] if found else None
        when = self.event_time(fig.start, event, found[0] + lo if found else None)
        words = [t.raw for t in self.tokens[j:np_end]] or list(np.words) or [thing or "items"]
        text = " ".join(words).strip(",.")
        own_words = bool(self.tokens[j:np_end])
        if role and role not in text.lower() and np.role is None and own_words:
            text = f"{text} {role}"
        if place:
            text += _place_suffix(place)
        subject = Subject(
            text=text,
            thing=thing,
            role=role,
            place=place,
            event=event,
            modifiers=_with_owner(modifiers, self.actor_before(self.token_at(start))),
            event_day=when.day if when else None,
            event_weekday=when.weekday if when else None,
            # A retold figure shares the context of the one it retells: one fact.
            keywords=retold.keywords if retold is not None else keywords(self.tokens[lo:hi]),
            part=self.partitive(j) or self.increment(i, j, role),
        )
        self.add(start, fig.end, Kind.COUNT, self.value(fig, rule, None), subject)
        self.last_phrase_end = np_end
        return subject

    def role_after_figure(self, j: int, right: int) -> str | None:
        """Return the role a figure's own words give it, right after it: a linking verb's
        ("31 were missing", "12 remain unaccounted for") or a role word's ("at least
        nine people dead and 14 unaccounted for"). None otherwise."""
        if j >= len(self.tokens):
            return None
        if self.tokens[j].low in word_set("subjects", "copulas"):
            return role_near(self.tokens, j, j + 1, j, min(right, j + 1 + _COPULA_REACH))
        return role_near(self.tokens, j, j, j, min(right, j + 1))

    def proper_name(self, lo: int, hi: int) -> Token | None:
        """Return the first name in tokens[lo:hi] that is neither a place nor a date word
        nor the capital that opens the sentence."""
        skip = _not_names()
        places = phrase_table("subjects", "places")
        for k in range(max(lo, 1), hi):
            tok = self.tokens[k]
            if tok.capitalised and tok.low.isalpha() and tok.low not in skip:
                return None if places.match_at(self.tokens, k) else tok
        return None

    def pronoun_echo(self, i: int, kind: Kind, unit: str | None) -> Subject | None:
        """Return the subject an "it" before the figure at token i stands for: the last
        figure of the same kind and unit in this sentence ("put it at 4.1 points")."""
        if not any(t.low == "it" for t in self.tokens[max(0, i - _PRONOUN_REACH) : i]):
            return None
        for claim in reversed(self.state.claims):
            if claim.sentence.start != self.span.start:
                return None
            if claim.kind is kind and claim.value.unit == unit:
                return claim.subject
        return None

    def increment(self, i: int, j: int, role: str | None) -> bool:
        """Return whether the figure at tokens[i:j] adds to a total rather than states
        it: "three more passengers died", "another 40 homes", "12 new cases".

        After figures of other roles only, the word sets the figure beside them, not on
        top of an earlier one: in "five people were killed and a further 20 injured" the
        20 are all the injured. With no earlier figure it stays an increment ("three
        more died, bringing the toll to 15").
        """
        after = self.tokens[j].low if j < len(self.tokens) else ""
        before = self.tokens[i - 1].low if i > 0 else ""
        if after not in _INCREMENT_AFTER and before not in _INCREMENT_BEFORE:
            return False
        roles = {
            c.subject.role
            for c in self.state.claims
            if c.kind is Kind.COUNT and c.subject.role is not None
        }
        return role is None or not roles or role in roles

    def partitive(self, j: int) -> bool:
        """Return whether the figure ending before token j is part of another figure: "90
        of them", "25 of the assembly's 60 seats", "three of the five victims"."""
        if j >= len(self.tokens) or self.tokens[j].low != "of":
            return False
        rest = self.tokens[j + 1 : j + 4]
        if rest and rest[0].low in _PARTITIVE_PRONOUNS:
            return True
        if not rest:
            return False
        lo, hi = rest[0].start, rest[-1].end
        return any(lo <= n.start < hi for n in self.numbers)

    def actor_before(self, i: int) -> tuple[str, ...]:
        """Return the name a figure belongs to, written just before it: "the Liberal Forum
        7 seats", "Liberal Forum's nine seats", "the Greens won 14 seats", "Enterprise
        rate limit raised to 3,000". Two figures owned by different names are different
        facts; a name that gives the figure as its source ("the ministry said 71") owns
        nothing."""
        lo = self.token_clause(i)[0] if i < len(self.tokens) else i
        skip = _not_names()
        reporting = word_set("subjects", "reporting", "verbs")
        if i > 0 and self.tokens[i - 1].raw.lower().endswith(("'s", "’s")):
            owner = self.tokens[i - 1]  # "the assembly's 60 seats", "Liberal Forum's nine"
            if not owner.capitalised:
                return (_OWNER_PREFIX + owner.low,)
        k = i - 1
        gap = 0
        while k >= lo and gap <= _ACTOR_GAP and not self.tokens[k].capitalised:
            tok = self.tokens[k]
            old_value = k >= 1 and self.tokens[k - 1].low == "from" and k + 1 < i
            if tok.low in reporting or (tok.low[:1].isdigit() and not old_value):
                return ()  # a source, or another figure's own words
            gap += 1
            k -= 1
        name: list[str] = []
        while k >= lo and self.tokens[k].capitalised and self.tokens[k].low not in skip:
            name.insert(0, self.tokens[k].low)
            k -= 1
        if not name and k < lo:
            return self.antecedent_owner(lo, skip)
        if not name:
            return ()
        if phrase_table("subjects", "places").match_at(self.tokens, k + 1):
            return ()  # a place is read as a place, not as an owner
        return (_OWNER_PREFIX + " ".join(name),)

    def antecedent_event(self, lo: int) -> str | None:
        """Return the event a which-clause opening at token lo hangs from: "the 2012
        fire, which burned some 9,000 hectares and led to the creation of a fund"."""
        if lo == 0 or lo >= len(self.tokens) or self.tokens[lo].low not in _RELATIVE_OPENERS:
            return None
        found = events_in(self.tokens[max(0, lo - 3) : lo])
        return found[-1][1] if found else None

    def antecedent_owner(self, lo: int, skip: frozenset[str]) -> tuple[str, ...]:
        """Return the owner a clause opening at token lo refers back to: the name before
        its comma for "Kordic's Alliance, which won 24 seats", the sentence's opening name
        for "The Green Union is now second, with 14 seats"."""
        if lo == 0 or lo >= len(self.tokens):
            return ()
        opener = self.tokens[lo].low
        if opener in _RELATIVE_OPENERS:
            start = lo
            while start > 0 and self.tokens[start - 1].capitalised:
                if self.tokens[start - 1].low in skip or self.tokens[
                    start - 1
                ].raw.lower().endswith(("'s", "’s")):
                    break  # "Kordic's Alliance": the owner is the Alliance
                start -= 1
            end = lo
        elif opener in _ACCOMPANYING_OPENERS:
            start = 0
            while start < lo and self.tokens[start].low in skip:
                start += 1
            end = start
            while end < lo and self.tokens[end].capitalised:
                end += 1
        else:
            return ()
        name = [t.low for t in self.tokens[start:end]]
        if not name or phrase_table("subjects", "places").match_at(self.tokens, start):
            return ()  # a place is read as a place, not as an owner
        return (_OWNER_PREFIX + " ".join(name),)

    def attribute_before(self, i: int) -> Token | None:
        """Return the noun of "<noun> of" right before token i ("a depth of 10 km")."""
        if i < 2 or self.tokens[i - 1].low != "of":
            return None
        noun = self.tokens[i - 2]
        stop = word_set("subjects", "stopwords")
        return (
            noun if noun.low.isalpha() and noun.low not in stop and not noun.capitalised else None
        )

    def clause_head(self, i: int) -> tuple[str, ...]:
        """Return the opening content words of the clause before token i ("Profits")."""
        lo = self.words_before_from(i)
        stop = word_set("subjects", "stopwords")
        words: list[str] = []
        for tok in self.tokens[lo:i]:
            if tok.low in stop or not tok.low.isalpha() or tok.low.endswith("ed"):
                if words:
                    break
                continue
            words.append(tok.low)
            if len(words) == 3:
                break
        return tuple(words)

    def words_before_from(self, i: int) -> int:
        """Return the first token of the clause before token i that may name its subject.

        The clause's start, or the token after an active reporting verb in it: in "The
        interior ministry said 45 km2 were flooded" the ministry is the source, not what
        was measured. A passive verb has its subject before it ("the toll was put at
        31"), and is read through.
        """
        lo, _ = self.token_clause(i) if i < len(self.tokens) else (0, 0)
        for k in reversed(self.reporting):
            if lo <= k < i and (k == 0 or self.tokens[k - 1].low not in PASSIVE_AUXILIARIES):
                return k + 1
        return lo

    def figure_retold(self, i: int, value: float) -> Subject | None:
        """Return the subject of the count this figure only calls "the figure", "the
        number" or "the total" ("the union said the real figure was 5,500").

        Of the document's recent counts, the latest of the figure's order of magnitude:
        "2,100 staff walked out ... across its three hospitals. The union put the number
        at 3,400" retells the staff, not the hospitals.
        """
        words = {t.low for t in self.tokens[max(0, i - 4) : i]}
        if not words & _RETOLD:
            return None
        latest = None
        for claim in reversed(self.state.claims):
            if claim.kind is not Kind.COUNT:
                continue
            if self.span.start - claim.sentence.start > _RETOLD_CHARS:
                break
            latest = latest or claim.subject
            if _same_magnitude(claim.value.low, value):
                return claim.subject
        return latest

    def subject_before(self, i: int) -> Subject | None:
        """Read a subject named before its figure: "the death toll rose to 31",
        "put the number of the wounded ... at five"."""
        lo = self.words_before_from(i)
        # Never re-read the noun phrase of the figure before ("2,500 American troops in
        # Iraq and some 900 in Syria"): that figure's whole subject is echoed instead.
        lo = max(lo, self.last_phrase_end)
        things = thing_starters()
        for k in range(i - 1, max(lo, i - 15) - 1, -1):
            tok = self.tokens[k]
            if tok.low == "number" and k + 2 < len(self.tokens) and self.tokens[k + 1].low == "of":
                first = k + 2 + (1 if self.tokens[k + 2].low == "the" else 0)
                np = noun_phrase(self.text, self.tokens, first)
                return Subject(
                    text=" ".join(np.words), thing=np.thing, role=np.role, modifiers=np.modifiers
                )
            if tok.low not in things and tok.stem not in things:
                continue  # (`thing_length`'s first test, inlined: no thing starts here)
            if (n := thing_length(self.tokens, k)) and k + n <= i:
                np = noun_phrase(self.text, self.tokens, k)
                return Subject(
                    text=" ".join(np.words), thing=np.thing, role=np.role, modifiers=np.modifiers
                )
        return None

    def simple_claim(
        self,
        fig: _Figure,
        kind: Kind,
        unit: str | None,
        first: int,
        end: int,
        per: tuple[str, ...] = (),
    ) -> None:
        """Record an amount of money, a share or a quantity with the words it qualifies.

        `per` names what a rate is counted by ("$12 per user per month"): it joins the
        subject, so a price per user never meets a price per team."""
        rule, start = self.approximator(first)
        j = self.token_at(end)
        if (echoed := self.pronoun_echo(self.token_at(first), kind, unit)) is not None:
            # "... at 5.4 points, while Demoskop put it at 4.1 points": the same subject.
            self.add(start, end, kind, self.value(fig, rule, unit), echoed)
            return
        if kind is Kind.QUANTITY and (given := self.converted_from(start, unit)) is not None:
            # "41.3C (102F)", "312 metres (1,024 feet)": one value in other units, which
            # a wrong conversion contradicts.
            self.add(start, end, kind, self.value(fig, rule, unit), given.subject)
            return
        np = noun_phrase(self.text, self.tokens, j)
        if not np.words and j + 1 < len(self.tokens) and self.tokens[j].low in ("in", "of", "for"):
            np = noun_phrase(self.text, self.tokens, j + 1)  # "$12.5 million in emergency aid"
        i = self.token_at(fig.start)
        thing = np.thing
        attribute = self.attribute_before(self.token_at(start))
        if attribute is not None:  # "a depth of 10 km", "the cost of $180 million"
            thing = attribute.stem
            if not np.words:
                np = replace(np, words=(attribute.low,))
        if not np.words and (before := self.subject_before(self.token_at(first))) is not None:
            np, thing = replace(np, words=tuple(before.text.split())), before.thing
        if not np.words:  # "Profits fell 3%": the clause's first noun names what changed
            np = replace(np, words=self.clause_head(self.token_at(start)))
        # A measure's role and event come from its own clause, close by, not the sentence.
        lo, hi = self.clause(fig.start, end)
        role = role_near(
            self.tokens, i, j, max(lo, i - _MEASURE_REACH), min(hi, j + _MEASURE_REACH)
        )
        event = self.antecedent_event(lo) or nearest_event(self.tokens[lo:hi], i - lo, j - lo)
        # "After the tanker ran aground in 2011, the clean-up cost $95 million": a past
        # year in the sentence dates the amount, so a past event's cost is never today's.
        # A recent day ("on Thursday") is left out: it dates the report of a running
        # figure more often than the figure's event.
        when = self.past_time(fig.start, event)
        words = " ".join(np.words) or role or kind.value
        rate = "".join(f" per {p}" for p in per)
        subject = Subject(
            text=f"{words}{rate} ({unit or 'unknown currency'})",
            thing=thing,
            role=role,
            modifiers=tuple(sorted({*per, *self.actor_before(self.token_at(start))})),
            event=event,
            place=place_near(self.tokens, j + len(np.words), len(self.tokens)),
            event_day=when.day if when else None,
            event_weekday=when.weekday if when else None,
            keywords=keywords(self.tokens[lo:hi], measure=True),
        )
        self.add(start, end, kind, self.value(fig, rule, unit), subject)

    def converted_from(self, start: int, unit: str | None) -> Claim | None:
        """Return the quantity this one converts, when it stands in brackets right after
        it in the same unit once both are normalised: "41.3C (102F)"."""
        if not self.state.claims:
            return None
        last = self.state.claims[-1]
        if last.kind is not Kind.QUANTITY or last.value.unit != unit or last.sentence != self.span:
            return None
        return last if self.text[last.span.end : start].strip() == "(" else None

    def duration_claim(self, fig: _Figure, unit: timex.DurationUnit) -> None:
        rule, start = self.approximator(fig.start)
        value = timex.duration_value(fig.low, fig.high, fig.nominal, unit, rule, vague=fig.vague)
        end = unit.end
        after = self.token_at(end)
        link = self.tokens[after].low if after < len(self.tokens) else ""
        if (
            link in timex.since_words()
            and after + 1 < len(self.tokens)
            and self.tokens[after + 1].low not in timex.past_words()
        ):
            self.elapsed_claim(start, end, value, unit, after + 1)
            return
        words = self.tokens[
            max(0, self.token_at(start) - _EVENT_CLAUSE) : min(
                len(self.tokens), after + _EVENT_CLAUSE
            )
        ]
        event = nearest_event(words, 0, len(words))
        subject = Subject(
            text=f"duration of {event or 'an event'}", event=event, keywords=keywords(words)
        )
        self.add(start, end, Kind.DURATION, value, subject)

    def elapsed_claim(
        self, start: int, end: int, value: Interval, unit: timex.DurationUnit, clause: int
    ) -> None:
        """Record "N years after <event>": a duration that dates the event.

        It counts up to a date stated earlier in the sentence ("on January 8, 2020, five
        days after the assassination"), else to the publication date, but only for
        long spans: "a day after the court ruled" counts from a story event, not today.
        """
        stop = clause
        while (
            stop < len(self.tokens)
            and stop - clause < 8
            and "," not in self.text[self.tokens[stop - 1].end : self.tokens[stop].start]
        ):
            stop += 1
        words = self.tokens[clause:stop]
        found = find_event(words, 0, 0)
        if found is None:
            return  # no event we can name: nothing to align it with
        event = found[1]
        named = event_participant(words, found[0], found[2])
        participant = named.stem if named else None
        # The event's phrase ends with its last content word ("invaded the country", not
        # "invaded the country in").
        loose = word_set("subjects", "stopwords") | word_set("subjects", "locatives")
        shown = list(words)
        while len(shown) > 1 and shown[-1].low in loose:
            shown.pop()
        phrase = self.text[shown[0].start : shown[-1].end].rstrip(",;.")
        anchor = self.story_date_before(start)
        subject = Subject(
            text=f"time since {phrase}",
            event=event,
            thing=participant,
            keywords=keywords(words),
            place=place_near(self.tokens, clause, stop),
        )
        if anchor is None and unit.unit not in timex.publication_units():
            self.add(
                start,
                end,
                Kind.DURATION,
                value,
                replace(subject, text=f"time between {phrase} and a later event"),
            )
            return
        ref = TimeRef(anchor=anchor or self.doc.published, from_publication=anchor is None)
        self.add(start, end, Kind.DURATION, value, subject, time_ref=ref)

    def story_date_before(self, offset: int) -> DateRange | None:
        """Return a full date stated earlier in the sentence that a duration counts from."""
        for dm in reversed(self.dates):
            if dm.end <= offset and dm.earliest is not None and dm.latest is not None:
                return DateRange(dm.earliest, dm.latest)
        return None

    def date_claim(self, dm: DateMatch) -> None:
        i = self.token_at(dm.start)
        if i > 0 and self.tokens[i - 1].low in _BOUND_WORDS and not self.spans_both_ends(dm, i):
            return  # "before 2020" bounds an event; it does not date it
        if dm.earliest is None or dm.latest is None:
            self.state.diagnostics.append(
                Diagnostic(
                    self.doc.path,
                    Severity.NOTE,
                    "extract.date-without-year",
                    f'date without a year, not compared: "{self.text[dm.start : dm.end]}"',
                    self.doc.line_col(dm.start)[0],
                )
            )
            return
        subject = self.date_subject(dm.start, dm.end)
        if dm.naming:
            # "the 2013 Framework Agreement" and "the 2015 Framework Agreement" name two
            # agreements; either may still meet a date stated for the one it names.
            subject = replace(subject, modifiers=(naming_year(dm.earliest.year),))
        nominal = dm.nominal or dm.earliest
        self.add(
            dm.start, dm.end, Kind.DATE, Interval(dm.earliest, dm.latest, "date", nominal), subject
        )

    def spans_both_ends(self, dm: DateMatch, i: int) -> bool:
        """Return whether "between" opens a span the match covers whole ("between 10
        and 20 July"): the span dates the event, as "10-20 July" does."""
        return self.tokens[i - 1].low == "between" and any(
            t.low == "and" for t in self.tokens[i : self.token_at(dm.end)]
        )

    def weekday_claims(self) -> None:
        """Date an event whose verb the text dates by a weekday: "broke out on Monday",
        "collided early on Sunday" — the latest such day on or before publication.

        Only a verb right before "on <weekday>" is dated: "Monday's attack" and "the
        attack on Wednesday" name which attack is meant more often than they date it,
        and a serial event (attacks, aftershocks) must not be read as one.
        """
        weekdays = timex.weekday_names()
        for w, tok in enumerate(self.tokens):
            if tok.low not in weekdays or w < 2 or self.tokens[w - 1].low != "on":
                continue
            verb = self.verb_event_ending_at(w - 1)
            if verb is None:
                continue
            # time_expressions resolved the weekday against the publication date (no
            # day when the report is undated).
            when = self.times.within(w, 0)
            day = when.day if when else None
            if day is None:
                continue
            subject = self.date_subject(tok.start, tok.end)
            if subject.event is None:
                continue
            nominal = day.earliest if day.exact else None
            value = Interval(day.earliest, day.latest, "date", nominal)
            self.add(tok.start, tok.end, Kind.DATE, value, subject)

    def verb_event_ending_at(self, k: int) -> str | None:
        """Return the event key of a verb that ends at most one word before token k."""
        first = max(0, k - 5)
        for i, key, n in events_in(self.tokens[first:k]):
            i += first
            end = i + n
            verb = n > 1 or self.tokens[i].low.endswith("ed")
            if verb and k - end <= 1:
                return key
        return None

    def relative_claim(self, rel: timex.Relative) -> None:
        subject = self.date_subject(rel.start, rel.end)
        value = timex.resolve(rel.ref, self.doc.published)
        self.add(rel.start, rel.end, Kind.DATE, value, subject, time_ref=rel.ref)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Return the token range of the clause around text[start:end], cut at , ; : and dashes."""
        if not self.tokens:
            return 0, 0
        # A figure read inside one token ("5000" of "2,5000") may start after the last
        # token's start: the clause starts no later than that token.
        starts = self.starts
        lo = min(bisect_left(starts, start), len(starts) - 1)
        hi = bisect_left(starts, end)
        # The clause runs from the last break at or before lo (else the first token) to
        # the first break at or after hi (else the end): two searches of the sorted breaks.
        breaks = self._breaks if self._breaks is not None else self.clause_breaks
        k = bisect_right(breaks, lo)
        lo = breaks[k - 1] if k else 0
        k = bisect_left(breaks, hi)
        if k < len(breaks):
            hi = breaks[k]
        elif hi < len(starts):
            hi = len(starts)
        return lo, hi

    def token_clause(self, i: int) -> tuple[int, int]:
        """Return `clause(tokens[i].start, tokens[i].end)` for a token i of the sentence.

        Its first token is i itself and the token after it i + 1: the two searches of
        the token starts `clause` makes are known without searching."""
        breaks = self._breaks if self._breaks is not None else self.clause_breaks
        k = bisect_right(breaks, i)
        lo = breaks[k - 1] if k else 0
        hi = i + 1
        k = bisect_left(breaks, hi)
        if k < len(breaks):
            hi = breaks[k]
        elif hi < len(self.starts):
            hi = len(self.starts)
        return lo, hi

    @property
    def clause_breaks(self) -> tuple[int, ...]:
        """Return, in order, each token index k whose gap from token k - 1 holds a clause
        mark, found once per sentence.

        One search of the sentence, not one per gap per figure: a mark is whole within
        one gap (no token holds a dash or space), so every gap with a mark holds a match,
        and a comma inside a token ("1,500") is no gap's.
        """
        if self._breaks is None:
            self._breaks = self._find_breaks()
        return self._breaks

    def _find_breaks(self) -> tuple[int, ...]:
        tokens = self.tokens
        if len(tokens) < 2:
            return ()
        breaks: list[int] = []
        for m in _CLAUSE_MARK.finditer(self.text, tokens[0].end, tokens[-1].start):
            k = bisect_right(self.starts, m.start())
            if (
                tokens[k - 1].end <= m.start()
                and m.end() <= tokens[k].start
                and (not breaks or breaks[-1] != k)
            ):
                breaks.append(k)
        return tuple(breaks)

    def date_subject(self, start: int, end: int) -> Subject:
        """Return what a date dates: the event of its own clause, else of the clause after
        it ("in late 2016, when the government handed over the concession"), else the
        nearest in the sentence."""
        i, j = self.token_at(start), self.token_at(end)
        lo, hi = self.clause(start, end)
        windows = [(lo, hi)]
        before = self.clause(self.tokens[lo - 1].start, self.tokens[lo - 1].end) if lo else None
        if before is not None and self.tokens[before[0]].low in _TIME_CLAUSE_OPENERS:
            # "When voters last went to the polls, five years ago, the Greens were ...":
            # a time set off after a when-clause dates that clause.
            windows.append(before)
        if hi < len(self.tokens):
            windows.append(self.clause(self.tokens[hi].start, self.tokens[hi].end))
        windows.append((0, len(self.tokens)))
        found = None
        phase = self.phase(lo, i)
        for w_lo, w_hi in windows:
            hit = find_event(self.tokens[w_lo:w_hi], i - w_lo, j - w_lo, prefer_verbs=True)
            if hit is not None:
                found = (hit[0] + w_lo, hit[1], hit[2])
                break
        if found is None:
            # "Nine years ago we had the Marisol": no event word, but a name the
            # corpus may date elsewhere (see align.name_events).
            named = self.proper_name(lo, hi)
            return Subject(
                text=_phased(f"date of {named.raw}" if named else "date", phase),
                thing=named.stem if named else None,
                keywords=keywords(self.tokens[lo:hi]),
                phase=phase,
            )
        k, event, n = found
        participant = event_participant(self.tokens, k, n)
        # Lexicon events read by their key; a noun found by its ending, as written.
        name = event if event in load("subjects")["events"] else self.tokens[k].low
        of = ""
        if participant is not None:  # "of Iraq", but "of the dam"
            of = (
                f" of {participant.raw}"
                if participant.capitalised
                else f" of the {participant.raw}"
            )
        text = f"date of the {name}{of}"
        window = self.tokens[max(0, min(k, i) - 8) : max(k + n, j) + 8]
        thing = participant.stem if participant else None
        # "two more strike days, on 14 and 15 April": the words just before the date
        # or before its event word.
        added = self.added_occurrence(max(0, i - 5), i) or self.added_occurrence(max(0, k - 3), k)
        return Subject(
            text=_phased(text, phase),
            event=event,
            thing=thing,
            keywords=keywords(window),
            part=added,
            phase=phase,
        )

    def phase(self, lo: int, i: int) -> str | None:
        """Return the phase of its event a date at token i marks, from the nearest phase
        verb before it in its clause (tokens[lo:i]): "began", "ended" (see `[phases]`)."""
        table = phrase_table("subjects", "phases")
        for k in range(i - 1, max(lo, i - _PHASE_REACH) - 1, -1):
            hit = table.match_at(self.tokens, k)
            if hit is not None:
                return hit[0]
        return None

    def added_occurrence(self, lo: int, k: int) -> bool:
        """Return whether the words tokens[lo:k] before an event word make it one more
        occurrence ("two more strike days", "another walkout"), not "more than"."""
        added = word_set("subjects", "occurrences", "added")
        return any(
            t.low in added and not (m + 1 < k and self.tokens[m + 1].low == "than")
            for m, t in enumerate(self.tokens[lo:k], lo)
        )

    def past_time(self, offset: int, event: str | None) -> timex.EventTime | None:
        """Return the event time of a figure when it lies over a year before publication."""
        when = self.event_time(offset, event)
        published = self.doc.published
        if when is None or when.day is None or published is None:
            return None
        return when if (published.earliest - when.day.latest).days > _PAST_DAYS else None

    def event_time(
        self, offset: int, event: str | None, event_token: int | None = None
    ) -> timex.EventTime | None:
        """Return when the event a figure hangs from happened, from this or earlier sentences.

        A time written at the event word ("Monday's train derailment") dates the event;
        otherwise the time nearest the figure does ("killed on Monday"), though in "the
        toll rose to 11 on Wednesday" that is the day of the report, not of the event.
        """
        times = self.event_marks
        when = times.nearest(self.token_at(offset))
        if event_token is not None:
            at_event = times.within(event_token, _EVENT_TIME_REACH)
            when = at_event or when
        if event is None:
            return when
        if when is not None:
            self.state.event_times[event] = (self.index, when)
            return when
        earlier = self.state.event_times.get(event)
        if earlier and self.index - earlier[0] <= _INHERIT_SENTENCES:
            return earlier[1]
        return None


# Words after a linking verb that may hold the figure's role ("were still missing").
_COPULA_REACH = 2
_START = itemgetter(0)  # a token's start: `Token.start`, read without its descriptor
_LOW = attrgetter("low")
_FIGURE_START = attrgetter("start")

# Each form starts where a run of digits starts: tried inside a long run, the pattern
# would backtrack through the rest of it at every position (quadratic on "7777…").
_DIGIT_RUN = re.compile(r"(?<!\d)(?:\d+(?: \d+)+|\d+(?:-\d+){2,}|\d{4,}-\d+|\d+-\d{4,})")


@cache
def _speech_verbs() -> frozenset[str]:
    """Return the verbs of speaking, whose time dates a statement (`spoken_times`)."""
    return word_set("subjects", "reporting", "speech")


@cache
def _date_hint() -> WordTrigger:
    """Return a finder for what every date form contains: a digit or a month's name."""
    return WordTrigger(load("calendar")["months"])


@cache
def _nonclaim_words() -> tuple[frozenset[str], frozenset[str]]:
    """Return the words that, right before or after a figure, make it no claim."""
    return word_set("nonclaims", "preceding"), word_set("nonclaims", "following")


@cache
def _not_names() -> frozenset[str]:
    """Return the capitalised words that name no one: function words, months, weekdays."""
    calendar = load("calendar")
    return (
        word_set("subjects", "stopwords")
        | frozenset(calendar["months"])
        | frozenset(calendar["weekdays"])
    )


@cache
def _trigger() -> WordTrigger:
    """Return a finder for anything a claim could start from: a digit, a word that
    starts a spelt-out number, a time unit, a month or weekday, a relative day."""
    words = set(NUMBER_TRIGGERS)
    time_units = load("time_units")
    for table in ("units", "relative_days"):
        words.update(time_units[table])
    calendar = load("calendar")
    words.update(calendar["months"])
    words.update(calendar["weekdays"])
    return WordTrigger(w for w in words if w.isalpha())


def _in_block(subject: Subject, block: Block | None) -> Subject:
    """Give a claim the context of the markdown block it sits in.

    In a table the cell's row label and column header are the subject ("Maximum file
    size × Pro"), and two cells meet only when both agree. Headings and list lead-ins
    above a claim add their words to its context.
    """
    if block is None:
        return subject
    context = content_stems(tokenize(" ".join(block.context)))
    merged = tuple(dict.fromkeys((*subject.keywords, *context)))
    if block.kind != "table-cell":
        return replace(subject, keywords=merged)
    row_words = content_stems(tokenize(block.row_label or ""))
    column_words = content_stems(tokenize(block.column_header or ""))
    row, column = " ".join(row_words), " ".join(column_words)
    return replace(
        subject,
        text=cell_subject(block),
        thing=f"row: {row}" if row else subject.thing,
        modifiers=(column,) if column else subject.modifiers,
        keywords=tuple(dict.fromkeys((*row_words, *column_words, *merged))),
    )


def _phased(text: str, phase: str | None) -> str:
    """Return a date's subject text with the phase it marks, when that is the end."""
    return f"end {text}" if phase == _END_PHASE else text


def _with_owner(modifiers: Sequence[str], owner: Sequence[str]) -> tuple[str, ...]:
    """Return a figure's modifiers with its own owner in place of one it echoed: "the
    Alliance will have 24 seats, the Greens 14" gives the 14 to the Greens alone."""
    kept = [m for m in modifiers if not (owner and m.startswith(_OWNER_PREFIX))]
    return tuple(sorted({*kept, *owner}))


def _scaled(fig: _Figure, factor: float, offset: float) -> _Figure:
    """Return a figure converted to another unit: value * factor + offset."""

    def convert(value: float | None) -> float | None:
        return None if value is None else value * factor + offset

    return replace(
        fig,
        low=fig.low * factor + offset,
        high=convert(fig.high),
        nominal=convert(fig.nominal),
        converted_slack=_measured_slack(fig) * abs(factor),
    )


def _measured_slack(fig: _Figure) -> float:
    """Return how far a measurement may be from the truth because of how it was written.

    "25 miles" is 25 ± 0.5 miles (40.2 ± 0.8 km), so it agrees with "40 km"; a round
    "640,000 barrels" also carries the slack of its zeros.
    """
    if fig.vague or fig.nominal is None:
        return 0.0
    text_digits = f"{fig.nominal:.6g}"
    decimals = len(text_digits.partition(".")[2]) if "e" not in text_digits else 0
    last_digit = 10.0 ** (fig.round_zeros if fig.round_zeros else -decimals)
    return max(0.5 * last_digit, _slack(fig, None))


def _place_suffix(place: str | None) -> str:
    """Return how a subject's text names its place: " in Syria", " in US"."""
    if not place:
        return ""
    return f" in {place.title() if len(place) > 3 else place.upper()}"


def _in_digit_run(text: str, start: int, end: int) -> bool:
    """Return whether a figure is one group of a phone number or code ("0800 300 451",
    "202-555-0147"); two groups joined by a dash are a range ("30-40")."""
    # A run that holds more than the figure goes on past one of its ends, with a digit
    # or a space or hyphen and a digit; most figures stand between words.
    if not _runs_on_after(text, end) and not _runs_on_before(text, start):
        return False
    lo, hi = max(0, start - 24), min(len(text), end + 24)
    for m in _DIGIT_RUN.finditer(text, lo, hi):
        if m.start() <= start and end <= m.end() and m.group() != text[start:end]:
            return True
    return False


def _runs_on_after(text: str, end: int) -> bool:
    """Return whether a digit run may go on past a figure ending at `end`: a digit, or a
    space or hyphen and a digit (`\\d` is a decimal digit, as str.isdecimal says)."""
    c = text[end : end + 1]
    return c.isdecimal() or (c in (" ", "-") and text[end + 1 : end + 2].isdecimal())


def _runs_on_before(text: str, start: int) -> bool:
    """Return whether a digit run may go on before a figure starting at `start`."""
    c = text[start - 1] if start > 0 else ""
    return c.isdecimal() or (c in (" ", "-") and start > 1 and text[start - 2].isdecimal())


def _slack(fig: _Figure, rule: Rule | None) -> float:
    """Return the rounding slack of a bare round figure ("2,500" may stand for 2,460)."""
    if (rule is not None and rule.name != "exact") or fig.vague or fig.nominal is None:
        return 0.0
    if fig.round_zeros < 2 or fig.nominal < 100:
        return 0.0
    return float(min(0.5 * 10**fig.round_zeros, 0.05 * fig.nominal))


def with_publication(claim: Claim, published: DateRange | None) -> Claim:
    """Return the claim re-resolved against a (newly inferred) publication date."""
    ref = claim.time_ref
    if ref is None or not ref.from_publication:
        return replace(claim, as_of=published)
    ref = replace(ref, anchor=published)
    if claim.kind is Kind.DATE:
        return replace(claim, as_of=published, time_ref=ref, value=timex.resolve(ref, published))
    return replace(claim, as_of=published, time_ref=ref)


def _same_magnitude(a: object, b: float) -> bool:
    """Return whether count `a` is within `_RETOLD_FACTOR` of `b` (both positive)."""
    if not isinstance(a, int | float) or a <= 0 or b <= 0:
        return False
    return 1 / _RETOLD_FACTOR <= a / b <= _RETOLD_FACTOR
