"""Maximum-weight assignment of page entries to known entries.

The fuzzy stage proposes weighted candidate pairs; which pairs to take is decided for
all of them together, never first-come in page order (a page entry early on the page
must not take the known entry a later, better-fitting page entry belongs to).

Candidate pairs are sparse: an edited entry usually has one or two candidates. The
pairs are split into connected groups and each group is solved exactly with the
Hungarian method (Kuhn-Munkres with potentials, O(n²·m)); a group too large for that
(pathological pages whose entries all resemble each other) is assigned best-first
over its globally sorted weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

Edge = tuple[int, int, float]  # (row, column, weight > 0)


def assign(edges: Iterable[Edge], *, max_exact: int = 120) -> list[tuple[int, int]]:
    """A set of (row, column) pairs, each row and column used at most once, whose
    total weight is maximal (exactly for groups up to ``max_exact`` on their smaller
    side, best-first beyond). Non-positive weights are ignored. Deterministic."""
    edge_list = sorted((r, c, w) for r, c, w in edges if w > 0)
    result: list[tuple[int, int]] = []
    for group in _groups(edge_list):
        rows = sorted({r for r, _, _ in group})
        cols = sorted({c for _, c, _ in group})
        if len(rows) == 1 or len(cols) == 1:
            best = max(group, key=lambda e: (e[2], -e[0], -e[1]))
            result.append((best[0], best[1]))
        elif min(len(rows), len(cols)) <= max_exact:
            result.extend(_exact(group, rows, cols))
        else:
            result.extend(_best_first(group))
    return sorted(result)


def _groups(edges: list[Edge]) -> list[list[Edge]]:
    """The edges split into connected components (union-find over rows and columns)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for r, c, _ in edges:
        a, b = find(("r", r)), find(("c", c))
        if a != b:
            parent[max(a, b)] = min(a, b)
    grouped: dict[tuple[str, int], list[Edge]] = defaultdict(list)
    for edge in edges:
        grouped[find(("r", edge[0]))].append(edge)
    return [grouped[key] for key in sorted(grouped)]


def _best_first(edges: list[Edge]) -> list[tuple[int, int]]:
    taken_rows: set[int] = set()
    taken_cols: set[int] = set()
    out = []
    for r, c, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        if r not in taken_rows and c not in taken_cols:
            taken_rows.add(r)
            taken_cols.add(c)
            out.append((r, c))
    return out


def _exact(edges: list[Edge], rows: list[int], cols: list[int]) -> list[tuple[int, int]]:
    weight = {(r, c): w for r, c, w in edges}
    transpose = len(rows) > len(cols)
    if transpose:
        rows, cols = cols, rows
        weight = {(c, r): w for (r, c), w in weight.items()}
    # Minimizing -weight; a missing pair costs 0, the same as leaving the row alone,
    # so a full row assignment of minimal cost is a maximum-weight matching.
    cost = [[-weight.get((r, c), 0.0) for c in cols] for r in rows]
    chosen = hungarian(cost)
    out = []
    for i, j in enumerate(chosen):
        pair = (rows[i], cols[j])
        if pair in weight:
            out.append((pair[1], pair[0]) if transpose else pair)
    return out


def hungarian(cost: list[list[float]]) -> list[int]:
    """For an n×m cost matrix with n ≤ m, the column of each row in an assignment of
    minimal total cost (Kuhn-Munkres with row and column potentials)."""
    n = len(cost)
    m = len(cost[0]) if n else 0
    if n > m:
        raise ValueError("hungarian() needs at least as many columns as rows")
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) assigned to column j, 0 = none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            row = cost[i0 - 1]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = row[j - 1] - u[i0] - v[j]
                    if reduced < minv[j]:
                        minv[j] = reduced
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    chosen = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            chosen[owner[j] - 1] = j - 1
    return chosen
