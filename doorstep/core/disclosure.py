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
import secrets
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


# Cell-key noise ---------------------------------------------------------------------------------------
# The cell-key method of the ABS TableBuilder and the ONS 2021 Census flexible tables. Each worker
# carries a random record key (``Member.record_key``: drawn at random when she is registered, stored,
# derived from nothing). A cell's key is the sum of its contributors' record keys modulo
# RECORD_KEY_SPACE, read as a fraction in [0, 1); the perturbation table turns it into the noise
# added to the cell's count. The same contributors give the same cell key and so the same noise
# every time: asking again, or the same cell through another table, averages nothing out.
#
# The perturbation table: noise d in -MAX_DEVIATION..MAX_DEVIATION with the probabilities below
# (mean 0, variance 0.8). A zero stays zero (nobody: nothing to hide), and a count is never
# perturbed into 1..k-1 (a shown count is k or more; where n + d would fall under k it is k).

RECORD_KEY_SPACE = 2**31
MAX_DEVIATION = 2
PERTURBATION = ((-2, 0.05), (-1, 0.20), (0, 0.50), (1, 0.20), (2, 0.05))
VARIANCE = sum(d * d * p for d, p in PERTURBATION)
SUM_OFFSET = 0.5  # a sum of the cell (orders, cases) reads the table at the cell key plus this


def new_record_key() -> int:
    """A worker's record key: random, uniform over RECORD_KEY_SPACE."""
    return secrets.randbelow(RECORD_KEY_SPACE)


def cell_key(key_sum: int) -> float:
    """A cell's key in [0, 1) from the sum of its contributors' record keys."""
    return (int(key_sum) % RECORD_KEY_SPACE) / RECORD_KEY_SPACE


def noise(key: float) -> int:
    """The perturbation table's noise for a cell key."""
    cumulative = 0.0
    for deviation, probability in PERTURBATION:
        cumulative += probability
        if key < cumulative:
            return deviation
    return PERTURBATION[-1][0]


def perturb(n: int, key_sum: int, *, k: int, floor: int | None = None, offset: float = 0.0) -> int:
    """A count (or a sum of counts) as shown outside the organization: ``n`` plus the noise of the
    cell's key, never under k (or ``floor``), and 0 where ``n`` is 0."""
    if not n:
        return 0
    shown = n + noise((cell_key(key_sum) + offset) % 1.0)
    return max(shown, checked_k(k) if floor is None else floor)


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


def protect_counts(
    counts: dict[tuple, int],
    *,
    k: int,
    dims: int,
    codes: tuple | list | None = None,
    margins: tuple | list | None = None,
) -> Protected:
    """The same from counts of distinct workers per cell (each worker in one cell).

    ``codes``: for each dimension, the codes of its code list (or None): each is a row, zero or
    not, so that a row's presence tells nothing. ``margins``: for each dimension, the statuses its
    one-way cells have where they are protected with more than this table (a level of a hierarchy:
    ``protect_tree``), or None to protect them here."""
    k = checked_k(k)
    counts = dict(counts)
    for index, listed in enumerate(codes or ()):
        for code in listed or ():
            if dims == 1:
                counts.setdefault((code,), 0)
            else:
                others = {key[1 - index] for key in counts} or set()
                for other in others:
                    counts.setdefault((code, other) if index == 0 else (other, code), 0)
    margins = list(margins or [None] * dims)
    if dims == 1:
        return _one(counts, k, margins[0])
    return _two(counts, k, margins)


SHOWN, PRIMARY, COMPLEMENTARY = "", "primary", "complementary"


def protect_tree(leaves: dict[tuple, int], *, k: int) -> dict[tuple, str]:
    """Protect a hierarchy jointly (country ⊃ admin1 ⊃ admin2, or a flat list: one level).

    ``leaves``: workers per path of the finest level (each path as long as the others). Returns
    the status of every node (every prefix of a path; ``()`` is the total): ``SHOWN``, ``PRIMARY``
    or ``COMPLEMENTARY``. The rules, which keep every withheld node's feasible range (given every
    shown node and that counts are not negative) at least k wide:

    - a node of fewer than k workers (not none) is withheld; so is everything under a withheld
      node, zeros too (a zero inside a withheld group says where the few are);
    - under a shown node, the withheld children are at least two, and for each withheld child of
      fewer than k, the other withheld children hold at least k between them; else the smallest
      shown child is withheld too (with everything under it). A shown node is never withheld to
      protect its children (other tables show it anyway): when all its children are withheld they
      hold its k or more between them;
    - a total under k withholds everything.
    """
    k = checked_k(k)
    value: dict[tuple, int] = defaultdict(int)
    children: dict[tuple, set] = defaultdict(set)
    for path, n in leaves.items():
        path = tuple(path)
        for depth in range(len(path) + 1):
            value[path[:depth]] += n
            if depth:
                children[path[: depth - 1]].add(path[:depth])
    value.setdefault((), 0)
    status = {node: (PRIMARY if _needs_hiding(n, k) else SHOWN) for node, n in value.items()}
    if value[()] < k:
        return {node: (PRIMARY if node == () or status[node] else COMPLEMENTARY) for node in value}

    def withhold(node: tuple) -> None:
        if not status[node]:
            status[node] = COMPLEMENTARY
        for child in children.get(node, ()):
            withhold(child)

    for node in sorted(value, key=len):
        if status[node]:
            withhold(node)
    # Parents before children: withholding a child withholds what is under it, never above it.
    for parent in sorted(children, key=lambda node: (len(node), repr(node))):
        if status[parent]:
            continue
        group = sorted(children[parent], key=repr)
        while not _safe([value[c] for c in group if status[c]], k):
            shown = [c for c in group if not status[c] and value[c] > 0]
            if not shown:
                break  # every child withheld: between them they hold the shown parent's k or more
            withhold(min(shown, key=lambda c: (value[c], repr(c))))
    return status


def _safe(withheld: list[int], k: int) -> bool:
    """Whether the withheld members of a group under a shown total keep each other's ranges: none,
    or two or more, with at least k workers in the others of each one under k."""
    if not withheld:
        return True
    if len(withheld) < 2:
        return False
    total = sum(withheld)
    return all(total - n >= k for n in withheld if n < k)


def _needs_hiding(count: int, k: int) -> bool:
    return 0 < count < k


def _one(counts: dict[tuple, int], k: int, statuses: dict | None = None) -> Protected:
    table = dict(counts)
    table[(TOTAL,)] = sum(counts.values())
    if statuses is None:
        tree = protect_tree(counts, k=k)
        statuses = {key: tree[key] for key in counts} | {(TOTAL,): tree[()]}
    primary = {key for key in table if statuses.get(key) == PRIMARY}
    complementary = {key for key in table if statuses.get(key) == COMPLEMENTARY}
    hidden = primary | complementary
    return Protected(
        k, 1, {key: (None if key in hidden else n) for key, n in table.items()}, primary, complementary
    )


def _two(counts: dict[tuple, int], k: int, margins: list) -> Protected:
    rows = [*sorted({r for r, _c in counts}, key=repr), TOTAL]
    columns = [*sorted({c for _r, c in counts}, key=repr), TOTAL]
    grid: dict[tuple, int] = {}
    for r in rows[:-1]:
        for c in columns[:-1]:
            grid[(r, c)] = counts.get((r, c), 0)
        grid[(r, TOTAL)] = sum(grid[(r, c)] for c in columns[:-1])
    for c in columns:
        grid[(TOTAL, c)] = sum(grid[(r, c)] for r in rows[:-1])
    # The margins are the cells of the two one-way tables (by row alone, by column alone), which
    # anyone may ask for too: they are withheld exactly where those tables withhold them, so that
    # side by side the tables give nothing more than each alone.
    by_row = _one({(r,): grid[(r, TOTAL)] for r in rows[:-1]}, k, margins[0])
    by_column = _one({(c,): grid[(TOTAL, c)] for c in columns[:-1]}, k, margins[1])
    primary = {key for key, n in grid.items() if TOTAL not in key and _needs_hiding(n, k)}
    hidden = set(primary)
    public = set()
    for r in rows:
        (primary if (r,) in by_row.primary else hidden if (r,) in by_row.suppressed else public).add(
            (r, TOTAL)
        )
    for c in columns[:-1]:
        (primary if (c,) in by_column.primary else hidden if (c,) in by_column.suppressed else public).add(
            (TOTAL, c)
        )
    hidden |= primary
    if (TOTAL, TOTAL) in hidden:  # a table whose total is under k shows nothing
        hidden |= set(grid)
    # Zeros and all else inside a withheld row or column are withheld.
    for r, c in list(grid):
        if TOTAL not in (r, c) and ((r, TOTAL) in hidden or (TOTAL, c) in hidden):
            hidden.add((r, c))
    while True:
        before = len(hidden)
        lines = [((r, TOTAL), [(r, c) for c in columns[:-1]]) for r in rows[:-1]] + [
            ((TOTAL, c), [(r, c) for r in rows[:-1]]) for c in columns[:-1]
        ]
        for margin, line in lines:
            if margin in hidden:
                continue
            while not _safe([grid[cell] for cell in line if cell in hidden], k):
                shown = [cell for cell in line if cell not in hidden and grid[cell] > 0]
                if not shown:
                    break  # the row is its margin, public anyway: the columns carry the rest
                hidden.add(min(shown, key=lambda cell: (grid[cell], repr(cell))))
        while (bridge := _a_bridge(hidden)) is not None:
            hidden |= _cheapest_rectangle(bridge, hidden, grid, rows, columns, public)
        if len(hidden) == before:
            break
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
