"""Matching a supplier list against the parties an organization knows.

Names are normalized before they are compared: written in Latin letters (``anyascii``: Cyrillic,
Greek, Devanagari, Arabic, Chinese by syllable), accents and case dropped, dotted abbreviations
joined ("S.A.C." is "sac"), common abbreviations spelled out ("Mfg", "Intl", "Inds"), plurals
reduced, and legal forms and filler words removed ("Pvt Ltd", "GmbH", "S.A. de C.V.", "有限公司",
"the", "and"). Two names are then compared by rapidfuzz twice, on their words sorted (so the order
of words does not matter) and with the spaces taken out (so "Star Exports" is "StarExports" and
"Huamei Fuzhuang" is 华美服装); the better of the two counts. Where both sides have an address, it
counts for a quarter. Names that differ in a number ("Unit 1", "Unit 3") are different facilities:
their score stays below the automatic threshold; so do names with a word the other has not (bar a
generic one such as "Group"), where a short word counts as the same only one typo away ("Masiri"
and "Masirri" are one firm, "Masiri" and "Masina" need a person). Only parties in the same
country are compared, and a shared Open Supply Hub ID (or LEI, company number) is a match outright.

``LINK`` and ``REVIEW`` are the two thresholds: at or above ``LINK`` a row is linked to the party
without asking, between them a person decides, below ``REVIEW`` a new party is created. They were
set on the labelled pairs in ``tests/data/match_pairs.csv`` (see its README); a test keeps precision
and recall at the ``LINK`` threshold at or above 0.95.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cdist

LINK = 88.0
REVIEW = 70.0
ADDRESS_WEIGHT = 0.25
NUMBER_CAP = LINK - 8  # names that differ in a number: never linked without a person

LEGAL_FORMS = frozenset(
    """
    ltd limited pvt private pte plc llc llp lp inc incorporated corp corporation co company cos
    gmbh ag kg ohg ug mbh bv nv sa sas sac saa sarl srl spa snc sl slu sociedad anonima ltda lda eireli
    ab oy as asa aps kft zrt bt doo dd ad ead eood sro as akc jsc ojsc pjsc cjsc ooo oao zao pao tov
    pt tbk cv sdn bhd berhad kk yk gk jsc fze fzc fzco fzllc wll est llc bhd
    youxian gongsi youxiangongsi zeren jituan
    """.split()
)
FILLER = frozenset("the and of de del la le el les los das do da di du et y e und".split())
ABBREVIATIONS = {
    "intl": "international",
    "int": "international",
    "mfg": "manufacturing",
    "mfrs": "manufacturers",
    "mfr": "manufacturer",
    "inds": "industries",
    "exp": "exports",
    "expo": "exports",
    "exps": "exports",
    "gmt": "garments",
    "gmts": "garments",
    "tex": "textiles",
    "txt": "textiles",
    "txtl": "textiles",
    "emb": "embroidery",
    "embr": "embroidery",
    "mills": "mill",
    "bros": "brothers",
    "svcs": "services",
    "enterprises": "enterprise",
    "ent": "enterprise",
    "entp": "enterprise",
    "mfy": "manufactory",
    "ctr": "centre",
    "center": "centre",
    "assn": "association",
    "&": "and",
}


# Legal forms written in Chinese characters, taken out before transliteration.
CJK_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
# Letters of scripts that write a consonant with its vowel "a" unless a sign says otherwise.
_ABUGIDAS = ("DEVANAGARI LETTER", "BENGALI LETTER", "GURMUKHI LETTER", "GUJARATI LETTER", "TAMIL LETTER")


def _latin(text: str) -> str:
    """Latin letters for any script: Chinese, Japanese and Korean characters become one syllable each,
    and the consonants of Devanagari and Bengali keep the vowel they carry inside a word."""
    for form in CJK_LEGAL_FORMS:
        text = text.replace(form, " ")
    out = []
    for index, char in enumerate(text):
        name = unicodedata.name(char, "")
        if "CJK" in name or "HANGUL" in name:
            out.append(f" {anyascii(char)} ")
            continue
        out.append(char)
        if name.startswith(_ABUGIDAS):
            latin = anyascii(char)
            following = text[index + 1] if index + 1 < len(text) else " "
            inside = unicodedata.category(following) not in ("Zs", "Po", "Pd") and following.strip()
            if (
                latin
                and latin[-1] not in "aeiou"
                and inside
                and unicodedata.category(following) not in ("Mn", "Mc")
            ):
                out.append("a")
    return anyascii("".join(out))


def _foreign(text: str) -> bool:
    """Whether the name is written (partly) in a script other than the Latin alphabet."""
    return any(c.isalpha() and not unicodedata.name(c, "LATIN").startswith("LATIN") for c in text)


def _stem(token: str) -> str:
    token = ABBREVIATIONS.get(token, token)
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


@lru_cache(maxsize=200_000)
def tokens(name: str) -> tuple[str, ...]:
    """The normalized words of a firm's name (legal forms and filler words taken out)."""
    return tuple(_stem(w) for w in words_of(name))


@lru_cache(maxsize=200_000)
def words_of(name: str) -> tuple[str, ...]:
    """The words of a name in Latin letters, lower case, legal forms and filler taken out."""
    text = _latin(name).lower().replace("&", " and ").replace("'", "")
    text = re.sub(r"(?<=\b\w)\.(?=\w\b\.?)", "", text)  # s.a.c. -> sac.
    text = re.sub(r"\b(\w)\.(?=\s|$)", r"\1", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    joined, letters = [], []
    for word in words:  # "s a c" -> "sac"
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        if letters:
            joined.append("".join(letters))
            letters = []
        joined.append(word)
    if letters:
        joined.append("".join(letters))
    kept = [w for w in (_unglue(w) for w in joined) for w in w if not _is_legal(w) and w not in FILLER]
    return tuple(kept or joined)


_LONG_LEGAL = (
    "private",
    "limited",
    "company",
    "corporation",
    "incorporated",
    "industries",
    "sanayi",
    "ticaret",
)


def _is_legal(word: str) -> bool:
    """A legal form, also misspelt by one letter ("Pvrivate", "Limted")."""
    if word in LEGAL_FORMS:
        return True
    return len(word) >= 6 and any(
        OSA.distance(word, form) <= 1 for form in _LONG_LEGAL if form not in ("industries",)
    )


def _unglue(word: str) -> list[str]:
    """A word with a legal form stuck to its end ("MillsLimited", "UppersPrivate") split in two."""
    for form in sorted(LEGAL_FORMS | set(_LONG_LEGAL), key=len, reverse=True):
        if len(form) >= 3 and len(word) > len(form) + 2 and word.endswith(form):
            return [*_unglue(word[: -len(form)]), form]
    return [word]


def name_key(name: str) -> str:
    """Words sorted: order does not matter."""
    return " ".join(sorted(tokens(name)))


def flat_key(name: str) -> str:
    """Words joined without spaces: spacing does not matter."""
    return "".join(tokens(name))


def address_key(address: str) -> str:
    text = _latin(address or "").lower()
    return " ".join(sorted(w for w in re.split(r"[^a-z0-9]+", text) if w and w not in FILLER))


def _numbers(name: str) -> frozenset[str]:
    return frozenset(w for w in tokens(name) if any(c.isdigit() for c in w))


SAME_WORD = 0.84  # Jaro-Winkler similarity at which two words are the same word misspelt
# Words shorter than this are the same word misspelt only one edit apart (a letter dropped, added,
# changed, or two swapped): "Masiri" and "Masina" are two firms' names, "Masiri" and "Masirri" one.
LONG_WORD = 10
# Words a firm adds to its name or leaves out without becoming another firm.
GENERIC = frozenset("group international enterprise enterprises holding holdings".split())


def _same_word(word: str, other: str, similarity: float) -> bool:
    if similarity < SAME_WORD:
        return False
    return min(len(word), len(other)) >= LONG_WORD or OSA.distance(word, other) <= 1


def _aligned(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, bool]:
    """How well the words of a find a counterpart in b and the other way round (0 to 100, weighted
    by word length), and whether some word on either side has none (another word, not a typo; a
    generic word such as "Group" may have none)."""

    def one_way(x, y):
        total = weight = 0.0
        orphan = False
        for word in x:
            best, closest = max(
                ((JaroWinkler.similarity(word, other), other) for other in y), default=(0.0, "")
            )
            if word not in GENERIC:
                orphan = orphan or not _same_word(word, closest, best)
            total += len(word) * best
            weight += len(word)
        return (total / weight if weight else 0.0), orphan

    (ab, orphan_a), (ba, orphan_b) = one_way(a, b), one_way(b, a)
    return 50 * (ab + ba), orphan_a or orphan_b


def _skeleton(key: str) -> str:
    """Consonants only, after folding spellings that transliterations disagree on."""
    for old, new in (
        ("sh", "s"),
        ("kh", "k"),
        ("gh", "g"),
        ("th", "t"),
        ("dh", "d"),
        ("bh", "b"),
        ("ph", "f"),
    ):
        key = key.replace(old, new)
    return re.sub(r"[aeiouyw h']", "", key)


def name_score(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    flat = fuzz.ratio(flat_key(a), flat_key(b))
    spacing_only = fuzz.ratio("".join(words_of(a)), "".join(words_of(b))) >= 95
    aligned, orphan = _aligned(ta, tb)
    best = max(fuzz.ratio(name_key(a), name_key(b)), flat, aligned)
    if _foreign(a) != _foreign(b):
        # One side transliterated: vowels are where transliterations differ most.
        best = max(best, fuzz.ratio(_skeleton(flat_key(a)), _skeleton(flat_key(b))))
    elif orphan and not spacing_only:
        best = min(best, NUMBER_CAP)  # a word of one name is not in the other: another firm, maybe
    if _numbers(a) != _numbers(b):
        best = min(best, NUMBER_CAP)
    return best


def score(name_a: str, name_b: str, address_a: str = "", address_b: str = "") -> float:
    """0 to 100: how sure we are that the two are the same firm (in the same country)."""
    names = name_score(name_a, name_b)
    if address_a.strip() and address_b.strip():
        addresses = fuzz.token_set_ratio(address_key(address_a), address_key(address_b))
        # The same name at an address far apart is another facility of the firm: a person decides.
        return (1 - ADDRESS_WEIGHT) * names + ADDRESS_WEIGHT * addresses
    return names


@dataclass(frozen=True)
class Known:
    """A party to match against."""

    id: int
    name: str
    country: str
    address: str = ""
    identifiers: tuple[str, ...] = ()  # "scheme:value", lower case


@dataclass(frozen=True)
class Match:
    party_id: int | None
    score: float
    outcome: str  # "link", "review" or "new"


def decide(best: float) -> str:
    return "link" if best >= LINK else "review" if best >= REVIEW else "new"


CHUNK = 512
SHORTLIST = 5


def match_all(rows: list[tuple[str, str, str, tuple[str, ...]]], known: list[Known]) -> list[Match]:
    """The best party for each (name, country, address, identifiers) row: identifiers first, then
    names within the same country, shortlisted with ``cdist`` on both keys (all cores) and scored in
    full on the shortlist only."""
    by_identifier = {ident: k for k in known for ident in k.identifiers}
    by_country: dict[str, list[Known]] = {}
    for k in known:
        by_country.setdefault(k.country, []).append(k)
    results: list[Match | None] = [None] * len(rows)
    pending: dict[str, list[int]] = {}
    for index, (_name, country, _address, identifiers) in enumerate(rows):
        hit = next((by_identifier[i] for i in identifiers if i in by_identifier), None)
        if hit is not None:
            results[index] = Match(hit.id, 100.0, "link")
        else:
            pending.setdefault(country, []).append(index)
    for country, indexes in pending.items():
        candidates = by_country.get(country, [])
        if not candidates:
            for index in indexes:
                results[index] = Match(None, 0.0, "new")
            continue
        sorted_keys = [name_key(k.name) for k in candidates]
        flat_keys = [flat_key(k.name) for k in candidates]
        for start in range(0, len(indexes), CHUNK):
            chunk = indexes[start : start + CHUNK]
            a = cdist([name_key(rows[i][0]) for i in chunk], sorted_keys, scorer=fuzz.ratio, workers=-1)
            b = cdist([flat_key(rows[i][0]) for i in chunk], flat_keys, scorer=fuzz.ratio, workers=-1)
            best = np.maximum(a, b)
            take = min(SHORTLIST, best.shape[1])
            shortlist = np.argpartition(-best, take - 1, axis=1)[:, :take]
            for row_number, index in enumerate(chunk):
                name, _country, address, _ids = rows[index]
                scored = [
                    (score(name, candidates[j].name, address, candidates[j].address), -candidates[j].id, j)
                    for j in shortlist[row_number]
                    if best[row_number, j] >= REVIEW - 15
                ]
                if not scored:
                    results[index] = Match(None, float(best[row_number].max()), "new")
                    continue
                top, _tie, j = max(scored)
                outcome = decide(top)
                results[index] = Match(candidates[j].id if outcome != "new" else None, round(top, 1), outcome)
    return [r for r in results if r is not None]
