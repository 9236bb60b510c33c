"""Disclosure control: the one door every aggregate shown outside the owning organization goes
through (DESIGN.md §4).

A table counts **distinct workers** per cell, by one dimension (sector) or two (sector × country),
with its totals. A cell built from fewer than *k* workers is suppressed (*primary* suppression; an
empty cell is a true zero and is shown). Then *complementary* suppression hides enough other cells
that no suppressed value can be worked out from the totals by subtraction:

- One dimension: the cells and the total satisfy one equation, so a lone suppressed value can be
  recovered; a second one (the smallest other cell) is suppressed with it.
- Two dimensions: write the table with its row totals, column totals and grand total as an
  (R+1) × (C+1) grid; every row and every column of it is an equation. Think of each suppressed
  entry as an edge between its row and its column: a suppressed value is determined by the
  published ones exactly when its edge is a *bridge* (lies on no cycle of suppressed edges). So
  while a bridge remains, the cheapest rectangle of cells that closes a cycle through it is
  suppressed too (cheapest: fewest workers hidden). At the end no suppressed entry is determined.
- A two-way table's margins are the cells of its two one-way tables, which can be asked for too:
  its margins are hidden exactly where those tables hide them, so that side by side they give
  nothing more than the two-way table alone.

Each worker must fall in exactly one cell (the dimensions partition the workers); otherwise the
totals are not sums and the arithmetic above does not hold, so ``protect`` refuses such input.
Medians, shares and other figures may be shown only for cells that ``Protected.shown`` says pass.
"""

import calendar
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

DEFAULT_K = 10
MINIMUM_K = 5
TOTAL = "__total__"  # the key of a margin in a table's cells: (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)


def checked_k(k: int | None) -> int:
    """The threshold to use: the default when unset, never below the minimum."""
    return max(MINIMUM_K, int(k or DEFAULT_K))


# Periods on a lattice -------------------------------------------------------------------------------
# Outside the owning organization a table is for a calendar month, quarter or year, never a free
# range: two free ranges that overlap differ by a sliver of days, and subtracting their tables gives
# the sliver's cells. Months nest in quarters, quarters in years, and tables by month are read from
# their year's one protected table (``queries.figures``).

PERIOD_FORMS = "YYYY-MM, YYYY-Qn, YYYY"
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>[1-4])))?$")


@dataclass(frozen=True)
class Period:
    """A calendar month (``2026-03``), quarter (``2026-Q1``) or year (``2026``), with its days."""

    text: str
    start: date
    end: date

    @property
    def year(self) -> "Period":
        return lattice_period(self.text[:4])


def lattice_period(text: str) -> Period:
    """The period ``text`` names; ``ValueError`` when it is not a month, quarter or year."""
    found = _PERIOD.match(str(text or "").strip())
    if not found:
        raise ValueError(text)
    year = int(found["year"])
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise ValueError(text)
        first, last = month, month
        name = f"{year:04d}-{month:02d}"
    elif found["quarter"]:
        quarter = int(found["quarter"])
        first, last = 3 * quarter - 2, 3 * quarter
        name = f"{year:04d}-Q{quarter}"
    else:
        first, last, name = 1, 12, f"{year:04d}"
    if year < 1900:
        raise ValueError(text)
    return Period(name, date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


def period_of_days(start: date | None, end: date | None) -> Period | None:
    """The lattice period that is exactly these days, or None."""
    if start is None or end is None or start.day != 1:
        return None
    for text in (f"{start.year:04d}-{start.month:02d}", f"{start.year:04d}-Q{(start.month + 2) // 3}"):
        candidate = lattice_period(text)
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    candidate = lattice_period(f"{start.year:04d}")
    return candidate if (candidate.start, candidate.end) == (start, end) else None


@dataclass
class Protected:
    """A table after suppression. ``counts`` holds every cell and margin (None where suppressed)."""

    k: int
    dims: int
    counts: dict[tuple, int | None]
    primary: set[tuple] = field(default_factory=set)
    complementary: set[tuple] = field(default_factory=set)

    def shown(self, key: tuple) -> bool:
        return self.counts.get(key) is not None

    @property
    def suppressed(self) -> set[tuple]:
        return self.primary | self.complementary


def protect(memberships: Iterable[tuple[tuple, Hashable]], *, k: int, dims: int) -> Protected:
    """Suppress a table given (cell key, worker id) pairs; a cell key has ``dims`` parts (1 or 2)."""
    if dims not in (1, 2):
        raise ValueError("a table has one or two dimensions")
    k = checked_k(k)
    workers: dict[tuple, set] = defaultdict(set)
    seen: dict[Hashable, tuple] = {}
    for key, worker in memberships:
        key = tuple(key)
        if len(key) != dims:
            raise ValueError(f"cell {key!r} does not have {dims} part(s)")
        if seen.setdefault(worker, key) != key:
            raise ValueError("a worker falls in two cells: the dimensions must partition the workers")
        workers[key].add(worker)
    counts = {key: len(ids) for key, ids in workers.items()}
    return protect_counts(counts, k=k, dims=dims)


def protect_counts(counts: dict[tuple, int], *, k: int, dims: int) -> Protected:
    """The same from counts of distinct workers per cell (each worker in one cell)."""
    k = checked_k(k)
    if dims == 1:
        return _one(counts, k)
    return _two(counts, k)


def _needs_hiding(count: int, k: int) -> bool:
    return 0 < count < k


def _one(counts: dict[tuple, int], k: int) -> Protected:
    table = dict(counts)
    table[(TOTAL,)] = sum(counts.values())
    primary = {key for key, n in table.items() if _needs_hiding(n, k)}
    complementary: set[tuple] = set()
    if len(primary) == 1:
        others = sorted(
            (n, repr(key), key)
            for key, n in table.items()
            if key not in primary and n > 0 and key != (TOTAL,)
        )
        extra = others[0][2] if others else (TOTAL,)
        complementary.add(extra)
    hidden = primary | complementary
    return Protected(
        k, 1, {key: (None if key in hidden else n) for key, n in table.items()}, primary, complementary
    )


def _two(counts: dict[tuple, int], k: int) -> Protected:
    rows = [*sorted({r for r, _c in counts}, key=repr), TOTAL]
    columns = [*sorted({c for _r, c in counts}, key=repr), TOTAL]
    grid: dict[tuple, int] = {}
    for r in rows[:-1]:
        for c in columns[:-1]:
            grid[(r, c)] = counts.get((r, c), 0)
        grid[(r, TOTAL)] = sum(grid[(r, c)] for c in columns[:-1])
    for c in columns:
        grid[(TOTAL, c)] = sum(grid[(r, c)] for r in rows[:-1])
    primary = {key for key, n in grid.items() if _needs_hiding(n, k)}
    # The margins are also the cells of the two one-way tables (by row alone, by column alone), which
    # anyone may ask for too: hide here what those hide, and keep what they show, so that putting
    # the tables side by side gives nothing more than each alone.
    by_row = _one({(r,): grid[(r, TOTAL)] for r in rows[:-1]}, k)
    by_column = _one({(c,): grid[(TOTAL, c)] for c in columns[:-1]}, k)
    margins = {(r, TOTAL): (r,) for r in rows} | {(TOTAL, c): (c,) for c in columns}
    hidden = set(primary)
    public = set()
    for key, one_way in margins.items():
        table = by_row if key[1] == TOTAL and key[0] != TOTAL else by_column
        if one_way in table.suppressed:
            hidden.add(key)
        elif key not in primary:
            public.add(key)
    while (bridge := _a_bridge(hidden)) is not None:
        hidden |= _cheapest_rectangle(bridge, hidden, grid, rows, columns, public)
    complementary = hidden - primary
    return Protected(
        k, 2, {key: (None if key in hidden else n) for key, n in grid.items()}, primary, complementary
    )


def _cheapest_rectangle(
    edge: tuple, hidden: set, grid: dict, rows: list, columns: list, public: set
) -> set[tuple]:
    """The cells (r, c'), (r', c), (r', c') that, hidden with ``edge`` = (r, c), close a cycle, chosen
    to hide the fewest workers not hidden yet (zeros are free to hide but say nothing anyway). Margins
    the one-way tables publish are left alone while any other rectangle will do."""
    r, c = edge
    best, best_cost = None, None
    for other_row in rows:
        if other_row == r:
            continue
        for other_column in columns:
            if other_column == c:
                continue
            cells = {(r, other_column), (other_row, c), (other_row, other_column)}
            cost = (
                len((cells - hidden) & public),
                sum(grid[cell] for cell in cells if cell not in hidden),
                len(cells - hidden),
            )
            if best_cost is None or cost < best_cost:
                best, best_cost = cells, cost
    if best is None:
        raise ValueError("a table needs at least one row and one column besides its totals")
    return best


def _a_bridge(hidden: set[tuple]) -> tuple | None:
    """A hidden entry whose edge (row node — column node) is a bridge of the graph of hidden
    entries, or None when every hidden entry lies on a cycle."""
    adjacency: dict[tuple, list[tuple[tuple, tuple]]] = defaultdict(list)
    for key in hidden:
        row, column = ("row", key[0]), ("column", key[1])
        adjacency[row].append((column, key))
        adjacency[column].append((row, key))
    order: dict[tuple, int] = {}
    low: dict[tuple, int] = {}
    counter = 0
    for start in sorted(adjacency, key=repr):
        if start in order:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack = [(start, None, iter(adjacency[start]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for neighbour, key in edges:
                if key == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, key, iter(adjacency[neighbour])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return via
    return None
