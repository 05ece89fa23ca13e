"""Tell which reports can be about one story, by the names they share.

"Unemployment in the area stands at 15%" in a report from Arnarvia and "... at 20%" in
one from Zanistan are not one fact, though their words match: the area is another
one. A folder may hold many stories, so a figure's words are not enough; its reports
must also be about one story. Two reports are taken to be when a name one of them
stresses (says at least twice) is named in the other at all: a follow-up may say
"Kestel" once where the first report says it throughout.

The relation is between pairs of reports, never a chain of them, so one shared
passing name cannot pull unrelated stories together; and it is kept cheap at scale by
ignoring names too common to tell stories apart. It only ever parts figures: a
report with no names at all, and a corpus that is one story throughout (where every
name is common), are left as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# A name: a capitalised word of three letters or more that does not open a sentence
# (it follows a word, a comma or a colon), so "Under" and "The" starting one are not
# names. Scripts without capitals give no names, and their reports stay unparted.
# The capital comes before the look back: the engine then skips along to the next
# capital in C, where a look back first was tried at every position of the text.
_NAME = re.compile(r"[A-Z](?<=[\w,;:] [A-Z])[^\W\d_]{2,}")
# A name said this many times in a report is one the report is about.
_STRESSED = 2
# A name in more reports than this says little about which story a report tells (a
# month, a capital, a news agency). The bound does not grow with the corpus, so the
# reports one report can meet stay few however many there are.
_DISTINCT_REPORTS = 50


def names_in(text: str) -> Counter[str]:
    """Return the names a text uses, with how often it uses each."""
    return Counter(_NAME.findall(text))


@dataclass(frozen=True, slots=True)
class Stories:
    """Which reports can tell one story, from the names each uses.

    `neighbours` maps a report to the reports it can share a story with (itself
    included). A report missing from it stresses no telling name and is open: it can
    share a story with any report.
    """

    neighbours: Mapping[str, frozenset[str]]

    def related(self, a: str, b: str) -> bool:
        """Return whether reports `a` and `b` can be about one story."""
        near = self.neighbours.get(a)
        return near is None or b in near or b not in self.neighbours

    def open(self, doc: str) -> bool:
        """Return whether a report can be about any story."""
        return doc not in self.neighbours


def stories(names: Mapping[str, Counter[str]], open_docs: Iterable[str] = ()) -> Stories:
    """Return how the reports relate, given the names each uses (`names_in`).

    A report is about the names it says at least twice that two to `_DISTINCT_REPORTS`
    reports use. A report about none is open, as are `open_docs` (a reference file):
    in a corpus that is one story throughout, every name is common and every report
    stays open. A name said once is not enough to close a report: a brief that names
    a suburb in passing is not thereby about the suburb rather than the story.
    """
    reports: Counter[str] = Counter()
    for counts in names.values():
        reports.update(counts.keys())
    telling = {n for n, r in reports.items() if 1 < r <= _DISTINCT_REPORTS}
    closed = set(names) - set(open_docs)
    naming: dict[str, list[str]] = {}
    for doc, counts in names.items():
        for name in counts.keys() & telling:
            naming.setdefault(name, []).append(doc)
    neighbours: dict[str, set[str]] = {}
    for doc in sorted(closed):
        for name in _stressed(names[doc], telling):
            for other in naming[name]:
                neighbours.setdefault(doc, {doc}).add(other)
                neighbours.setdefault(other, {other}).add(doc)
    return Stories({doc: frozenset(near) for doc, near in neighbours.items() if doc in closed})


def _stressed(counts: Counter[str], telling: set[str]) -> list[str]:
    """Return the telling names a report is about: those it says at least twice."""
    return [n for n, c in counts.items() if c >= _STRESSED and n in telling]
