"""Name search without plaintext names in the database.

Names are sealed per member (``core.vault``), so the database cannot search them. Instead each
process keeps, per organization, an in-memory index ``{member id: normalized name}`` built by
opening every member's sealed data once, then kept fresh incrementally: every search first asks the
database two cheap indexed questions, "the latest ``updated_at`` of this organization's members" and
"how many of its data keys were ever destroyed" (``core.ErasedKey``, one row per erasure), and opens
again only the members changed since the last refresh; when a key was destroyed since (an erasure),
ids that are gone are dropped. A name edited in another process is therefore found by the very next
search here, and an erased member is never returned.

Why this design: a blind index cannot do partial or fuzzy matching, and storing name fragments or
trigrams in the database (even hashed) would leak names to anyone with a dump. Holding decrypted
names in the memory of the web process that shows them anyway adds no new exposure; nothing is
written to disk, a cache server or a log. Cost: opening ~100,000 members takes a few seconds once
per process and organization, or a second or two since the sealed values are opened from plain
columns (``vault.open_sealed_rows``) and each distinct word is normalized once (measured by ``make
bench``); after that a search looks words up in the vocabulary (a sorted list for prefixes, words
grouped by length for typos) and touches only the members who have them. Memory: about 100 bytes a
member. ``warm`` builds an organization's index in a background thread, so that the pages where a
search is typed can have it ready before the first search is made.

Matching: names and queries are case-folded with accents removed. Every query word must begin a
word of the name ("sun" finds "Sunita Devi"), exact matches first; when that finds fewer than
``limit``, each query word is compared (rapidfuzz) with the distinct words of all names, so that a
name with a word within a typo or two of every query word is added ("suneeta" finds "Sunita").
"""

import bisect
import functools
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Max
from rapidfuzz import fuzz, process

from doorstep.core import vault
from doorstep.core.models import ErasedKey

from .models import Member
from .services.pii import PII_PURPOSE

FUZZY_CUTOFF = 75  # fuzz.ratio of two words: "suneeta" / "sunita" scores 77
# fuzz.ratio is at most 200 * shorter / (shorter + longer): a word scores FUZZY_CUTOFF only against
# words whose lengths are within this ratio of its own (0.6 for a cutoff of 75).
_LENGTH_RATIO = FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)


def normalize(text: str) -> str:
    """Case-folded words; accents dropped from Latin letters ("Zoë" -> "zoe"), while the vowel signs
    of scripts such as Devanagari, which are part of the letter, are kept."""
    return " ".join(filter(None, map(_normalize_word, text.split())))


@functools.lru_cache(maxsize=200_000)
def _normalize_word(text: str) -> str:
    """``normalize`` of one whitespace-free piece (names repeat their words: each is done once)."""
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(ch) or unicodedata.category(ch).startswith("M"):
            if base and ord(base) < 0x250:
                continue  # an accent on a Latin letter
            out.append(ch)
        elif ch.isalnum():
            base = ch
            out.append(ch)
        else:
            base = ""
            out.append(" ")
    return " ".join("".join(out).split())


@dataclass
class _Index:
    names: dict[int, str] = field(default_factory=dict)
    words: dict[int, tuple[str, ...]] = field(default_factory=dict)
    vocabulary: dict[str, set[int]] = field(default_factory=dict)  # word -> members whose name has it
    latest: datetime | None = None
    erased: int = -1  # destroyed data keys of the organization when last refreshed
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The vocabulary in order (prefixes) and by length (typos), made again when a word comes or goes.
    _ordered: list[str] | None = None
    _by_length: dict[int, list[str]] | None = None

    def put(self, member_id: int, name: str) -> None:
        self.drop(member_id)
        self.names[member_id] = name
        self.words[member_id] = tuple(name.split())
        for word in self.words[member_id]:
            holders = self.vocabulary.get(word)
            if holders is None:
                holders = self.vocabulary[word] = set()
                self._ordered = self._by_length = None
            holders.add(member_id)

    def drop(self, member_id: int) -> None:
        self.names.pop(member_id, None)
        for word in self.words.pop(member_id, ()):
            holders = self.vocabulary.get(word)
            if holders is not None:
                holders.discard(member_id)
                if not holders:
                    del self.vocabulary[word]
                    self._ordered = self._by_length = None

    def clear(self) -> None:
        self.names.clear()
        self.words.clear()
        self.vocabulary.clear()
        self._ordered = self._by_length = None
        self.latest = None

    def with_prefix(self, part: str) -> set[int]:
        """Members with a name word beginning with ``part`` (a binary search in the ordered words)."""
        if self._ordered is None:
            self._ordered = sorted(self.vocabulary)
        ordered, found = self._ordered, set()
        at = bisect.bisect_left(ordered, part)
        while at < len(ordered) and ordered[at].startswith(part):
            found |= self.vocabulary[ordered[at]]
            at += 1
        return found

    def near_length(self, part: str) -> list[str]:
        """The words long or short enough to score ``FUZZY_CUTOFF`` against ``part``."""
        if self._by_length is None:
            self._by_length = {}
            for word in self.vocabulary:
                self._by_length.setdefault(len(word), []).append(word)
        shortest = int(len(part) * _LENGTH_RATIO)  # rounded down: rapidfuzz has the last word
        longest = int(len(part) / _LENGTH_RATIO) + 1
        return [w for n in range(shortest, longest + 1) for w in self._by_length.get(n, ())]


_indexes: dict[int, _Index] = {}
_indexes_lock = threading.Lock()


def _index_for(organization_id: int) -> _Index:
    with _indexes_lock:
        return _indexes.setdefault(organization_id, _Index())


def _load(index: _Index, queryset) -> None:
    rows = queryset.values_list(
        "pk",
        "subject_key_id",
        "subject_key__organization_id",
        "subject_key__organization_key_version",
        "subject_key__wrapped_key",
        "pii",
    ).iterator(chunk_size=5000)
    member_of = {}

    def sealed():
        for pk, key_id, organization_id, version, wrapped, pii in rows:
            member_of[key_id] = pk
            yield key_id, organization_id, version, wrapped, pii

    for key_id, pii in vault.open_sealed_rows(sealed(), purpose=PII_PURPOSE):
        name = " ".join(filter(None, [pii.get("full_name", ""), pii.get("other_names", "")]))
        index.put(member_of.pop(key_id), normalize(name))


def _state(organization_id: int) -> tuple[datetime | None, int]:
    """(the latest ``updated_at`` of the organization's members, how many of its keys were destroyed):
    two indexed questions, whatever the number of members."""
    latest = Member.objects.filter(organization_id=organization_id).aggregate(latest=Max("updated_at"))
    return latest["latest"], ErasedKey.objects.filter(organization_id=organization_id).count()


def refresh(organization_id: int) -> _Index:
    """Bring the organization's index up to date with the database (see the module docstring)."""
    index = _index_for(organization_id)
    members = Member.objects.filter(organization_id=organization_id)
    with index.lock:
        latest, erased = _state(organization_id)
        if latest == index.latest and erased == index.erased:
            return index
        if index.latest is not None and (latest is None or latest < index.latest):
            # Time went backwards: what the index read was rolled back. Read everything again.
            index.clear()
        changed = members if index.latest is None else members.filter(updated_at__gte=index.latest)
        _load(index, changed)
        if erased != index.erased and index.erased >= 0:
            present = set(members.values_list("pk", flat=True))
            for gone in set(index.names) - present:
                index.drop(gone)
        index.latest, index.erased = latest, erased
    return index


def warm(organization_id: int) -> threading.Thread | None:
    """Build the organization's index in a background thread if this process has none yet (a page
    that offers a search calls it, so that the first search does not wait for the build); the
    thread, or None when there is nothing to do. Not inside a transaction: the thread has a
    connection of its own and could not see what this one has not committed."""
    index = _index_for(organization_id)
    if index.erased >= 0 or index.lock.locked() or connection.in_atomic_block:
        return None

    def build() -> None:
        try:
            refresh(organization_id)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=build, name=f"search-index-{organization_id}", daemon=True)
    thread.start()
    return thread


def remember(organization_id: int, names: dict[int, str]) -> None:
    """Add members this process has just written (their names are at hand, so an import does not
    open 100,000 records again). The index moves forward only if nothing else changed meanwhile;
    otherwise the next ``refresh`` reads what is needed."""
    index = _index_for(organization_id)
    members = Member.objects.filter(organization_id=organization_id)
    with index.lock:
        latest, erased = _state(organization_id)
        others = members.exclude(pk__in=list(names))
        if index.latest is not None:
            others = others.filter(updated_at__gt=index.latest)
        if index.erased < 0 or erased != index.erased or others.exists():
            return
        for member_id, raw in names.items():
            index.put(member_id, normalize(raw))
        index.latest = latest


def forget(organization_id: int | None = None) -> None:
    with _indexes_lock:
        if organization_id is None:
            _indexes.clear()
        else:
            _indexes.pop(organization_id, None)


def search(organization_id: int, query: str, *, limit: int = 50) -> list[int]:
    """Member ids whose name matches ``query``, best first. The caller has checked her access."""
    wanted = normalize(query).split()
    if not wanted:
        return []
    index = refresh(organization_id)
    with index.lock:
        holders = sorted((index.with_prefix(part) for part in wanted), key=len)
        matched = holders[0].intersection(*holders[1:])
        exact, prefix = [], []
        whole = " ".join(wanted)
        for member_id in matched:
            (exact if index.names[member_id] == whole or whole in index.words[member_id] else prefix).append(
                member_id
            )
        found = sorted(exact) + sorted(prefix, key=lambda pk: (index.names[pk], pk))
        if len(found) < limit:
            already = set(found)
            found += [pk for pk in _fuzzy(index, wanted) if pk not in already]
    return found[:limit]


def _fuzzy(index: _Index, wanted: list[str]) -> list[int]:
    """Members with, for every query word, a name word within a typo or two; best total score first."""
    scores: dict[int, float] | None = None
    for part in wanted:
        best: dict[int, float] = {}
        for word, score, _key in process.extract(
            part, index.near_length(part), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            for member_id in index.vocabulary[word]:
                best[member_id] = max(best.get(member_id, 0.0), score)
        scores = best if scores is None else {pk: scores[pk] + s for pk, s in best.items() if pk in scores}
    return sorted(scores or {}, key=lambda pk: (-(scores or {})[pk], pk))
