"""What a number is about: thing, role, place, event and nationality from its sentence.

Works on tokens with lexicon phrase tables only, no parser: the noun phrase right after
the number names the thing ("2,500 American troops"), the nearest role word in the
clause says what happened to it ("killed", "wounded"), locative phrases give the place
("in Syria") and event words the event ("after the invasion").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from checker.lexicon import load
from checker.text import PhraseTable, Token, content_stems, phrase_table, word_set
from checker.units import unit_words

_DETERMINERS = frozenset(
    {"the", "its", "their", "his", "her", "our", "these", "those", "them", "all"}
)
_DEMONYM_ENDINGS = ("ians", "ans", "is", "ese", "ish", "ites")
_NP_LIMIT = 4
_ROLE_WINDOW = 12
# Words that stand for the head of the figure before: "several others", "12 more".
ECHOES = frozenset({"other", "others", "more"})
# Role nouns that also qualify a noun ("12 missing divers", "40 dead soldiers"), besides
# participles ("wounded", "displaced").
_ROLE_ADJECTIVES = frozenset({"dead", "missing"})
# The thing of a figure that only a role noun names ("the death toll", "the wounded").
GENERIC_THING = "someone"
_DATE_PREPOSITIONS = frozenset({"on", "in", "of"})
_AUXILIARIES = frozenset({"was", "were", "been", "is", "are", "be", "being", "had", "has", "have"})


_LOW = attrgetter("low")
_STEM = attrgetter("stem")


@cache
def _starters(*tables: str) -> frozenset[str]:
    """Return every word (as written or stemmed) that starts a form of the subjects tables.

    `PhraseTable.match_at` finds nothing at a token whose word and stem start no form,
    so testing this set first skips the call for most tokens, and a sentence none of
    whose words is in it holds no match at all.
    """
    out: set[str] = set()
    for name in tables:
        table = phrase_table("subjects", name)
        for key in load("subjects")[name]:
            out.update(words[0] for words in table.forms_of(key) if words)
    return frozenset(out)


def _may_start(tok: Token, starters: frozenset[str]) -> bool:
    return tok.low in starters or tok.stem in starters


def _none_starts(tokens: Sequence[Token], starters: frozenset[str]) -> bool:
    """Return whether no token starts a form: one pass in C instead of a call per token."""
    return starters.isdisjoint(map(_LOW, tokens)) and starters.isdisjoint(map(_STEM, tokens))


@cache
def thing_starters() -> frozenset[str]:
    """Return every word or stem a lexicon thing or role noun starts with: a token in
    none of them is no thing (`thing_length` is 0)."""
    return _starters("things", "role_nouns")


@cache
def _role_starters() -> frozenset[str]:
    return _starters("roles", "role_nouns")


# What ends a noun phrase at the figure ("put the toll at 84, saying ...").
_PHRASE_BREAK = re.compile(r"[,;:()]")


@cache
def _phrase_stop() -> frozenset[str]:
    """Return the words that end a noun phrase: stopwords and locatives (built once)."""
    return word_set("subjects", "stopwords") | word_set("subjects", "locatives")


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """The words a count counts, split into the canonical parts alignment compares."""

    words: tuple[str, ...]
    thing: str | None
    role: str | None
    modifiers: tuple[str, ...]


def place_key(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """Return the canonical place named at token i and its length, if any."""
    hit = phrase_table("subjects", "places").match_at(tokens, i)
    if hit:
        return hit
    tok = tokens[i]
    calendar = load("calendar")
    if tok.low in calendar["months"] or tok.low in calendar["weekdays"]:
        return None
    if tok.capitalised and tok.low.isalpha() and tok.low not in word_set("subjects", "stopwords"):
        # An unknown proper name: the run of capitalised words is its own key.
        j = i
        while j < len(tokens) and tokens[j].capitalised and tokens[j].low.isalpha():
            j += 1
        return " ".join(t.low for t in tokens[i:j]), j - i
    return None


def noun_phrase(text: str, tokens: Sequence[Token], i: int) -> NounPhrase:
    """Read the noun phrase that starts at token i (after a number).

    It runs over modifiers to its head: a lexicon thing or role noun, a plural, or the
    last word before a preposition, a verb or a comma ("2,500 American troops in
    Iraq", "two troops sustained", "39,700 Palestinians, mostly women").
    """
    stop = _phrase_stop()
    if 0 < i < len(tokens) and _PHRASE_BREAK.search(text, tokens[i - 1].end, tokens[i].start):
        return _classify([])  # "put the toll at 84, saying ...": the phrase ended at the figure
    if i < len(tokens) and tokens[i].low in ECHOES:
        return _classify([])  # "several others", "12 more": the head of the figure before
    if i < len(tokens) and tokens[i].low == "of":
        i += 1  # partitive: "three of its troops"
        while i < len(tokens) and tokens[i].low in _DETERMINERS:
            i += 1
    words: list[Token] = []
    starters = thing_starters()
    while i < len(tokens) and len(words) < _NP_LIMIT:
        tok = tokens[i]
        # (`thing_length`'s first test, inlined: most words start no thing)
        known = thing_length(tokens, i) if tok.low in starters or tok.stem in starters else 0
        if known and _role_adjective(tokens, i, known):
            words.extend(tokens[i : i + known])  # "12 missing divers": the role qualifies the head
            i += known
            continue
        if known:
            words.extend(tokens[i : i + known])
            break
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if not tok.low[:1].isalpha() or tok.low in stop or _looks_like_verb(tok, nxt):
            break
        words.append(tok)
        comma = i + 1 < len(tokens) and "," in text[tok.end : tokens[i + 1].start]
        if comma or (
            _looks_plural(tok) and not (i + 1 < len(tokens) and thing_length(tokens, i + 1))
        ):
            break
        i += 1
    return _classify(words)


def thing_length(tokens: Sequence[Token], i: int) -> int:
    """Return how many tokens a lexicon thing or role noun at token i spans (0: none)."""
    if i >= len(tokens):
        return 0
    tok, starters = tokens[i], thing_starters()
    if tok.low not in starters and tok.stem not in starters:
        return 0  # (`_may_start`, inlined: a call per word of every noun phrase)
    hit = phrase_table("subjects", "things").match_at(tokens, i) or phrase_table(
        "subjects", "role_nouns"
    ).match_at(tokens, i)
    return hit[1] if hit else 0


def _role_adjective(tokens: Sequence[Token], i: int, n: int) -> bool:
    """Return whether a role noun at token i stands before a noun it qualifies."""
    nxt = i + n
    if nxt >= len(tokens) or not phrase_table("subjects", "role_nouns").match_at(tokens, i):
        return False
    word = tokens[i].low
    if n > 1 or not (word.endswith("ed") or word in _ROLE_ADJECTIVES):
        return False  # "the death toll rises to 11": a noun, and a verb after it
    follower = tokens[nxt]
    stop = _phrase_stop()
    return follower.low.isalpha() and follower.low not in stop and not _looks_like_verb(follower)


def _looks_like_verb(tok: Token, nxt: Token | None = None) -> bool:
    """Return whether a word after a figure is a verb ending its noun phrase: "-ed", or
    "-ing" before a function word ("84, saying some"), not "polling stations"."""
    if tok.capitalised or len(tok.low) <= 4:
        return False
    if tok.low.endswith("ed"):
        return True
    stop = _phrase_stop()
    return tok.low.endswith("ing") and (nxt is None or nxt.low in stop)


def _looks_plural(tok: Token) -> bool:
    return len(tok.low) > 3 and tok.low.endswith("s") and not tok.low.endswith("ss")


_NO_PHRASE = NounPhrase((), None, None, ())


@cache
def _implied_roles() -> dict[str, str]:
    table: dict[str, list[str]] = load("subjects")["implied_roles"]
    return {word: role for role, words in table.items() for word in words}


def implied_role(words: Sequence[str]) -> str | None:
    """Return the role a figure's head noun implies when no role word stands near it:
    "has claimed 40 lives" counts the dead (see `[implied_roles]`)."""
    return _implied_roles().get(words[-1]) if words else None


def _classify(words: Sequence[Token]) -> NounPhrase:
    if not words:
        return _NO_PHRASE  # (what the general code below returns for no words)
    things = phrase_table("subjects", "things")
    role_nouns = phrase_table("subjects", "role_nouns")
    places = phrase_table("subjects", "places")
    thing = role = None
    modifiers: list[str] = []
    role_ends = -1
    starters = _starters("things", "role_nouns", "places")
    for j in range(len(words)):
        if not _may_start(words[j], starters):
            continue
        if (hit := things.match_at(words, j)) is not None:
            thing = hit[0]
        elif (hit := role_nouns.match_at(words, j)) is not None:
            role = hit[0]
            role_ends = j + hit[1]
        elif (hit := places.match_at(words, j)) is not None:
            modifiers.append(hit[0])
    # The head names the thing unless it is the role noun itself ("the death toll", "the
    # wounded", "refugees"): role nouns count people, who are not named (see align).
    if thing is None and words and role_ends == len(words):
        thing = GENERIC_THING
    elif thing is None and words:
        head = words[-1]
        if head.capitalised and head.low.endswith(_DEMONYM_ENDINGS):
            thing = "person"  # "Palestinians", "Iraqis": people of a place
            modifiers.append(head.stem)
        else:
            thing = head.stem
    kinds = tuple(sorted(set(modifiers))) if modifiers else ()
    return NounPhrase(tuple([w.low for w in words]), thing, role, kinds)


def role_near(
    tokens: Sequence[Token], lo: int, hi: int, left_stop: int, right_stop: int
) -> str | None:
    """Return the role word nearest to tokens[lo:hi] ("killed three people", "3 were killed").

    The search stops at another figure (`left_stop`/`right_stop` token indexes) so one
    figure never takes the role of its neighbour ("3 killed and 12 injured"); on a tie
    the word after the figure wins.
    """
    best: tuple[int, int, str] | None = None
    # (`_role_at`'s test of the word, inlined: up to 24 words for each figure)
    starters = _role_starters()
    for j in range(hi, min(right_stop, hi + _ROLE_WINDOW, len(tokens))):
        tok = tokens[j]
        if tok.low not in starters and tok.stem not in starters:
            continue
        hit = _role_at(tokens, j)
        if hit:
            best = (j - hi, 0, hit[0])
            break
    for j in range(lo - 1, max(left_stop, lo - _ROLE_WINDOW) - 1, -1):
        if j < 0:
            break
        tok = tokens[j]
        if tok.low not in starters and tok.stem not in starters:
            continue
        hit = _role_at(tokens, j)
        if hit:
            candidate = (lo - 1 - j, 1, hit[0])
            if best is None or candidate < best:
                best = candidate
            break
    return best[2] if best else None


def _role_at(tokens: Sequence[Token], j: int) -> tuple[str, int] | None:
    """Return the role word or role noun at token j, if any."""
    tok, starters = tokens[j], _role_starters()
    if tok.low not in starters and tok.stem not in starters:
        return None  # (`_may_start`, inlined: up to 24 calls for each figure)
    return phrase_table("subjects", "roles").match_at(tokens, j) or phrase_table(
        "subjects", "role_nouns"
    ).match_at(tokens, j)


def place_near(
    tokens: Sequence[Token], hi: int, right_stop: int, left: tuple[int, int] | None = None
) -> str | None:
    """Return the place of a locative phrase: right after the noun phrase ("900 in
    Syria"), else earlier in the clause (`left` = token range: "Hospitals in Qarovpur
    treated 5,300 injured people"), nearest first."""
    stop = min(right_stop, len(tokens), hi + 6)
    # (`_locative_at`'s first test, inlined: most words are no locative)
    locatives = word_set("subjects", "locatives")
    for j in range(hi, stop):
        if tokens[j].low in locatives and (hit := _locative_at(tokens, j, stop)) is not None:
            return hit
    if left is not None:
        lo, end = left
        for j in range(end - 1, lo - 1, -1):
            if tokens[j].low in locatives and (hit := _locative_at(tokens, j, end)) is not None:
                return hit
    return None


def _locative_at(tokens: Sequence[Token], j: int, stop: int) -> str | None:
    """Return the place named by a locative phrase starting at token j, if it is one."""
    if tokens[j].low not in word_set("subjects", "locatives"):
        return None
    k = j + 1
    while k < stop and tokens[k].low in _DETERMINERS:
        k += 1
    hit = place_key(tokens, k) if k < stop else None
    return hit[0] if hit else None


def events_in(tokens: Sequence[Token]) -> list[tuple[int, str, int]]:
    """Return (index, event key, length) for each event word in the tokens.

    A capitalised word followed by another is part of a name ("Open Source Desk",
    "Operation Desert Storm"), not an event.
    """
    starters = _starters("events")
    if _none_starts(tokens, starters):
        return []  # most stretches name no event
    return [
        (i, key, n)
        for i, key, n in _find(phrase_table("subjects", "events"), starters, tokens)
        if not (tokens[i].capitalised and i + n < len(tokens) and tokens[i + n].capitalised)
    ]


def _find(
    table: PhraseTable, starters: frozenset[str], tokens: Sequence[Token]
) -> list[tuple[int, str, int]]:
    """Return what `table.find(tokens)` returns, trying only tokens that start a form."""
    return table.find(tokens, starters)


def nearest_event(
    tokens: Sequence[Token], lo: int, hi: int, *, prefer_verbs: bool = False
) -> str | None:
    """Return the key of the event nearest to tokens[lo:hi] (see `find_event`)."""
    found = find_event(tokens, lo, hi, prefer_verbs=prefer_verbs)
    return found[1] if found else None


def find_event(
    tokens: Sequence[Token], lo: int, hi: int, *, prefer_verbs: bool = False
) -> tuple[int, str, int] | None:
    """Return (index, event key, length) of the event nearest to tokens[lo:hi].

    A date usually dates the clause's verb ("defeated the group in late 2017"), so
    dates prefer verb forms; a count usually hangs from a noun ("killed in the attack").
    Without a lexicon event, a date takes the nearest noun made from a verb.
    """
    found = events_in(tokens)
    if not found:
        return _deverbal_event(tokens, lo, hi) if prefer_verbs else None

    def distance(item: tuple[int, str, int]) -> tuple[int, int, int]:
        i, _, n = item
        gap = lo - (i + n) if i < lo else i - hi
        verb = tokens[i].low.endswith("ed") or n > 1
        # "the collision on September 7": an event joined to its date by a preposition
        # is the one dated, whatever verb stands nearby ("oil spilled since ...").
        attached = gap == 1 and i < lo and tokens[i + n].low in _DATE_PREPOSITIONS
        return (0 if attached else 1, 0 if verb or not prefer_verbs else 1, max(gap, 0))

    return min(found, key=distance)


def event_participant(tokens: Sequence[Token], i: int, n: int) -> Token | None:
    """Return the word naming what the event at tokens[i:i+n] happened to ("the dam" was completed).

    "inspection of the dam" and "the dam was completed" give the noun after "of" or
    before the passive verb; "defeated the group" the object; "bridge collapse" the
    word before the noun.
    """
    stop = _participant_stop()
    after = i + n
    left = _left_of(tokens, i)
    if after < len(tokens) and tokens[after].low == "of":
        return _first_content(tokens[after + 1 : after + 5], stop)
    if i > 0 and (tokens[i - 1].low in _AUXILIARIES or tokens[i - 1].raw.endswith(",")):
        return _first_content(left, stop)  # passive, or "The dam, finished in 1994"
    obj = after
    while obj < len(tokens) and tokens[obj].low in _OBJECT_DETERMINERS:
        obj += 1
    if tokens[i].low.endswith("ed") and obj < len(tokens) and tokens[obj].low not in stop:
        return _first_content(tokens[obj : obj + 4], stop)  # "defeated the Takfiri group"
    # "the dam failed on", "bridge collapse": the word right before; in "many still
    # remember the derailment" no word before it had a part in it.
    return _first_content(left[:1], stop)


_OBJECT_DETERMINERS = _DETERMINERS | {"a", "an"}


def _left_of(tokens: Sequence[Token], i: int) -> list[Token]:
    """Return the few tokens before token i, nearest first, up to a reporting verb: in
    "the governor said the tremor began", the governor spoke of the tremor and had no
    part in it."""
    verbs = word_set("subjects", "reporting", "verbs")
    left: list[Token] = []
    for tok in reversed(tokens[max(0, i - 6) : i]):
        if tok.low in verbs:
            break
        left.append(tok)
    return left


@cache
def _participant_stop() -> frozenset[str]:
    return word_set("subjects", "stopwords") | _calendar_words()


@cache
def _weekday_words() -> frozenset[str]:
    return frozenset(load("calendar")["weekdays"])


@cache
def _measure_context_skip() -> frozenset[str]:
    return unit_words() | _weekday_words()


@cache
def _calendar_words() -> frozenset[str]:
    calendar = load("calendar")
    return frozenset(calendar["months"]) | frozenset(calendar["weekdays"])


def _first_content(tokens: Iterable[Token], stop: frozenset[str]) -> Token | None:
    for t in tokens:
        if t.low.isalpha() and t.low not in stop and len(t.low) > 2:
            return t
    return None


@cache
def _deverbal_stop() -> frozenset[str]:
    """Return the words never read as a noun made from a verb: function words, and
    nouns with such an ending that name no event ("government")."""
    return word_set("subjects", "stopwords") | word_set("subjects", "deverbal", "not_events")


def _deverbal_event(tokens: Sequence[Token], lo: int, hi: int) -> tuple[int, str, int] | None:
    """Return the stem of the nearest noun made from a verb ("inspection"), as the event."""
    endings = tuple(load("subjects")["deverbal"]["endings"])
    stop = _deverbal_stop()
    candidates = [
        (lo - i if i < lo else i - hi, i)
        for i, t in enumerate(tokens)
        if t.low.endswith(endings) and t.low not in stop and len(t.low) > 5 and not t.capitalised
    ]
    if not candidates:
        return None
    k = min(candidates)[1]
    return k, tokens[k].stem, 1


def keywords(tokens: Sequence[Token], *, measure: bool = False) -> tuple[str, ...]:
    """Return the distinct content stems of the tokens, in order."""
    # Days of the week say nothing about what is counted, nor a measure's own unit:
    # "5,400 hectares on Wednesday" and "82 square kilometres on Thursday" may be one
    # burned area. (Around a date, "barrels of crude" is context worth sharing.)
    # A skipped word and a stopword are dropped alike, in one pass over the tokens.
    excluded = _measure_excluded() if measure else _context_excluded()
    return tuple(dict.fromkeys(content_stems(tokens, excluded)))


@cache
def _measure_excluded() -> frozenset[str]:
    return _measure_context_skip() | word_set("subjects", "stopwords")


@cache
def _context_excluded() -> frozenset[str]:
    return _weekday_words() | word_set("subjects", "stopwords")
