import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import phonenumbers
import pytest

from stormops.core.normalize import (
    normalize_address,
    normalize_date,
    normalize_digits,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_token,
)
from stormops.samples.homeowners import (
    CANONICAL_COLUMNS,
    TRUTH_COLUMNS,
    generate_records,
    write_csv,
)

Record = dict[str, str]
ROOT = Path(__file__).resolve().parents[2]
CHANNELS = {"web_form", "door_knock", "call_center", "roof_inspection", "sms", "paid_search",
            "referral", "direct_mail"}
# Nicknames only: none of these is anyone's given name in the generator.
NICKNAMES = {"Bob", "Rob", "Bill", "Will", "Liz", "Beth", "Jim", "Mike", "Rick", "Tom", "Chris",
             "Dan", "Matt", "Steve", "Ed", "Andy", "Tim", "Ken", "Ron", "Don", "Greg", "Jeff",
             "Jen", "Kate", "Kathy", "Sue", "Deb", "Becky", "Pam", "Cindy"}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return generate_records(5_000, seed=11)


@pytest.fixture(scope="module")
def by_person(records: list[Record]) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[record["person_id"]].append(record)
    return grouped


@pytest.fixture(scope="module")
def by_household(records: list[Record]) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[record["household_id"]].append(record)
    return grouped


def _values(rows: list[Record], field: str, normalize=lambda v: v) -> set[str]:
    return {normalize(row[field]) for row in rows if row[field]}


def _phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value)[-10:]


def _digest(rows: list[Record]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_same_seed_same_records_other_seed_other_records() -> None:
    assert generate_records(800, seed=3) == generate_records(800, seed=3)
    assert generate_records(800, seed=3) != generate_records(800, seed=4)


def test_output_does_not_depend_on_hash_randomization() -> None:
    code = ("import hashlib, json; from stormops.samples.homeowners import generate_records; "
            "print(hashlib.sha256(json.dumps(generate_records(800, seed=3), sort_keys=True)"
            ".encode()).hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed}).stdout.strip()
        for hash_seed in ("0", "12345")
    }
    assert digests == {_digest(generate_records(800, seed=3))}


@pytest.mark.parametrize("rows", [0, 1, 7, 1_234])
def test_exact_row_count_and_columns(rows: int) -> None:
    generated = generate_records(rows, seed=5)
    assert len(generated) == rows
    for record in generated:
        assert list(record) == [*CANONICAL_COLUMNS, *TRUTH_COLUMNS]
        assert all(isinstance(value, str) for value in record.values())
    assert [r["record_id"] for r in generated] == [f"R{n:07d}" for n in range(1, rows + 1)]


def test_negative_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_records(-1)


def test_csv_round_trip_keeps_columns_and_accents(records: list[Record], tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    write_csv(records, path)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [*CANONICAL_COLUMNS, *TRUTH_COLUMNS]
        assert list(reader) == records
    assert any(not r["last_name"].isascii() for r in records)


def test_records_are_shuffled_across_storms_and_channels(records: list[Record]) -> None:
    adjacent = sum(a["person_id"] == b["person_id"] for a, b in pairwise(records))
    assert adjacent / len(records) < 0.02
    assert len({r["storm_id"] for r in records}) >= 4
    assert {r["channel"] for r in records} == CHANNELS
    assert all(r["source"] == r["channel"] for r in records)


def test_household_members_share_a_property_not_person_identifiers(
    by_household: dict[str, list[Record]],
) -> None:
    def shares_home(rows: list[Record]) -> bool:
        people: dict[str, list[Record]] = defaultdict(list)
        for row in rows:
            people[row["person_id"]].append(row)
        if len(people) < 2 or len(_values(rows, "property_id")) != 1:
            return False
        firsts = [_values(p, "first_name", normalize_name) for p in people.values()]
        emails = [_values(p, "email", normalize_email) for p in people.values()]
        return (len(_values(rows, "address", normalize_address)) == 1
                and all(firsts) and all(emails)
                and len(set().union(*firsts)) == sum(map(len, firsts))
                and len(set().union(*emails)) == sum(map(len, emails)))

    assert sum(shares_home(rows) for rows in by_household.values()) >= 20


def test_household_sizes_and_records_per_person(by_person: dict[str, list[Record]]) -> None:
    sizes = Counter(pid.split("-")[0] for pid in by_person)
    living_together = sum(n for n in sizes.values() if n > 1) / len(by_person)
    assert 0.3 < living_together < 0.5
    assert max(sizes.values()) >= 4
    counts = [len(rows) for rows in by_person.values()]
    assert 2.2 < sum(counts) / len(counts) < 2.9
    assert 0.15 < counts.count(1) / len(counts) < 0.4
    assert max(counts) >= 6


def test_property_ids_never_span_households(records: list[Record]) -> None:
    households: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record["property_id"]:
            households[record["property_id"]].add(record["household_id"])
    assert len(households) > 1_000
    assert all(len(owners) == 1 for owners in households.values())


def test_a_property_is_always_the_same_address(records: list[Record]) -> None:
    by_property: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record["property_id"]:
            by_property[record["property_id"]].append(record)
    varied = 0
    for rows in by_property.values():
        assert len(_values(rows, "address", normalize_address)) <= 1
        assert len(_values(rows, "street_number")) <= 1
        assert len(_values(rows, "zip")) <= 1
        assert len(_values(rows, "city", normalize_name)) <= 1
        varied += len(_values(rows, "address")) > 1
    assert varied > 100  # the raw spellings differ; only normalization makes them one


def test_every_record_names_a_person(records: list[Record]) -> None:
    for r in records:
        with_name = r["first_name"] and r["last_name"] and (
            r["dob"] or r["property_id"] or r["national_id"])
        assert r["email"] or r["phone"] or r["device_id"] or with_name, r


def test_person_identifiers_normalize_to_one_value(by_person: dict[str, list[Record]]) -> None:
    owners: dict[tuple[str, str], str] = {}
    for person_id, rows in by_person.items():
        for field, normalize in (("email", normalize_email), ("device_id", normalize_token),
                                 ("national_id", normalize_digits), ("dob", normalize_date)):
            values = _values(rows, field, lambda v, f=field, n=normalize: n(v, f))
            assert len(values) <= 1, (person_id, field, values)
            if field != "dob":
                for value in values:
                    assert owners.setdefault((field, value), person_id) == person_id


def test_phones_are_valid_us_numbers_outside_555(records: list[Record]) -> None:
    phones = _values(records, "phone")
    assert len(phones) > 1_000
    for phone in phones:
        e164 = normalize_phone(phone)
        assert e164 is not None and re.fullmatch(r"\+1\d{10}", e164), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(e164)), phone
        assert e164[5:8] != "555", phone


def test_phones_are_a_mobile_per_person_plus_a_shared_landline(
    by_household: dict[str, list[Record]],
) -> None:
    households_of_number: dict[str, set[str]] = defaultdict(set)
    shared = 0
    for household_id, rows in by_household.items():
        people: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row["phone"]:
                people[row["person_id"]].add(_phone_digits(row["phone"]))
        for numbers in people.values():
            assert len(numbers) <= 2  # their mobile, and at most the home landline
        numbers = set().union(*people.values())
        assert len(numbers) <= len(people) + 1
        for number in numbers:
            households_of_number[number].add(household_id)
        shared += any(len([p for p in people.values() if n in p]) > 1 for n in numbers)
    assert all(len(owners) == 1 for owners in households_of_number.values())
    assert shared >= 20


def test_some_people_move(by_person: dict[str, list[Record]]) -> None:
    def addresses(rows: list[Record]) -> set[tuple[str, str | None]]:
        return {(r["street_number"], normalize_address(r["address"]))
                for r in rows if r["street_number"] and r["address"]}

    movers = sum(len(addresses(rows)) > 1 for rows in by_person.values())
    assert 0.01 < movers / len(by_person) < 0.08


def test_missing_values_are_common_but_not_dominant(records: list[Record]) -> None:
    for field in ("first_name", "last_name", "dob", "email", "phone", "address", "zip"):
        missing = sum(not r[field] for r in records) / len(records)
        assert 0.05 < missing < 0.45, (field, missing)
    assert sum(bool(r["national_id"]) for r in records) / len(records) < 0.2
    assert sum(bool(r["address_2"]) for r in records) / len(records) < 0.2


def test_records_carry_form_noise(
    records: list[Record], by_person: dict[str, list[Record]]
) -> None:
    emails = _values(records, "email")
    assert any(e != e.strip() for e in emails) and any(e.isupper() for e in emails)
    shapes = {re.sub(r"\d", "9", phone) for phone in _values(records, "phone")}
    assert {"(999) 999-9999", "999.999.9999", "+9 999 999 9999", "9999999999"} <= shapes
    dobs = _values(records, "dob")
    assert any("/" in d for d in dobs) and any("-" in d for d in dobs)
    streets = _values(records, "address")
    assert any(s.endswith("Street") for s in streets) and any(s.endswith("St") for s in streets)
    assert any(s.isupper() for s in streets)
    renamed = sum(len(_values(rows, "first_name", normalize_name)) > 1
                  for rows in by_person.values() if len(rows) > 1)
    assert 0.05 < renamed / len(by_person) < 0.4  # typos and nicknames, not a new name each time
    assert len(_values(records, "first_name") & NICKNAMES) >= 5


@pytest.fixture(scope="module")
def household_people() -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in generate_records(5_000, seed=11, households=True):
        grouped[record["person_id"]].append(record)
    return grouped


def test_household_file_is_mostly_people_living_together(
    household_people: dict[str, list[Record]],
) -> None:
    sizes = Counter(pid.split("-")[0] for pid in household_people)
    assert set(sizes.values()) == {1, 2, 3}
    living_together = sum(n for n in sizes.values() if n > 1) / len(household_people)
    assert 0.6 < living_together < 0.9
    counts = [len(rows) for rows in household_people.values()]
    assert 1.8 < sum(counts) / len(counts) < 2.4


def test_household_file_changes_contact_details_not_who_owns_them(
    household_people: dict[str, list[Record]],
) -> None:
    owners: dict[str, str] = {}
    changed = {"email": 0, "initial": 0}
    for person_id, rows in household_people.items():
        emails = _values(rows, "email", lambda v: normalize_email(v, "email"))
        changed["email"] += len(emails) > 1
        changed["initial"] += any(len(normalize_name(r["first_name"], "f") or "") == 1
                                  for r in rows if r["first_name"])
        for email in emails:  # a mailbox belongs to one person, even after a change
            assert owners.setdefault(email, person_id) == person_id
    movers = sum(len({(r["street_number"], normalize_address(r["address"], "a"))
                      for r in rows if r["street_number"] and r["address"]}) > 1
                 for rows in household_people.values())
    for count in (*changed.values(), movers):
        assert 0.005 < count / len(household_people) < 0.1, (changed, movers)
