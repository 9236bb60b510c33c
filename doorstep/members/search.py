"""Name search without plaintext names in the database.

Names are sealed per member (``core.vault``), so the database cannot search them. Instead each
process keeps, per organization, an in-memory index ``{member id: normalized name}`` built by
opening every member's sealed data once, then kept fresh incrementally: every search first asks the
database one cheap indexed question, "the latest ``updated_at`` and the number of rows of this
organization's members", and opens again only the members changed since the last refresh; when the
count has fallen (an erasure), ids that are gone are dropped. A name edited in another process is
therefore found by the very next search here, and an erased member is never returned.

Why this design: a blind index cannot do partial or fuzzy matching, and storing name fragments or
trigrams in the database (even hashed) would leak names to anyone with a dump. Holding decrypted
names in the memory of the web process that shows them anyway adds no new exposure; nothing is
written to disk, a cache server or a log. Cost: opening ~100,000 members takes a few seconds once
per process and organization (measured by ``make bench``); after that a search scans the index in
memory in tens of milliseconds. Memory: about 100 bytes a member.

Matching: names and queries are case-folded with accents removed. Every query word must begin a
word of the name ("sun" finds "Sunita Devi"), exact matches first; when that finds fewer than
``limit``, each query word is compared (rapidfuzz) with the distinct words of all names, so that a
name with a word within a typo or two of every query word is added ("suneeta" finds "Sunita").
"""

import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from doorstep.core import vault

from .models import Member
from .services.pii import PII_PURPOSE

FUZZY_CUTOFF = 75  # fuzz.ratio of two words: "suneeta" / "sunita" scores 77


def normalize(text: str) -> str:
    """Case-folded words; accents dropped from Latin letters ("Zoë" -> "zoe"), while the vowel signs
    of scripts such as Devanagari, which are part of the letter, are kept."""
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
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_indexes: dict[int, _Index] = {}
_indexes_lock = threading.Lock()


def _index_for(organization_id: int) -> _Index:
    with _indexes_lock:
        return _indexes.setdefault(organization_id, _Index())


def _load(index: _Index, queryset) -> None:
    for member in (
        queryset.select_related("subject_key").only("pk", "pii", "subject_key").iterator(chunk_size=2000)
    ):
        pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
        name = normalize(" ".join(filter(None, [pii.get("full_name", ""), pii.get("other_names", "")])))
        _drop(index, member.pk)
        index.names[member.pk] = name
        index.words[member.pk] = tuple(name.split())
        for word in index.words[member.pk]:
            index.vocabulary.setdefault(word, set()).add(member.pk)


def _drop(index: _Index, member_id: int) -> None:
    index.names.pop(member_id, None)
    for word in index.words.pop(member_id, ()):
        holders = index.vocabulary.get(word)
        if holders is not None:
            holders.discard(member_id)
            if not holders:
                del index.vocabulary[word]


def refresh(organization_id: int) -> _Index:
    """Bring the organization's index up to date with the database (see the module docstring)."""
    index = _index_for(organization_id)
    members = Member.objects.filter(organization_id=organization_id)
    with index.lock:
        state = members.aggregate(latest=Max("updated_at"), count=Count("pk"))
        if state["latest"] == index.latest and state["count"] == index.count:
            return index
        if index.latest is not None and (state["latest"] is None or state["latest"] < index.latest):
            # Time went backwards: what the index read was rolled back. Read everything again.
            index.names.clear()
            index.words.clear()
            index.vocabulary.clear()
            index.latest = None
        changed = members if index.latest is None else members.filter(updated_at__gte=index.latest)
        _load(index, changed)
        if state["count"] < len(index.names):
            present = set(members.values_list("pk", flat=True))
            for gone in set(index.names) - present:
                _drop(index, gone)
        index.latest, index.count = state["latest"], state["count"]
    return index


def remember(organization_id: int, names: dict[int, str]) -> None:
    """Add members this process has just written (their names are at hand, so an import does not
    open 100,000 records again). The index moves forward only if nothing else changed meanwhile;
    otherwise the next ``refresh`` reads what is needed."""
    index = _index_for(organization_id)
    members = Member.objects.filter(organization_id=organization_id)
    with index.lock:
        state = members.aggregate(latest=Max("updated_at"), count=Count("pk"))
        others_changed = (
            index.latest is not None
            and members.filter(updated_at__gt=index.latest).exclude(pk__in=list(names)).exists()
        )
        if state["count"] != index.count + len(names) or others_changed:
            return
        for member_id, raw in names.items():
            name = normalize(raw)
            _drop(index, member_id)
            index.names[member_id] = name
            index.words[member_id] = tuple(name.split())
            for word in index.words[member_id]:
                index.vocabulary.setdefault(word, set()).add(member_id)
        index.latest, index.count = state["latest"], state["count"]


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
    exact, prefix = [], []
    whole = " ".join(wanted)
    for member_id, words in index.words.items():
        if all(any(word.startswith(part) for word in words) for part in wanted):
            (exact if index.names[member_id] == whole or whole in words else prefix).append(member_id)
    found = sorted(exact) + sorted(prefix, key=lambda pk: (index.names[pk], pk))
    if len(found) < limit:
        found += [pk for pk in _fuzzy(index, wanted) if pk not in set(found)]
    return found[:limit]


def _fuzzy(index: _Index, wanted: list[str]) -> list[int]:
    """Members with, for every query word, a name word within a typo or two; best total score first."""
    scores: dict[int, float] | None = None
    for part in wanted:
        best: dict[int, float] = {}
        for word, score, _key in process.extract(
            part, list(index.vocabulary), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            for member_id in index.vocabulary[word]:
                best[member_id] = max(best.get(member_id, 0.0), score)
        scores = best if scores is None else {pk: scores[pk] + s for pk, s in best.items() if pk in scores}
    return sorted(scores or {}, key=lambda pk: (-(scores or {})[pk], pk))
