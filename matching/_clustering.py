"""Clustering linked pairs into identities without over-chaining.

Pure numpy/python, no I/O. Plain connected components lets one weak pair chain two people
together. Here links are added strongest first (Kruskal order), and two clusters are never
joined while any pair between them is known to conflict (different people by person-level
evidence, or a reviewer's cannot-link). The link that would have joined them is returned, so
the record that "fits two identities" goes to review. Reviewer must-links are applied first,
unconditionally. For linking two duplicate-free files, `one_to_one` keeps only mutually
exclusive best links instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClusterResult:
    """Cluster labels and the links refused because the clusters conflict.

    Attributes:
        labels: shape (n_records,), cluster index per record, numbered by first member.
        refused: indices (into the link arrays given) of links not applied because of a
            conflict between the two clusters.
    """

    labels: np.ndarray
    refused: np.ndarray


def cluster_links(
    n_records: int,
    left: np.ndarray,
    right: np.ndarray,
    strength: np.ndarray,
    conflicts: Iterable[tuple[int, int]] = (),
    must_link: Iterable[tuple[int, int]] = (),
    *,
    conflicting: Callable[[Sequence[int], Sequence[int]], bool] | None = None,
) -> ClusterResult:
    """Conflict-aware agglomeration of links, strongest first.

    Args:
        n_records: number of records (nodes 0..n_records-1).
        left: shape (m,), int, one end of each link.
        right: shape (m,), int, the other end.
        strength: shape (m,), order in which links are applied (higher first), e.g. weight.
        conflicts: record pairs that must not end in one cluster.
        must_link: record pairs joined before anything else, whatever the conflicts.
        conflicting: optional check run before two clusters are joined, given their members:
            True when some pair across them (e.g. one never compared by blocking) conflicts.

    Returns:
        Labels and the refused links.

    Example:
        >>> r = cluster_links(3, np.array([0, 1]), np.array([1, 2]), np.array([9.0, 5.0]),
        ...                   conflicts=[(0, 2)])
        >>> r.labels.tolist(), r.refused.tolist()
        ([0, 0, 1], [1])
    """
    forest = Forest(n_records)
    for a, b in must_link:
        forest.union(a, b)
    for a, b in conflicts:
        forest.forbid(a, b)
    refused: list[int] = []
    for link in np.argsort(-np.asarray(strength), kind="stable"):
        a, b = int(left[link]), int(right[link])
        if forest.find(a) == forest.find(b):
            continue
        if forest.apart(a, b) or (conflicting is not None
                                  and conflicting(forest.members(a), forest.members(b))):
            forest.forbid(a, b)
            refused.append(int(link))
            continue
        forest.union(a, b)
    return ClusterResult(labels=forest.labels(), refused=np.array(sorted(refused), dtype=np.int64))


def one_to_one(
    n_records: int, left: np.ndarray, right: np.ndarray, strength: np.ndarray
) -> ClusterResult:
    """Greedy one-to-one matching: each record keeps at most one link, strongest first.

    For linking two files that are each free of duplicates: a record's best link wins, and a
    weaker link to an already matched record is refused.

    Args:
        n_records: number of records.
        left: shape (m,), int, record in the first file.
        right: shape (m,), int, record in the second file.
        strength: shape (m,), higher is better.

    Returns:
        Labels (pairs share one, others are alone) and the refused links.

    Example:
        >>> r = one_to_one(4, np.array([0, 0, 1]), np.array([2, 3, 2]), np.array([9., 5., 7.]))
        >>> r.labels.tolist(), r.refused.tolist()
        ([0, 1, 0, 2], [1, 2])
    """
    forest = Forest(n_records)
    matched = np.zeros(n_records, dtype=bool)
    refused: list[int] = []
    for link in np.argsort(-np.asarray(strength), kind="stable"):
        a, b = int(left[link]), int(right[link])
        if matched[a] or matched[b]:
            refused.append(int(link))
            continue
        matched[a] = matched[b] = True
        forest.union(a, b)
    return ClusterResult(labels=forest.labels(), refused=np.array(sorted(refused), dtype=np.int64))


class Forest:
    """Union-find over records: each cluster's members, and the clusters it must not join.

    Shared by batch clustering and the online linker, so both keep people apart the same way.

    Example:
        >>> forest = Forest(3); forest.forbid(0, 2); forest.union(0, 1)
        0
        >>> forest.apart(1, 2), forest.members(1), forest.labels().tolist()
        (True, [0, 1], [0, 0, 1])
    """

    def __init__(self, n: int = 0) -> None:
        """A forest of `n` singleton nodes."""
        self._parent = list(range(n))
        self._members: dict[int, list[int]] = {node: [node] for node in range(n)}
        self._forbidden: dict[int, set[int]] = {}

    def add(self) -> int:
        """A new singleton node; returns its id."""
        node = len(self._parent)
        self._parent.append(node)
        self._members[node] = [node]
        return node

    def find(self, node: int) -> int:
        """Root of `node`, compressing the path."""
        parent = self._parent
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    def members(self, node: int) -> list[int]:
        """Nodes in the cluster of `node`, in the order they joined it."""
        return self._members[self.find(node)]

    def apart(self, a: int, b: int) -> bool:
        """Whether the clusters of a and b must not be joined."""
        ra, rb = self.find(a), self.find(b)
        return ra != rb and rb in self._forbidden.get(ra, ())

    def forbid(self, a: int, b: int) -> None:
        """Never join the clusters of a and b."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._forbidden.setdefault(ra, set()).add(rb)
            self._forbidden.setdefault(rb, set()).add(ra)

    def union(self, a: int, b: int) -> int:
        """Join the clusters of a and b; returns the root of the joined cluster."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        large, small = (ra, rb) if len(self._members[ra]) >= len(self._members[rb]) else (rb, ra)
        self._parent[small] = large
        self._members[large] += self._members.pop(small)
        moved = self._forbidden.pop(small, set())
        moved.discard(large)
        if moved:
            self._forbidden.setdefault(large, set()).update(moved)
            for other in moved:
                others = self._forbidden[other]
                others.discard(small)
                others.add(large)
        self._forbidden.get(large, set()).discard(small)
        return large

    def labels(self) -> np.ndarray:
        """Cluster index per node, numbered in order of each cluster's first node."""
        roots = np.array([self.find(node) for node in range(len(self._parent))], dtype=np.int64)
        if not len(roots):
            return roots
        _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
        order = np.argsort(np.argsort(first))
        return order[inverse]
