"""Who a sentence says gave a figure: "Sabereen news agency put the number at five"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import attrgetter

from checker.lexicon import load
from checker.text import Token, word_set

# After an article a reporting word qualifies a figure ("an estimated 300", "the
# reported 12 deaths"): it is an adjective, and there is no one before it who reports.
_ARTICLES = frozenset({"a", "an", "the"})
# After a comma, they open a clause with a speaker of its own (", and engineers said").
_COORDINATORS = frozenset({"and", "but", "while", "whereas"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this"})
_MAX_WORDS = 9
_LOW = attrgetter("low")
_ADVERBS = frozenset(
    {"afterwards", "later", "earlier", "meanwhile", "also", "on", "then", "separately"}
)
# Words that open a clause: the source's name starts after them.
_CLAUSE_OPENERS = frozenset(
    {
        "that",
        "and",
        "but",
        "while",
        "as",
        "which",
        "who",
        "until",
        "when",
        "after",
        "before",
        "because",
        "if",
        "since",
        "although",
        "where",
        "whom",
        "whose",
    }
)
# Marks between two words that end a source's name before its verb.
_NAME_BREAK = re.compile(r'[;:"“”(]')
_CLAUSE_BREAK = re.compile(r"[,;]")
# A closing quotation mark: a verb right after one names its speaker after it ("…,"
# said the mayor).
_QUOTE_CLOSE = re.compile(r"[\"”]")
# The longest aside, in words, crossed between a source and its verb.
_MAX_ASIDE = 14
# Before a reporting verb, they make it passive ("was put at 31 by officials"): what
# stands before it is what was reported, and its source follows "by".
PASSIVE_AUXILIARIES = frozenset({"was", "were", "is", "are", "been", "be", "being"})
# How many words after a passive reporting verb its "by" may stand ("put at 31 by").
_AGENT_REACH = 6
# Words that end a passive verb's agent: "estimated by insurers at $5 million".
_AGENT_ENDS = frozenset({"at", "as", "to", "for", "on", "in", "with"})

# Words that end the source's name when it follows "according to" or "citing".
_CLAUSE_WORDS = frozenset(
    {"as", "that", "who", "which", "saying", "on", "in", "to", "for", "after", "when"}
)


def reporting_verbs(tokens: Sequence[Token], text: str | None = None) -> list[int]:
    """Return the indexes of the reporting verbs among the tokens ("said", "according").

    `text`, the text the tokens index, lets a verb after an aside be seen as one.
    """
    verbs = word_set("subjects", "reporting", "verbs")
    if verbs.isdisjoint(map(_LOW, tokens)):
        return []  # most sentences have none: one pass in C proves it
    return [
        i
        for i, t in enumerate(tokens)
        if t.low in verbs
        and not (i + 1 < len(tokens) and tokens[i + 1].low == "to" and t.low != "according")
        and not (i > 0 and tokens[i - 1].low in _ARTICLES)  # "stood at an estimated 300"
        and not _used_as_noun(tokens, i, text)
    ]


def attribution_for(
    text: str, tokens: Sequence[Token], index: int, verbs: Sequence[int] | None = None
) -> str | None:
    """Return the source named for the figure at token `index`, or None.

    The source is the phrase before the reporting verb nearest to the figure, cut at
    the clause start ("Afterwards, the coalition spokesman alleged" gives "the
    coalition spokesman"), or the phrase after "according to". Pronouns name no one.
    `verbs` may pass `reporting_verbs(tokens)`, to find them once for several figures.
    """
    found = reporting_verbs(tokens, text) if verbs is None else verbs
    if not found:
        return None

    def crosses_clause(i: int) -> bool:
        lo, hi = (i, index) if i <= index else (index, i)
        return _CLAUSE_BREAK.search(text, tokens[lo].end, tokens[hi].start) is not None

    def coordinated(i: int) -> bool:
        # "killed three people, and engineers said the hillside ...": a verb after a
        # comma and a conjunction speaks for the clause it opens, not for the figure.
        return i > index and any(
            tokens[k].low in _COORDINATORS
            and _CLAUSE_BREAK.search(text, tokens[k - 1].end, tokens[k].start) is not None
            for k in range(index + 1, i)
        )

    found = [i for i in found if not coordinated(i)]
    if not found:
        return None
    # The verb of the figure's own clause first: "the university calculated it at 5.4
    # points, while Demoskop put it at 4.1" gives each figure its own source.
    ranked = sorted(found, key=lambda i: (crosses_clause(i), abs(i - index), i > index))
    source = _source_of(text, tokens, ranked[0], index)
    # "the union said that crew members had told it as many as 240": when the nearest
    # verb's speaker names no one, the next verb of the same clause may.
    for verb in ranked[1:]:
        if source is not None or crosses_clause(verb):
            break
        source = _source_of(text, tokens, verb, index)
    return source


def _source_of(text: str, tokens: Sequence[Token], verb: int, figure: int) -> str | None:
    """Return the source a reporting verb names for the figure at token `figure`: before
    the verb, after "according to", or after a verb that follows the quotation holding
    the figure ("… about 180 personnel," said union secretary Jorin Lask)."""
    if tokens[verb].low == "according" or tokens[verb].low == "citing":
        return _after(text, tokens, verb + (2 if tokens[verb].low == "according" else 1))
    if verb > 0 and tokens[verb - 1].low in PASSIVE_AUXILIARIES:
        return _agent(text, tokens, verb)  # "the toll was put at 31 by officials"
    source = _before(text, tokens, _past_aside(text, tokens, verb))
    if (
        source is None
        and 0 <= figure < verb
        and _QUOTE_CLOSE.search(text, tokens[verb - 1].end, tokens[verb].start)
    ):
        return _after(text, tokens, verb + 1)
    return source


def _agent(text: str, tokens: Sequence[Token], verb: int) -> str | None:
    """Return who did a passive reporting verb: the words after its "by", in its clause.

    The words before a passive verb are what was reported, never its source.
    """
    for k in range(verb + 1, min(len(tokens), verb + 1 + _AGENT_REACH)):
        if _CLAUSE_BREAK.search(text, tokens[k - 1].end, tokens[k].start):
            return None
        if tokens[k].low == "by":
            end = k + 1
            while end < len(tokens) and not (
                tokens[end].low in _AGENT_ENDS or tokens[end].low[:1].isdigit()
            ):
                end += 1
            return _after(text, tokens[:end], k + 1)
    return None


def _past_aside(text: str, tokens: Sequence[Token], verb: int) -> int:
    """Return where the source's words end before a reporting verb, past an aside.

    "Governor Anton Seyl, speaking at a press conference an hour later, put the number
    at 90": the words between the commas say when or how, not who; the source stands
    before the opening comma. Only an aside that opens with a word the lexicon lists
    ([reporting] asides: a participle of speaking, a time word) is crossed, so in "the
    minister, a former union leader, said" the appositive stays the source's words.
    """
    if verb == 0 or text.find(",", tokens[verb - 1].end, tokens[verb].start) < 0:
        return verb
    asides = word_set("subjects", "reporting", "asides")
    first = verb - 1
    while first > 0 and verb - first <= _MAX_ASIDE:
        if text.find(",", tokens[first - 1].end, tokens[first].start) >= 0:
            opener = tokens[first]
            return first if opener.low in asides or _participle(opener) else verb
        first -= 1
    return verb


def _participle(word: Token) -> bool:
    """Return whether a word reads as a present participle opening an aside ("A team
    led by Professor Saal, using a different model, estimates"): it says how the
    source worked, never who the source is."""
    return len(word.low) >= 5 and word.low.endswith("ing") and not word.capitalised


def _used_as_noun(tokens: Sequence[Token], i: int, text: str | None = None) -> bool:
    """Return whether a reporting word ending in -s is a plural noun ("false claims of").

    It is a verb when its source stands before it: a name, a source's word or a
    pronoun, seen past an aside ("A team led by Professor Saal, using a different
    model, estimates") and past adverbs ("the agency now estimates").
    """
    word = tokens[i].low
    if not word.endswith("s") or i == 0 or word in ("says", "was"):
        return False
    adverbs = word_set("subjects", "reporting", "adverbs")
    before = (_past_aside(text, tokens, i) if text is not None else i) - 1
    if before < 0:
        return False
    while before > 0 and tokens[before].low in adverbs:
        before -= 1
    prev = tokens[before]
    sources = word_set("subjects", "sources")
    return not (prev.capitalised or prev.low in sources or prev.low in _PRONOUNS)


def _before(text: str, tokens: Sequence[Token], verb: int) -> str | None:
    first = verb
    while first > 0 and verb - first < _MAX_WORDS:
        prev = tokens[first - 1]
        gap, gap_end = prev.end, tokens[first].start
        if (
            prev.low in _CLAUSE_OPENERS
            or prev.low[:1].isdigit()
            or _NAME_BREAK.search(text, gap, gap_end) is not None
        ):
            break
        # An appositive name crosses its commas: "A Red Cross spokesperson, Ilona Varga, said".
        if text.find(",", gap, gap_end) >= 0 and not _appositive(tokens[first:verb]):
            break
        first -= 1
    return _phrase(text, tokens[first:verb])


def _appositive(words: Sequence[Token]) -> bool:
    """Return whether the words after a comma are only a name or adverbs, so the source goes on."""
    meaningful = [w for w in words if w.low not in _ADVERBS]
    return not meaningful or (all(w.capitalised for w in meaningful) and len(meaningful) <= 3)


def _after(text: str, tokens: Sequence[Token], first: int) -> str | None:
    last = first
    while last < len(tokens) and last - first < _MAX_WORDS:
        if last > first and any(
            c in text[tokens[last - 1].end : tokens[last].start] for c in ",;:"
        ):
            break
        if tokens[last].low in _CLAUSE_WORDS:
            break
        last += 1
    return _phrase(text, tokens[first:last])


def _phrase(text: str, words: Sequence[Token]) -> str | None:
    # Drop a leading adverb of time ("Afterwards", "On Wednesday") and trailing "also".
    calendar = load("calendar")
    while words and (words[0].low in _ADVERBS or words[0].low in calendar["weekdays"]):
        words = words[1:]
    adverbs = word_set("subjects", "reporting", "adverbs")
    while words and (words[-1].low in adverbs or words[-1].low in ("had", "has", "have")):
        words = words[:-1]
    if not words or _PRONOUNS.issuperset(map(_LOW, words)) or words[0].low == "what":
        return None
    # A phrase that ends a date ("published on 21 July, put the figure at 112") names no
    # one: a source's last word is its head, never a month or a weekday.
    if words[-1].low in calendar["months"] or words[-1].low in calendar["weekdays"]:
        return None
    sources = word_set("subjects", "sources")
    # A capital at the start of the sentence proves nothing unless the word is a name
    # rather than a function word ("Torvell has said", not "The army denied").
    if (
        sources.isdisjoint(map(_LOW, words))
        and not any(w.raw[:1].isupper() for w in words[1:])
        and not (len(words) == 1 and words[0].capitalised)
    ):
        return None  # names no one: "false claims of ..." is not a source
    return text[words[0].start : words[-1].end]


# Tokens between a verb of speaking and the time it was spoken: "said late on Thursday",
# "told a news conference on Monday".
_SPEECH_REACH = 6


def spoken_times(text: str, tokens: Sequence[Token], marks: Sequence[int]) -> frozenset[int]:
    """Return the marks (token indexes of time expressions) that date a statement.

    "killed 12 people, the board said on Thursday": Thursday is when the board spoke,
    not when the people died. A time counts as spoken when it follows a verb of
    speaking within a few words that only say where or how it was said, with no
    clause break between.
    """
    speech = word_set("subjects", "reporting", "speech")  # cached: one set per run
    gap = word_set("subjects", "reporting", "speech_gap")
    spoken = set()
    # Verbs of speaking are found here, not among `reporting_verbs`: "warned" and
    # "testified" date a statement without naming a figure's source.
    for verb in (i for i, t in enumerate(tokens) if t.low in speech):
        for mark in marks:
            if not verb < mark <= verb + _SPEECH_REACH:
                continue
            between = tokens[verb + 1 : mark]
            if all(t.low in gap for t in between) and not _CLAUSE_BREAK.search(
                text, tokens[verb].end, tokens[mark].start
            ):
                spoken.add(mark)
    return frozenset(spoken)
