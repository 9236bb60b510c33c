"""The attacks a determined recipient can play on the aggregates door, as code: the test oracle of
the attack suite and ``python -m doorstep disclosure audit --recipient <slug>``.

The recipient requests every table the door allows it for a dataset (each dimension alone, each
pair), takes every value published **before noise** (the strongest position: noise only adds to
the protection) and solves, with linear programs (scipy's HiGHS), the feasible range of every
cell withheld anywhere, given those values and that no count is negative. A range narrower than k
is a finding: the cell and how far it can be pinned.

Families of linked tables: for each pair of dimensions (A, B) the tables by A, by B and by A × B
(the unknowns are the A × B cells); for members, the places hierarchy, country, state and district
(the unknowns are the districts within their states, read from the engine). A withheld cell that a
published zero shows to be empty has nothing to protect and is left aside. Needs scipy (the dev
extras)."""

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.optimize import linprog

from doorstep.core import analytics
from doorstep.core.disclosure import TOTAL
from doorstep.core.errors import ValidationError
from doorstep.members.queries import CONSENT_FOR_SHARING

from . import cells, queries

FLAT = (
    "category",
    "gender",
    "sector",
    "country",
    "organization",
    "problem",
    "case_status",
    "party",
    "supplier",
)


@dataclass
class Finding:
    dataset: str
    family: tuple
    table: tuple  # the group_by of the table the cell is withheld in
    key: tuple
    low: float
    high: float
    k: int

    def __str__(self) -> str:
        return (
            f"{self.dataset} by {' × '.join(self.table)} {self.key}: between {self.low:g} and "
            f"{self.high:g} (narrower than k = {self.k}), from the tables by {', '.join(self.family)}"
        )


def findings(recipient, datasets=("members", "work", "grievances")) -> list[Finding]:
    """Every withheld cell an attacker can pin to a range narrower than k."""
    found = []
    for dataset in datasets:
        found += _pairs(recipient, dataset)
        if dataset == "members":
            found += _places(recipient)
    return found


def _published(recipient, dataset: str, group_by: tuple):
    try:
        ask = queries.ask(recipient, dataset=dataset, group_by=list(group_by))
    except ValidationError:
        return None  # not offered
    table = queries.figures(ask)
    return table if table.rows else None


def _pairs(recipient, dataset: str) -> list[Finding]:
    found = []
    offered = [code for code in FLAT if _published(recipient, dataset, (code,)) is not None]
    for family in combinations(offered, 2):
        two = _published(recipient, dataset, family)
        if two is None:
            continue
        tables = [(g, _published(recipient, dataset, g)) for g in ((family[0],), (family[1],))] + [
            (family, two)
        ]
        tables = [(g, t) for g, t in tables if t is not None]
        unknowns = [row.key for row in two.rows if TOTAL not in row.key]
        published = [
            (_matcher(g, row.key, family), row.figures["workers"], g, row.key)
            for g, t in tables
            for row in t.rows
        ]
        found += _narrow(dataset, family, unknowns, published, two.k)
    return found


def _places(recipient) -> list[Finding]:
    tables = [(code, _published(recipient, "members", (code,))) for code in queries.PLACES]
    if any(table is None for _code, table in tables):
        return []
    first = tables[0][1]
    ids = [o.pk for o in first.organizations]
    with analytics.Snapshot(ids) as snapshot:
        leaves = cells.members(
            snapshot, group_by=queries.PLACES, consent=CONSENT_FOR_SHARING[first.ask.purpose], recent=[]
        ).counts
    published = []
    for code, table in tables:
        level = queries.PLACES.index(code)
        for row in table.rows:
            part = row.key[0]
            if part == TOTAL:
                test = _everything
            else:
                test = _at(level, part)
            published.append((test, row.figures["workers"], (code,), row.key))
    return _narrow("members", queries.PLACES, list(leaves), published, first.k)


def _everything(_unknown) -> bool:
    return True


def _at(level: int, part):
    return lambda unknown: unknown[level] == part


def _matcher(group_by, key, family):
    def matches(unknown):
        return all(
            part == TOTAL or unknown[family.index(code)] == part
            for code, part in zip(group_by, key, strict=True)
        )

    return matches


def _narrow(dataset, family, unknowns, published, k) -> list[Finding]:
    index = {u: i for i, u in enumerate(unknowns)}
    equations, values, withheld = [], [], []
    for matches, value, group_by, key in published:
        vector = np.zeros(len(unknowns))
        for unknown in unknowns:
            if matches(unknown):
                vector[index[unknown]] = 1
        if value is None:
            withheld.append((vector, group_by, key))
        else:
            equations.append(vector)
            values.append(value)
    found = []
    for vector, group_by, key in withheld:
        ends = []
        for sign in (1, -1):
            result = linprog(
                sign * vector,
                A_eq=np.array(equations) if equations else None,
                b_eq=np.array(values, dtype=float) if values else None,
                bounds=[(0, None)] * len(unknowns),
                method="highs",
            )
            if result.status != 0:
                raise RuntimeError(f"the published values admit no table: {result.message}")
            ends.append(sign * result.fun)
        low, high = ends
        if high > 1e-9 and high - low < k - 1e-6:
            found.append(Finding(dataset, family, group_by, key, low, high, k))
    return found
