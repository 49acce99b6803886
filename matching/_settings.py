"""Model settings: what a tenant tunes (thresholds, sampling) and what the data decides
(comparisons, blocking keys, training blocks), stated as data and turned into Splink settings.

Comparisons exist only for columns the data has. Person-level identifiers (names, date of
birth, email, national id, device) get one comparison each. Household-level identifiers
(property, street address, phone, zip, city) are shared by everyone living at a property, so
they are folded into ONE comparison, `place`, whose levels rank the strongest joint agreement:
the evidence of a shared home is counted once instead of once per field. Otherwise a
housemate, who agrees on address, property, landline, zip and city, would collect five
independent-looking Bayes factors and outweigh any disagreement on name, birth date and email.

The Fellegi-Sunter sum treats comparisons as independent, but among people who share a home the
given name is not independent of the home: housemates almost never share a given name, while
one person's records almost always do. The `household` comparison corrects for it: at a shared
home or phone, an agreeing given name (exact, typo or nickname) counts for the match and a
different one against it; an initial, which may fit two housemates, counts for neither. EM
cannot learn this term (a shared home is too rare among random pairs to estimate its u), so its
m and u are set, not trained (`HOUSEHOLD_LEVELS`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

LinkType = Literal["dedupe_only", "link_only"]

# Comparisons that tell people apart within a household, and the identifiers whose exact
# agreement links two records deterministically (unless the person-level evidence conflicts).
PERSON_COMPARISONS: tuple[str, ...] = (
    "first_name", "dob", "email", "national_id", "device_id", "household")
# Person-level comparisons whose disagreement counts towards a conflict: not the household term,
# whose "other given name" only repeats the given name's own disagreement at a shared home.
CONFLICT_COMPARISONS: tuple[str, ...] = PERSON_COMPARISONS[:-1]
STRONG_IDENTIFIERS: tuple[str, ...] = ("email", "national_id", "device_id")
# Level labels the strict household rule reads: `place` levels meaning a shared home, and
# `first_name` levels that only nearly match (Daniel/Daniela live together; Daniel/Daneil is
# a typo, and nothing in the names tells the two apart).
HOME_LEVELS: tuple[str, ...] = ("same phone and home", "same home", "similar address")
NEAR_NAME_LEVELS: tuple[str, ...] = ("typo", "nickname", "similar", "initial")
# `place` levels meaning the two records give the same phone number.
PHONE_LEVELS: tuple[str, ...] = ("same phone and home", "same phone")
# The household term's levels and their set (m, u): among people sharing a home or a phone,
# the same person's records give the same given name ~95% of the time (typos and nicknames
# included), two housemates about one time in 32 (a junior and a senior, told apart by the birth
# date); a different given name is the other way round. About +4.9 and -4.3 bits.
HOUSEHOLD_LEVELS: dict[str, tuple[float, float]] = {
    "same given name at home": (0.95, 1 / 32),
    "other given name at home": (0.05, 31 / 32),
}

# Equi-join keys, strongest first: each is a tuple of columns that must all be equal. The
# graph indexes one Record property per key (graph.records.BLOCK_SLOTS), hence the cap.
MAX_BLOCKING_KEYS = 16
_BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("email",), ("national_id",), ("device_id",), ("phone",), ("property_id",),
    ("street_number", "address"), ("first_name", "last_name"), ("first_name", "dob"),
    ("last_name", "dob"), ("dob", "zip"), ("last_name", "zip"), ("first_name", "zip"),
    ("street_number", "zip"),
)
# Identifiers that (almost) never coincide between two people: lambda is estimated from them.
_DETERMINISTIC_KEYS: tuple[tuple[str, ...], ...] = (
    ("email",), ("national_id",), ("device_id",), ("first_name", "last_name", "dob"),
)
# EM blocks. The first two admit no housemates: they do not share a birth date, nor a first
# name. Blocking on zip, address or phone would hand EM whole households, and it would learn
# "same household" as its match class. Exact strong identifiers are the fallback for data
# without names or birth dates.
_TRAINING_KEYS: tuple[tuple[str, ...], ...] = (
    ("dob",), ("first_name", "last_name"), ("email",), ("national_id",), ("device_id",),
)


@dataclass(frozen=True)
class MatchSettings:
    """A tenant's matching settings, stored in every model file trained with them.

    Attributes:
        auto_link: match probability at or above which two records are linked automatically.
            When linking two files that are each free of duplicates, links are one-to-one
            (each record keeps its best partner) and `review` is the bar instead.
        review: match probability at or above which (and below `auto_link`) a pair is sent to
            the review queue instead of being dropped.
        deterministic_recall: share of true matches assumed found by the deterministic keys
            (exact email, national id, device, or first+last name+dob); scales the prior.
        u_max_pairs: random pairs sampled to estimate u probabilities.
        em_max_pairs: cap on the blocked pairs used per EM block (None: all of them).
        seed: seed for the random sampling, so training is reproducible.
        min_person_weight: person-level evidence (bits) a pair needs, besides `auto_link`, to
            be linked: the positive contributions of first name, date of birth, email,
            national id and device. Address, property, phone-at-the-address, zip and surname
            are shared by a household, so on their own they can only send a pair to review.
        conflict_weight: person-level disagreement (bits, positive number) that marks two
            records as different people: such a pair is never linked, not even through a
            shared email, and keeps their clusters apart.
        strict_households: at a shared home, a given name that only nearly matches (typo,
            nickname, similar) is not person-level evidence, so housemates with near-identical
            names (Daniel, Daniela) are not linked on it. Fewer false merges for fewer links:
            on the 100k sample about 0.7 points of link rate.
        household_terms: compare a given name written as an initial, add the `household`
            comparison (given name at a shared home or phone), and let a record without a
            given name join the one named identity holding its phone (see
            `matching._rules.phone_evidence`). False gives the model without them
            (bench/matching_quality.py's baseline).
        blocking_keys: equi-join keys generating candidate pairs; None means every default key
            whose columns the data has.

    Example:
        >>> MatchSettings(auto_link=0.995).with_thresholds(review=0.9).review
        0.9
    """

    auto_link: float = 0.99
    review: float = 0.5
    deterministic_recall: float = 0.6
    u_max_pairs: float = 3e6
    em_max_pairs: float | None = 2e6
    seed: int = 42
    min_person_weight: float = 4.0
    conflict_weight: float = 9.0
    strict_households: bool = False
    household_terms: bool = True
    blocking_keys: tuple[tuple[str, ...], ...] | None = None

    def __post_init__(self) -> None:
        """Check thresholds and recall on construction."""
        if not 0 < self.review <= self.auto_link < 1:
            raise ValueError(
                "thresholds need 0 < review <= auto_link < 1, got "
                f"review={self.review}, auto_link={self.auto_link}"
            )
        if self.blocking_keys is not None and len(self.blocking_keys) > MAX_BLOCKING_KEYS:
            raise ValueError(f"at most {MAX_BLOCKING_KEYS} blocking keys (the graph indexes "
                             f"one slot each), got {len(self.blocking_keys)}")
        if not 0 < self.deterministic_recall <= 1:
            raise ValueError(
                f"deterministic_recall must be in (0, 1], got {self.deterministic_recall}"
            )

    def with_thresholds(
        self, *, auto_link: float | None = None, review: float | None = None
    ) -> MatchSettings:
        """The same settings with other thresholds (a tenant's own, or an experiment's).

        Args:
            auto_link: new auto-link probability, or None to keep it.
            review: new review probability, or None to keep it.

        Returns:
            A new MatchSettings.

        Example:
            >>> MatchSettings().with_thresholds(auto_link=0.999).auto_link
            0.999
        """
        return replace(
            self,
            auto_link=self.auto_link if auto_link is None else auto_link,
            review=self.review if review is None else review,
        )

    @property
    def auto_link_weight(self) -> float:
        """`auto_link` as a match weight (log2 odds)."""
        return probability_to_weight(self.auto_link)

    @property
    def review_weight(self) -> float:
        """`review` as a match weight (log2 odds)."""
        return probability_to_weight(self.review)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, read back by `from_dict`."""
        data = asdict(self)
        if self.blocking_keys is not None:
            data["blocking_keys"] = [list(key) for key in self.blocking_keys]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchSettings:
        """Settings from `as_dict` output."""
        keys = data.get("blocking_keys")
        return cls(**{**data, "blocking_keys": None if keys is None
                      else tuple(tuple(key) for key in keys)})


def probability_to_weight(probability: float) -> float:
    """Match probability -> match weight, log2(p / (1 - p))."""
    return math.log2(probability / (1 - probability))


def keys_for(
    keys: tuple[tuple[str, ...], ...], columns: set[str]
) -> tuple[tuple[str, ...], ...]:
    """The keys whose columns are all present."""
    return tuple(key for key in keys if set(key) <= columns)


def blocking_keys(settings: MatchSettings, columns: set[str]) -> tuple[tuple[str, ...], ...]:
    """Candidate-generating keys for data with `columns`."""
    return keys_for(settings.blocking_keys or _BLOCKING_KEYS, columns)


def deterministic_keys(columns: set[str]) -> tuple[tuple[str, ...], ...]:
    """Keys for the lambda estimate, for data with `columns`."""
    return keys_for(_DETERMINISTIC_KEYS, columns)


def training_key_candidates(columns: set[str]) -> tuple[tuple[str, ...], ...]:
    """Possible EM blocks for data with `columns`, preferred first."""
    return keys_for(_TRAINING_KEYS, columns)


def block_sql(key: tuple[str, ...]) -> str:
    """Splink blocking-rule SQL for an equi-join key."""
    return " AND ".join(f'l."{column}" = r."{column}"' for column in key)


# ---- comparisons -------------------------------------------------------------------------

def _level(sql: str, label: str, *, tf: str | None = None) -> dict[str, Any]:
    """A comparison level dict, optionally with a term-frequency adjustment."""
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if tf is not None:
        level["tf_adjustment_column"] = tf
    return level


def _null_level(sql: str) -> dict[str, Any]:
    """The level for pairs that cannot be compared (weight 0)."""
    return {"sql_condition": sql, "label_for_charts": "missing", "is_null_level": True}


def _either_null(column: str) -> str:
    """SQL: the column is missing on either record."""
    return f'"{column}_l" IS NULL OR "{column}_r" IS NULL'


def _else() -> dict[str, Any]:
    """The catch-all level: the values differ."""
    return {"sql_condition": "ELSE", "label_for_charts": "different"}


def _jw(column: str, threshold: float) -> str:
    """SQL: Jaro-Winkler similarity of the column at least `threshold`."""
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}'


def _swapped(column: str, other: str) -> str:
    """The value sits in the other name column on the other record (given/surname swapped)."""
    return (f'jaro_winkler_similarity("{column}_l", "{other}_r") >= 0.92 OR '
            f'jaro_winkler_similarity("{column}_r", "{other}_l") >= 0.92')


def _nickname() -> str:
    """SQL: the given names share a full name they can stand for (Bob, Robert)."""
    return ("list_has_any(string_split(\"first_name_roots_l\", ' '), "
            "string_split(\"first_name_roots_r\", ' '))")


def _initial() -> str:
    """SQL: one given name is the other's initial (J, James)."""
    return ('substr("first_name_l", 1, 1) = "first_name_r" OR '
            '"first_name_l" = substr("first_name_r", 1, 1)')


def _first_name(columns: set[str], *, initials: bool) -> dict[str, Any]:
    """Given name: exact (TF-adjusted), typo, nickname, initial, swapped with surname,
    similar."""
    levels = [_null_level(_either_null("first_name")),
              _level('"first_name_l" = "first_name_r"', "exact", tf="first_name"),
              _level(_jw("first_name", 0.92), NEAR_NAME_LEVELS[0])]
    if "first_name_roots" in columns:
        levels.append(_level(_nickname(), NEAR_NAME_LEVELS[1]))
    if initials:
        levels.append(_level(_initial(), NEAR_NAME_LEVELS[3]))
    if "last_name" in columns:
        levels.append(_level(_swapped("first_name", "last_name"), "swapped with surname"))
    levels += [_level(_jw("first_name", 0.8), NEAR_NAME_LEVELS[2]), _else()]
    return {"output_column_name": "first_name", "comparison_levels": levels}


def _last_name(columns: set[str]) -> dict[str, Any]:
    """Surname: exact (TF-adjusted), typo, one part of a double name, swapped, similar."""
    levels = [_null_level(_either_null("last_name")),
              _level('"last_name_l" = "last_name_r"', "exact", tf="last_name"),
              _level(_jw("last_name", 0.92), "typo"),
              _level("list_has_any(string_split(\"last_name_l\", ' '), "
                     "string_split(\"last_name_r\", ' '))", "shares a part")]
    if "first_name" in columns:
        levels.append(_level(_swapped("last_name", "first_name"), "swapped with given name"))
    levels += [_level(_jw("last_name", 0.8), "similar"), _else()]
    return {"output_column_name": "last_name", "comparison_levels": levels}


def _dob() -> dict[str, Any]:
    """Birth date: exact, one digit off or day and month swapped."""
    swapped = ('(substr("dob_l", 1, 5) = substr("dob_r", 1, 5) '
               'AND substr("dob_l", 6, 2) = substr("dob_r", 9, 2) '
               'AND substr("dob_l", 9, 2) = substr("dob_r", 6, 2))')
    levels = [_null_level(_either_null("dob")),
              _level('"dob_l" = "dob_r"', "exact"),
              _level(f'damerau_levenshtein("dob_l", "dob_r") <= 1 OR {swapped}',
                     "one digit or day/month swapped"),
              _else()]
    return {"output_column_name": "dob", "comparison_levels": levels}


def _identifier(column: str, *, typo: bool) -> dict[str, Any]:
    """An identifier: exact, optionally one typo apart."""
    levels = [_null_level(_either_null(column)),
              _level(f'"{column}_l" = "{column}_r"', "exact")]
    if typo:
        levels.append(_level(f'damerau_levenshtein("{column}_l", "{column}_r") <= 1', "typo"))
    levels.append(_else())
    return {"output_column_name": column, "comparison_levels": levels}


def _same_text(column: str) -> str:
    """SQL: the column is the same text but for spaces ('mckinley circuit', 'mckinleycircuit':
    a space lost or added is the commonest slip in a typed address)."""
    return f"replace(\"{column}_l\", ' ', '') = replace(\"{column}_r\", ' ', '')"


def _same_home(columns: set[str]) -> list[str]:
    """SQL conditions, one per way of telling, that two records give the same home."""
    same_home: list[str] = []
    if "property_id" in columns:
        same_home.append('"property_id_l" = "property_id_r"')
    if {"street_number", "address"} <= columns:
        area = [f'coalesce("{c}_l" = "{c}_r", TRUE)' for c in ("zip", "city") if c in columns]
        if "address_2" in columns:
            area.append(f"coalesce({_same_text('address_2')}, TRUE)")
        same_home.append(" AND ".join(['("street_number_l" = "street_number_r"',
                                       _same_text("address"), *area]) + ")")
    return same_home


def _household(columns: set[str]) -> dict[str, Any] | None:
    """The given name at a shared home or phone, with set m and u (see HOUSEHOLD_LEVELS);
    None without given names or anything a household shares."""
    shared = [f"({sql})" for sql in _same_home(columns)]
    if "phone" in columns:
        shared.append('"phone_l" = "phone_r"')
    if "first_name" not in columns or not shared:
        return None
    agree = ['"first_name_l" = "first_name_r"', _jw("first_name", 0.92)]
    if "first_name_roots" in columns:
        agree.append(_nickname())
    home = " OR ".join(shared)
    # An initial may fit two housemates (James, Jennifer): it says nothing either way, and a
    # pair that only an initial ties to a home goes to review rather than being linked.
    levels: list[dict[str, Any]] = [_null_level(
        f'{_either_null("first_name")} OR NOT coalesce({home}, FALSE) OR {_initial()}')]
    for label, sql in (("same given name at home", " OR ".join(f"({a})" for a in agree)),
                       ("other given name at home", None)):
        m, u = HOUSEHOLD_LEVELS[label]
        level = _else() if sql is None else _level(sql, label)
        level.update(label_for_charts=label, m_probability=m, u_probability=u,
                     fix_m_probability=True, fix_u_probability=True)
        levels.append(level)
    return {"output_column_name": "household", "comparison_levels": levels}


def _place(columns: set[str]) -> dict[str, Any] | None:
    """Household-level evidence as one comparison; None if the data has none of it."""
    same_home = _same_home(columns)
    near_home: list[str] = []
    comparable: list[str] = [column for column in ("property_id",) if column in columns]
    if {"street_number", "address"} <= columns:
        near_home.append(
            '("street_number_l" = "street_number_r" AND '
            'jaro_winkler_similarity("address_l", "address_r") >= 0.88) OR '
            '("address_l" = "address_r" AND ("street_number_l" IS NULL OR '
            '"street_number_r" IS NULL OR '
            'damerau_levenshtein("street_number_l", "street_number_r") <= 1))')
        comparable.append("address")
    home = " OR ".join(f"({sql})" for sql in same_home + near_home)
    levels: list[dict[str, Any]] = []
    if "phone" in columns:
        comparable.append("phone")
        if home:
            levels.append(_level(f'"phone_l" = "phone_r" AND ({home})', HOME_LEVELS[0]))
        levels.append(_level('"phone_l" = "phone_r"', "same phone"))
    if same_home:
        levels.append(_level(" OR ".join(f"({sql})" for sql in same_home), HOME_LEVELS[1]))
    if near_home:
        levels.append(_level(near_home[0], HOME_LEVELS[2]))
        # The same street in the same town, at another number: a mistyped number or a move
        # down the road, where neighbours rarely share a surname.
        town = next((f' AND "{c}_l" = "{c}_r"' for c in ("zip", "city") if c in columns), "")
        levels.append(_level(_same_text("address") + town, "same street"))
    for column in ("zip", "city"):
        if column in columns:
            comparable.append(column)
            levels.append(_level(f'"{column}_l" = "{column}_r"', f"same {column}", tf=column))
    if not levels:
        return None
    homes = [column for column in ("property_id", "address") if column in comparable]
    if "phone" in columns and homes:
        # People often give a mobile on one form and a landline on another, whereas a
        # different home is rarer: the two disagreements get their own weights.
        levels.append(_level(" AND ".join(f"({_either_null(column)})" for column in homes),
                             "different, home unknown"))
    missing = " AND ".join(f"({_either_null(column)})" for column in comparable)
    return {"output_column_name": "place",
            "comparison_levels": [_null_level(missing), *levels, _else()]}


def comparisons(columns: set[str], *, household_terms: bool = True) -> list[dict[str, Any]]:
    """Splink comparison dicts for data with `columns` (populated canonical/derived columns).

    Args:
        columns: the populated columns, e.g. from `matching.normalize.records_columns`.
        household_terms: include the initial level and the household comparison.

    Returns:
        Comparison dicts in a fixed order: first_name, last_name, dob, email, national_id,
        device_id, place, household (each only if its columns are present).

    Example:
        >>> [c["output_column_name"] for c in comparisons({"first_name", "email"})]
        ['first_name', 'email']
    """
    result: list[dict[str, Any]] = []
    if "first_name" in columns:
        result.append(_first_name(columns, initials=household_terms))
    if "last_name" in columns:
        result.append(_last_name(columns))
    if "dob" in columns:
        result.append(_dob())
    if "email" in columns:
        # No one-typo level: housemates' addresses often differ by one letter (jsmith, asmith).
        result.append(_identifier("email", typo=False))
    if "national_id" in columns:
        result.append(_identifier("national_id", typo=True))
    if "device_id" in columns:
        result.append(_identifier("device_id", typo=False))
    place = _place(columns)
    if place is not None:
        result.append(place)
    household = _household(columns) if household_terms else None
    if household is not None:
        result.append(household)
    return result


def splink_settings(
    settings: MatchSettings, columns: set[str], link_type: LinkType
) -> dict[str, Any]:
    """The untrained Splink settings dict for data with `columns`."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "comparisons": comparisons(columns, household_terms=settings.household_terms),
        "blocking_rules_to_generate_predictions": [
            block_sql(key) for key in blocking_keys(settings, columns)
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "max_iterations": 25,
        "em_convergence": 0.0001,
    }
