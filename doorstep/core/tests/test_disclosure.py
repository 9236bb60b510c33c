"""Disclosure control, proved on random tables (hypothesis): no published cell or total comes from
fewer than k workers, and no suppressed value can be worked out from what is published. The check
of "worked out" is independent of the module's own reasoning: linear algebra on the table's
equations (a hidden value is recoverable exactly when its unit vector lies in the row space of the
equations restricted to the hidden entries)."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from doorstep.core import disclosure
from doorstep.core.disclosure import TOTAL

counts = st.integers(min_value=0, max_value=40)
small_k = st.integers(min_value=5, max_value=12)


def _recoverable(equations: list[dict], hidden: list) -> set:
    """The hidden entries whose value the equations (each {entry: coefficient} summing to 0) fix."""
    if not hidden:
        return set()
    index = {key: i for i, key in enumerate(hidden)}
    matrix = np.zeros((len(equations), len(hidden)))
    for row, equation in enumerate(equations):
        for key, coefficient in equation.items():
            if key in index:
                matrix[row, index[key]] = coefficient
    rank = np.linalg.matrix_rank(matrix) if len(equations) else 0
    found = set()
    for key, i in index.items():
        unit = np.zeros((1, len(hidden)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


def _equations_2d(protected) -> list[dict]:
    rows = {r for r, _c in protected.counts}
    columns = {c for _r, c in protected.counts}
    equations = []
    for r in rows:
        equation = {(r, c): 1 for c in columns if c != TOTAL}
        equation[(r, TOTAL)] = -1
        equations.append(equation)
    for c in columns:
        equation = {(r, c): 1 for r in rows if r != TOTAL}
        equation[(TOTAL, c)] = -1
        equations.append(equation)
    return equations


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8), small_k)
def test_one_dimension(values, k):
    protected = disclosure.protect_counts({(f"s{i}",): n for i, n in enumerate(values)}, k=k, dims=1)
    assert protected.counts[(TOTAL,)] in (None, sum(values))
    for key, n in protected.counts.items():
        assert n is None or n == 0 or n >= k, key  # nothing published below k
    equation = {key: 1 for key in protected.counts if key != (TOTAL,)} | {(TOTAL,): -1}
    hidden = sorted(protected.suppressed, key=repr)
    assert _recoverable([equation], hidden) == set()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=4),
    st.data(),
    small_k,
)
def test_two_dimensions_with_margins(n_rows, n_columns, data, k):
    values = {(f"r{r}", f"c{c}"): data.draw(counts) for r in range(n_rows) for c in range(n_columns)}
    protected = disclosure.protect_counts(values, k=k, dims=2)
    for key, n in protected.counts.items():
        assert n is None or n == 0 or n >= k, key
    for key, n in values.items():
        assert protected.counts[key] in (None, n)
    hidden = sorted(protected.suppressed, key=repr)
    assert _recoverable(_equations_2d(protected), hidden) == set()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=4),
    st.data(),
    small_k,
)
def test_a_two_way_table_hides_its_margins_as_the_one_way_tables_do(n_rows, n_columns, data, k):
    """Asking by sector, by country, and by sector × country gives nothing the last alone does not:
    every margin is shown or hidden in the two-way table as in the one-way table it also belongs to."""
    values = {(f"r{r}", f"c{c}"): data.draw(counts) for r in range(n_rows) for c in range(n_columns)}
    two = disclosure.protect_counts(values, k=k, dims=2)
    rows = {r for r, _c in values}
    columns = {c for _r, c in values}
    by_row = disclosure.protect_counts(
        {(r,): sum(n for (r2, _c), n in values.items() if r2 == r) for r in rows}, k=k, dims=1
    )
    by_column = disclosure.protect_counts(
        {(c,): sum(n for (_r, c2), n in values.items() if c2 == c) for c in columns}, k=k, dims=1
    )
    for r in [*rows, TOTAL]:
        assert two.shown((r, TOTAL)) == by_row.shown((r,)), r
    for c in [*columns, TOTAL]:
        assert two.shown((TOTAL, c)) == by_column.shown((c,)), c


def test_a_worked_example():
    # Sector × country: embroidery in Nepal has 3 workers, so it goes, and so must enough others
    # that neither the row nor the column total gives it away.
    values = {
        ("embroidery", "IN"): 40,
        ("embroidery", "NP"): 3,
        ("beadwork", "IN"): 25,
        ("beadwork", "NP"): 12,
        ("footwear", "IN"): 30,
        ("footwear", "NP"): 20,
    }
    protected = disclosure.protect_counts(values, k=10, dims=2)
    assert protected.primary == {("embroidery", "NP")}
    assert ("embroidery", "NP") in protected.suppressed and len(protected.suppressed) >= 4
    assert protected.counts[(TOTAL, TOTAL)] == 130  # the grand total need not go
    assert protected.counts[("footwear", "IN")] == 30  # the biggest cells stay


def test_workers_are_counted_once_and_must_fall_in_one_cell():
    rows = [(("embroidery",), worker) for worker in range(12)] + [(("embroidery",), 3)]
    assert disclosure.protect(rows, k=10, dims=1).counts[("embroidery",)] == 12
    with pytest.raises(ValueError, match="two cells"):
        disclosure.protect([(("embroidery",), 1), (("beadwork",), 1)], k=10, dims=1)
    with pytest.raises(ValueError, match="2 part"):
        disclosure.protect([(("embroidery",), 1)], k=10, dims=2)


def test_k_is_never_below_five():
    assert (
        disclosure.checked_k(None) == 10 and disclosure.checked_k(3) == 5 and disclosure.checked_k(12) == 12
    )
    protected = disclosure.protect_counts({("a",): 4, ("b",): 30}, k=2, dims=1)
    assert protected.k == 5 and protected.counts[("a",)] is None


# Zeros, empty tables and hierarchies ----------------------------------------------------------------

places = st.dictionaries(
    st.tuples(st.sampled_from("AB"), st.sampled_from("xyz"), st.sampled_from("pqr")), counts, max_size=12
)


@settings(max_examples=300, deadline=None)
@given(places, small_k)
@example(leaves={("B", "x", "p"): 0, ("B", "x", "q"): 4, ("B", "x", "r"): 1}, k=5)
def test_a_hierarchy_is_protected_whole(leaves, k):
    status = disclosure.protect_tree(leaves, k=k)
    value = {}
    for path, n in leaves.items():
        for depth in range(4):
            value[path[:depth]] = value.get(path[:depth], 0) + n
    value.setdefault((), 0)
    for node, n in value.items():
        if not status[node]:
            assert n == 0 or n >= k  # nothing shown under k
        if status[node]:
            # everything under a withheld node is withheld, zeros too
            assert all(status[other] for other in value if other[: len(node)] == node)
    for parent in value:
        if status[parent] or len(parent) == 3:
            continue
        children = [c for c in value if len(c) == len(parent) + 1 and c[: len(parent)] == parent]
        withheld = [value[c] for c in children if status[c]]
        if withheld:
            # a shown parent less its shown children gives two or more withheld children together
            assert len(withheld) >= 2
            # Every child with workers withheld (a shown zero tells nothing): they hold the shown
            # parent's k or more between them, so each one's range is at least k wide.
            everything = all(status[c] for c in children if value[c] > 0)
            assert everything or all(sum(withheld) - n >= k for n in withheld if n < k)


def test_a_table_whose_total_is_under_k_withholds_every_cell_zeros_too():
    protected = disclosure.protect_counts({("a", "x"): 3, ("b", "y"): 0, ("a", "y"): 2}, k=10, dims=2)
    assert all(n is None for n in protected.counts.values())
    one = disclosure.protect_counts({("a",): 3, ("b",): 0}, k=10, dims=1)
    assert all(n is None for n in one.counts.values())


def test_zeros_inside_a_withheld_row_are_withheld():
    values = {("a", "x"): 30, ("a", "y"): 20, ("b", "x"): 4, ("b", "y"): 0, ("c", "x"): 25, ("c", "y"): 12}
    protected = disclosure.protect_counts(values, k=10, dims=2)
    assert protected.counts[("b", TOTAL)] is None and protected.counts[("b", "y")] is None


def test_every_code_of_a_code_list_is_a_row():
    protected = disclosure.protect_counts({("a",): 30}, k=10, dims=1, codes=[["a", "b", "c"]])
    assert protected.counts == {("a",): 30, ("b",): 0, ("c",): 0, (TOTAL,): 30}


# Cell-key noise -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=2**40), small_k)
def test_noise_is_bounded_deterministic_and_never_under_k(n, key_sum, k):
    shown = disclosure.perturb(n, key_sum, k=k)
    assert shown == disclosure.perturb(n, key_sum, k=k)
    if n == 0:
        assert shown == 0
    elif n >= k:
        assert shown >= k and abs(shown - n) <= disclosure.MAX_DEVIATION


def test_the_perturbation_table_has_the_documented_mean_and_variance():
    keys = [i / 10_000 for i in range(10_000)]
    noise = [disclosure.noise(key) for key in keys]
    mean = sum(noise) / len(noise)
    variance = sum((d - mean) ** 2 for d in noise) / len(noise)
    assert abs(mean) < 0.01 and abs(variance - disclosure.VARIANCE) < 0.01
    assert disclosure.VARIANCE == pytest.approx(0.8)
