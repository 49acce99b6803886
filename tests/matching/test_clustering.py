import numpy as np

from stormops.matching._clustering import Forest, cluster_links, one_to_one


def test_a_conflict_stops_a_chain_and_the_weaker_link_is_refused() -> None:
    # 0-1 strong, 1-2 weaker; 0 and 2 are different people.
    result = cluster_links(3, np.array([1, 0]), np.array([2, 1]), np.array([7.0, 20.0]),
                           conflicts=[(0, 2)])
    assert result.labels.tolist() == [0, 0, 1]
    assert result.refused.tolist() == [0]


def test_without_the_conflict_connected_components_join_all() -> None:
    result = cluster_links(3, np.array([1, 0]), np.array([2, 1]), np.array([7.0, 20.0]))
    assert result.labels.tolist() == [0, 0, 0] and result.refused.size == 0


def test_conflicts_follow_clusters_as_they_grow() -> None:
    # 3 conflicts with 0; 0-1, then 2-3, then 1-2 must be refused (would join 0 and 3).
    result = cluster_links(4, np.array([0, 2, 1]), np.array([1, 3, 2]),
                           np.array([9.0, 8.0, 7.0]), conflicts=[(0, 3)])
    assert result.labels.tolist() == [0, 0, 1, 1] and result.refused.tolist() == [2]


def test_must_link_joins_even_across_a_conflict() -> None:
    result = cluster_links(3, np.array([], dtype=int), np.array([], dtype=int), np.array([]),
                           conflicts=[(0, 2)], must_link=[(0, 2)])
    assert result.labels.tolist() == [0, 1, 0]


def test_one_to_one_keeps_each_records_best_link() -> None:
    result = one_to_one(4, np.array([0, 0, 1]), np.array([2, 3, 2]), np.array([9.0, 5.0, 7.0]))
    assert result.labels.tolist() == [0, 1, 0, 2]
    assert result.refused.tolist() == [1, 2]


def test_forest_grows_and_remembers_who_is_apart() -> None:
    forest = Forest()
    a, b, c = forest.add(), forest.add(), forest.add()
    forest.forbid(a, c)
    forest.union(a, b)
    assert forest.apart(b, c) and not forest.apart(a, b)
    assert sorted(forest.members(b)) == [a, b] and forest.members(c) == [c]
    assert forest.labels().tolist() == [0, 0, 1]


def test_a_conflict_found_only_across_clusters_refuses_the_join() -> None:
    # 0-1 and 2-3 link; 1-2 would join them, but 0 and 3 (never compared) conflict.
    checked: list[tuple[list[int], list[int]]] = []

    def conflicting(a: list[int], b: list[int]) -> bool:
        checked.append((sorted(a), sorted(b)))
        return {0, 3} <= set(a) | set(b)

    result = cluster_links(4, np.array([0, 2, 1]), np.array([1, 3, 2]),
                           np.array([9.0, 8.0, 7.0]), conflicting=conflicting)
    assert result.labels.tolist() == [0, 0, 1, 1] and result.refused.tolist() == [2]
    assert checked[-1] == ([0, 1], [2, 3])
