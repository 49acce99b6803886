"""Synthetic homeowner records with ground truth, to train and evaluate the matcher on.

Tenant data cannot leave a tenant, so matching is developed against this generator. People live
in households that share a property, an address and often a landline; each person shows up 1-8
times through different channels and storms, each time with a different subset of their
identifiers and the noise real forms carry (typos, nicknames, formats, blanks). The truth columns
(person, household, storm, channel) let evaluation score the links.

`households=True` draws a household-heavy file instead: households of 1-3 (most people live
with someone, sharing the address, the property, the landline and usually the surname), fewer
records per person, and people whose contact details change between records: a new mobile, a
new mailbox, a move, the landline given instead of the mobile, a first name given as an
initial. A household's members differ in first name and date of birth; one person's records
differ in which contact details they carry. That is what telling the two apart is scored on.

Deterministic for a given (rows, seed) on any machine: every draw comes from one
`random.Random(seed)` in a fixed order, and nothing iterates over sets or depends on `hash()`.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id", "source", "first_name", "last_name", "dob", "email", "phone",
    "street_number", "address", "address_2", "city", "zip", "state", "national_id",
    "property_id", "device_id",
)
TRUTH_COLUMNS: tuple[str, ...] = ("person_id", "household_id", "storm_id", "channel")
_COLUMNS = CANONICAL_COLUMNS + TRUTH_COLUMNS

_TYPO_RATE = 0.08
_NICKNAME_RATE = 0.12
_EARLIEST_DOB, _LATEST_DOB = date(1940, 1, 1), date(2000, 12, 31)

_MALE_NAMES = tuple("""
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward
Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin
Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron José Adam Nathan
Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald
Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan
Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip
Louis Harry Howard Fred Clarence Earl Travis Luis Carlos Jesús Miguel Alejandro Francisco Antonio
Manuel Ricardo Roberto Javier Fernando Eduardo Raúl Héctor Andrés Ramón Martín Sergio Marco Diego
Oscar Jorge Pedro Rafael Alberto Enrique Julio Arturo César Hugo Rubén Ángel Emilio Darnell
DeShawn Jamal Tyrone Terrell Malik André Marcus Cedric Darius Reginald Lamar Jalen Trevor Cody
Dustin Shane Chad Brett Derek Garrett Wesley Blake Cole Luke Caleb Hunter Wyatt Colton Tanner
Landon Grayson Hudson Owen Liam Lucas Levi Isaac Micah Silas Jude Everett Theodore Leonard Stanley
Marvin Glenn Leroy Curtis Troy Dale Clifford Floyd Herbert Lloyd Vernon Minh Duc Hoang Wei Jian
Hiroshi Raj Arjun Vikram Rahul Sanjay Ahmed Omar Tariq Jean-Luc Jean-Paul
""".split())
_FEMALE_NAMES = tuple("""
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah
Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole
Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria María Heather Diane
Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea
Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean
Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa
Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Guadalupe Rosa Lucía Sofía Ana Carmen
Juana Verónica Adriana Alejandra Yesenia Gabriela Daniela Mariana Leticia Raquel Inés Mónica
Beatriz Irma Yolanda Esperanza Araceli Latoya Keisha Tamika Ebony Shanice Aaliyah Imani Jasmine
Destiny Tiffany Crystal Erica Monique Tasha Brianna Kaylee Harper Avery Ella Chloe Zoë Chloé
Renée Aubrey Addison Lily Layla Riley Nora Zoey Stella Hazel Violet Aurora Savannah Brooklyn
Paisley Everly Leah Audrey Claire Lucy Joanne Wanda Bonnie Tammy Connie Lorraine Darlene Paula
Annette Sherry Dana Tina Wendy Rhonda Holly Erin Tracy Dawn Jill Kristen Courtney Mei Lin Ying
Priya Anjali Deepa Fatima Aisha Yasmin Thuy Linh Hoa Anne-Marie Mary-Kate Alexandra
""".split())
_SURNAMES = tuple("""
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster
Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno
West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro
Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen
Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw
Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar
Fox Warren Mills Meyer Rice Schmidt García Hernández Martínez Rodríguez López González Pérez
Sánchez Ramírez Núñez Peña Ibáñez Domínguez Vázquez O'Brien O'Connor O'Neal O'Neill O'Reilly
D'Angelo D'Souza McCarthy McKinney MacDonald McAllister Smith-Jones Garcia-Lopez Taylor-Smith
Lee-Chen Williams-Brown Rivera-Ortiz Johnson-Davis Armstrong Carpenter Weaver Greene Lawrence
Elliott Chambers Austin Grant Hudson Knight Ferguson Spencer Gardner Stephens Payne Pierce Berry
Matthews Arnold Willis Ray Watkins Carroll Duncan Hart Cunningham Bradley Lane Andrews Harper
Riley Sims Peters Kelley Franklin Lawson Fields Ryan Schneider Hansen Ramsey Vaughn Nash Boone
Bowman Hale Fleming Holt Walsh Dunn Byrd Lowe Frazier Barker Jennings Hanson Weber Hoffman Beck
Newton Wade Doyle Bishop Blair Kramer Bates Schultz Thornton Ballard Sutton Lamb Ingram Hopkins
Yates Mack Dalton Pham Le Vu Dang Huang Wang Zhang Liu Singh Shah Kumar Ali Khan Yamamoto Tanaka
Park Choi
""".split())
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Betty"), "James": ("Jim", "Jimmy"), "Michael": ("Mike",),
    "Richard": ("Rick", "Rich"), "Thomas": ("Tom", "Tommy"), "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"), "Joseph": ("Joe", "Joey"), "Charles": ("Charlie", "Chuck"),
    "Anthony": ("Tony",), "Matthew": ("Matt",), "Steven": ("Steve",), "Edward": ("Ed", "Eddie"),
    "Andrew": ("Andy", "Drew"), "Timothy": ("Tim",), "Kenneth": ("Ken", "Kenny"),
    "Ronald": ("Ron",), "Donald": ("Don",), "Gregory": ("Greg",), "Jeffrey": ("Jeff",),
    "Lawrence": ("Larry",), "Gerald": ("Jerry",), "Raymond": ("Ray",), "Samuel": ("Sam",),
    "Patrick": ("Pat",), "Zachary": ("Zach",), "Alexander": ("Alex",), "Benjamin": ("Ben",),
    "Jonathan": ("Jon",), "Nicholas": ("Nick",), "Francisco": ("Frank", "Paco"),
    "Roberto": ("Beto",), "Alejandro": ("Alex",), "José": ("Pepe",), "Jennifer": ("Jen", "Jenny"),
    "Katherine": ("Kate", "Kathy"), "Margaret": ("Maggie", "Peggy"), "Patricia": ("Pat", "Patty"),
    "Susan": ("Sue",), "Deborah": ("Deb", "Debbie"), "Rebecca": ("Becky",), "Samantha": ("Sam",),
    "Jessica": ("Jess",), "Victoria": ("Vicky", "Tori"), "Kimberly": ("Kim",),
    "Cynthia": ("Cindy",), "Barbara": ("Barb",), "Christina": ("Tina",), "Pamela": ("Pam",),
    "Jacqueline": ("Jackie",), "Guadalupe": ("Lupe",), "Dorothy": ("Dot", "Dottie"),
    "Kathleen": ("Kathy",), "Abigail": ("Abby",), "Alexandra": ("Alex",),
}

_STREET_NAMES = (
    "Oak", "Maple", "Cedar", "Elm", "Pine", "Pecan", "Willow", "Magnolia", "Live Oak", "Mesquite",
    "Bluebonnet", "Mockingbird", "Sycamore", "Hickory", "Walnut", "Cottonwood", "Juniper", "Aspen",
    "Spruce", "Birch", "Cypress", "Dogwood", "Redbud", "Sunset", "Lakeview", "Ridgeview",
    "Hillcrest", "Meadow", "Spring Creek", "Valley View", "Preston", "Forest", "Highland",
    "Lake", "River Oaks", "Prairie", "Canyon", "Timber", "Stonebridge", "Fox Run", "Deer Creek",
    "Eagle", "Heritage", "Windsor", "Lincoln", "Washington", "Jefferson", "Main", "Church",
    "Mill", "Chestnut", "Colonial", "Briarwood", "Shady Grove", "Cherry", "Peach", "Lone Star",
    "Sam Houston", "Quail Run", "Turtle Creek", "Bent Tree", "Cimarron", "Vista", "Ranch",
)
# Full word -> the abbreviation forms use; normalize_address folds both to one.
_SUFFIXES = {
    "Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Lane": "Ln",
    "Boulevard": "Blvd", "Court": "Ct", "Place": "Pl", "Circle": "Cir", "Parkway": "Pkwy",
    "Trail": "Trl", "Way": "Way",
}
_DIRECTIONS = {"North": "N", "South": "S", "East": "E", "West": "W"}
_SUFFIX_WORDS = tuple(_SUFFIXES)
_DIRECTION_WORDS = tuple(_DIRECTIONS)

_EMAIL_DOMAINS = (
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com", "att.net",
    "sbcglobal.net", "comcast.net",
)
_EMAIL_WEIGHTS = (0.45, 0.15, 0.09, 0.08, 0.08, 0.05, 0.04, 0.03, 0.03)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class _Profile:
    """How a file's households and contact changes are drawn.

    Rates of changes apply to people with two records or more; a change takes effect from a
    random record on. Zero rates draw nothing, so the default file stays what it was.
    """

    household_sizes: tuple[int, ...]
    household_weights: tuple[float, ...]
    record_counts: tuple[int, ...]
    record_weights: tuple[float, ...]
    landline_single: float  # share of one-person homes with a landline
    landline_shared: float  # the same for homes of two or more
    landline_share: float  # of records showing a phone at a home with a landline
    move_rate: float
    new_mobile_rate: float
    new_email_rate: float
    initial_rate: float  # of first names written as an initial


# Households of 1-5, ~40% of people living with someone; records per person mean ~2.5, a long
# tail up to 8; ~5% of all people move.
_DEFAULT = _Profile((1, 2, 3, 4, 5), (0.78, 0.14, 0.05, 0.02, 0.01),
                    (1, 2, 3, 4, 5, 6, 7, 8), (0.28, 0.30, 0.20, 0.11, 0.06, 0.03, 0.015, 0.005),
                    landline_single=0.3, landline_shared=0.5, landline_share=0.35,
                    move_rate=0.07, new_mobile_rate=0.0, new_email_rate=0.0, initial_rate=0.0)
# Households of 1-3 with ~75% of people living with someone, ~2 records per person, and one
# person in four with two records or more changing a mobile, a mailbox or a home.
_HOUSEHOLDS = _Profile((1, 2, 3), (0.45, 0.35, 0.20),
                       (1, 2, 3, 4, 5), (0.36, 0.33, 0.17, 0.09, 0.05),
                       landline_single=0.4, landline_shared=0.75, landline_share=0.4,
                       move_rate=0.10, new_mobile_rate=0.12, new_email_rate=0.12,
                       initial_rate=0.03)


@dataclass(frozen=True)
class _Metro:
    state: str
    state_name: str
    cities: tuple[tuple[str, str], ...]  # (city, first three zip digits)
    area_codes: tuple[str, ...]
    storms: tuple[str, ...]


_METROS = (
    _Metro("TX", "Texas", (("Dallas", "752"), ("Fort Worth", "761"), ("Plano", "750"),
                           ("Arlington", "760"), ("Frisco", "750"), ("Irving", "750")),
           ("214", "469", "972", "817"), ("S2023-HAIL-DFW", "S2024-HAIL-DFW")),
    _Metro("TX", "Texas", (("Houston", "770"), ("Katy", "774"), ("Sugar Land", "774"),
                           ("Pasadena", "775")),
           ("713", "281"), ("S2024-HURR-HOU",)),
    _Metro("TX", "Texas", (("Austin", "787"), ("Round Rock", "786"), ("Cedar Park", "786")),
           ("512",), ("S2024-WIND-AUS",)),
    _Metro("OK", "Oklahoma", (("Oklahoma City", "731"), ("Edmond", "730"), ("Norman", "730")),
           ("405",), ("S2024-HAIL-OKC",)),
    _Metro("CO", "Colorado", (("Denver", "802"), ("Aurora", "800"), ("Lakewood", "802")),
           ("303", "720"), ("S2023-HAIL-DEN", "S2024-HAIL-DEN")),
)
_METRO_WEIGHTS = (0.40, 0.20, 0.10, 0.12, 0.18)
_ALL_AREA_CODES = tuple(code for metro in _METROS for code in metro.area_codes)


@dataclass(frozen=True)
class _Presence:
    """How likely a channel's record is to show each field (before the identifier floor)."""

    name: float
    dob: float
    email: float
    phone: float
    address: float
    property_id: float
    device_id: float
    national_id: float


# Digital channels carry devices and emails; field channels carry addresses and property ids.
_CHANNELS: dict[str, tuple[float, _Presence]] = {
    "web_form": (0.22, _Presence(0.92, 0.80, 0.90, 0.80, 0.85, 0.20, 0.85, 0.10)),
    "door_knock": (0.18, _Presence(0.90, 0.70, 0.65, 0.88, 0.95, 0.85, 0.00, 0.04)),
    "call_center": (0.15, _Presence(0.92, 0.85, 0.70, 0.95, 0.85, 0.30, 0.05, 0.25)),
    "roof_inspection": (0.12, _Presence(0.88, 0.70, 0.60, 0.80, 0.95, 0.95, 0.00, 0.05)),
    "sms": (0.10, _Presence(0.75, 0.60, 0.55, 0.95, 0.70, 0.10, 0.60, 0.02)),
    "paid_search": (0.10, _Presence(0.80, 0.65, 0.90, 0.70, 0.75, 0.10, 0.95, 0.02)),
    "referral": (0.07, _Presence(0.90, 0.70, 0.75, 0.85, 0.80, 0.40, 0.10, 0.05)),
    "direct_mail": (0.06, _Presence(0.92, 0.65, 0.50, 0.60, 0.95, 0.90, 0.00, 0.02)),
}
_CHANNEL_NAMES = tuple(_CHANNELS)
_CHANNEL_WEIGHTS = tuple(weight for weight, _ in _CHANNELS.values())


@dataclass(frozen=True)
class _Place:
    """A property: what every member of a household shares."""

    property_id: str
    metro: _Metro
    street_number: str
    street: tuple[str, str, str]  # direction ("" for none), name, suffix; full words
    unit: tuple[str, str] | None  # ("Apt" | "Unit", number)
    city: str
    zip: str
    landline: str  # ten digits, or "" for none


@dataclass(frozen=True)
class _Person:
    person_id: str
    household_id: str
    first: str
    last: str
    dob: date
    email: str
    mobile: str
    device: str
    ssn: str
    storm: str
    home: _Place
    new_home: _Place | None  # where the records from `moved_at` on were taken
    moved_at: int
    n_records: int
    new_mobile: tuple[str, int] = ("", 0)  # a new number, and the first record giving it
    new_email: tuple[str, int] = ("", 0)  # a new mailbox, and the first record giving it

    def mobile_at(self, index: int) -> str:
        """The mobile the person gives on their index-th record."""
        number, since = self.new_mobile
        return number if number and index >= since else self.mobile

    def email_at(self, index: int) -> str:
        """The mailbox the person gives on their index-th record."""
        mailbox, since = self.new_email
        return mailbox if mailbox and index >= since else self.email


def generate_records(rows: int, seed: int = 0, *, households: bool = False
                     ) -> list[dict[str, str]]:
    """rows records; each dict has every CANONICAL_COLUMNS + TRUTH_COLUMNS key; missing values
    are "" (empty string). `households` draws the household-heavy file with contact changes
    (see the module docstring)."""
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    generator = _Generator(random.Random(seed), _HOUSEHOLDS if households else _DEFAULT)
    records = [
        generator.record(person, index)
        for person in generator.people(rows)
        for index in range(person.n_records)
    ]
    generator.rng.shuffle(records)
    for number, record in enumerate(records, 1):
        record["record_id"] = f"R{number:07d}"
    return records


def write_csv(records: list[dict[str, str]], path: str | Path) -> None:
    """CSV with header CANONICAL_COLUMNS + TRUTH_COLUMNS, in that order (csv module, utf-8)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=_COLUMNS)
        writer.writeheader()
        writer.writerows(records)


class _Generator:
    """One dataset's draws, plus the values already handed out that must stay unique."""

    def __init__(self, rng: random.Random, profile: _Profile = _DEFAULT) -> None:
        self.rng = rng
        self.profile = profile
        self._claimed: dict[str, set[str]] = {}
        self._properties = 0

    def _claim(self, kind: str, value: str) -> bool:
        """Reserve a value of a kind; False when someone already has it."""
        seen = self._claimed.setdefault(kind, set())
        if value in seen:
            return False
        seen.add(value)
        return True

    def people(self, rows: int) -> list[_Person]:
        """Households until their records add up to exactly `rows` (the last may be cut short)."""
        people: list[_Person] = []
        remaining, number = rows, 0
        while remaining:
            number += 1
            household = self._household(number, remaining)
            people.extend(household)
            remaining -= sum(person.n_records for person in household)
        return people

    def _household(self, number: int, budget: int) -> list[_Person]:
        rng, profile = self.rng, self.profile
        household_id = f"H{number:06d}"
        size = rng.choices(profile.household_sizes, profile.household_weights)[0]
        metro = rng.choices(_METROS, _METRO_WEIGHTS)[0]
        landline = profile.landline_single if size == 1 else profile.landline_shared
        home = self._place(metro, with_landline=rng.random() < landline)
        head_male = rng.random() < 0.5
        head_last = rng.choice(_SURNAMES)
        head_dob = _random_date(rng, _EARLIEST_DOB.year, 1978 if size >= 3 else 2000)
        members: list[_Person] = []
        for member in range(1, size + 1):
            if member == 1:
                male, last, dob = head_male, head_last, head_dob
            elif member == 2:
                male = head_male != (rng.random() < 0.92)
                last = _spouse_surname(rng, head_last)
                offset = timedelta(days=rng.randint(-6 * 365, 6 * 365))
                dob = min(max(head_dob + offset, _EARLIEST_DOB), _LATEST_DOB)
            else:
                male, last = rng.random() < 0.5, head_last
                dob = _random_date(rng, head_dob.year + 20, min(head_dob.year + 34, 2000))
            taken = {person.first for person in members}
            first = _first_name(rng, male, taken)
            n_records = min(rng.choices(profile.record_counts, profile.record_weights)[0],
                            budget)
            budget -= n_records
            members.append(self._person(f"{household_id}-{member}", household_id, first, last,
                                        dob, home, n_records))
            if not budget:
                break
        return members

    def _person(self, person_id: str, household_id: str, first: str, last: str, dob: date,
                home: _Place, n_records: int) -> _Person:
        rng = self.rng
        email = self._email(first, last, dob) if rng.random() < 0.85 else ""
        local = rng.random() < 0.85
        mobile = self._phone(rng.choice(home.metro.area_codes if local else _ALL_AREA_CODES))
        device = _device_id(rng) if rng.random() < 0.75 else ""
        ssn = self._ssn()
        storm = rng.choice(home.metro.storms)
        new_home, moved_at = None, n_records
        if n_records >= 2 and rng.random() < self.profile.move_rate:
            metro = home.metro if rng.random() < 0.8 else rng.choice(_METROS)
            new_home = self._place(metro, with_landline=False)
            moved_at = rng.randint(1, n_records - 1)
        new_mobile, new_email = ("", 0), ("", 0)
        if n_records >= 2 and self._changes(self.profile.new_mobile_rate):
            new_mobile = (self._phone(mobile[:3]), rng.randint(1, n_records - 1))
        if n_records >= 2 and email and self._changes(self.profile.new_email_rate):
            new_email = (self._email(first, last, dob), rng.randint(1, n_records - 1))
        return _Person(person_id, household_id, first, last, dob, email, mobile, device, ssn,
                       storm, home, new_home, moved_at, n_records, new_mobile, new_email)

    def _changes(self, rate: float) -> bool:
        """Whether a contact detail changes (no draw at rate 0, so files without changes keep
        their draws)."""
        return bool(rate) and self.rng.random() < rate

    def _place(self, metro: _Metro, with_landline: bool) -> _Place:
        rng = self.rng
        self._properties += 1
        city, zip_prefix = rng.choice(metro.cities)
        while True:
            direction = rng.choice(_DIRECTION_WORDS) if rng.random() < 0.25 else ""
            street = (direction, rng.choice(_STREET_NAMES), rng.choice(_SUFFIX_WORDS))
            number = str(rng.randint(100, 14999))
            if self._claim("address", f"{number} {' '.join(street)}, {city}"):
                break
        unit = None
        if rng.random() < 0.12:
            unit_number = str(rng.randint(1, 40)) + rng.choice(("", "", "B"))
            unit = (rng.choice(("Apt", "Unit")), unit_number)
        return _Place(
            property_id=f"P{self._properties:06d}", metro=metro, street_number=number,
            street=street, unit=unit, city=city, zip=f"{zip_prefix}{rng.randint(1, 99):02d}",
            landline=self._phone(rng.choice(metro.area_codes)) if with_landline else "",
        )

    def _phone(self, area_code: str) -> str:
        """A valid, unused US number: exchange 200-999, never 555 or an N11 service code."""
        while True:
            exchange = self.rng.randint(200, 999)
            if exchange == 555 or exchange % 100 == 11:
                continue
            number = f"{area_code}{exchange}{self.rng.randint(0, 9999):04d}"
            if self._claim("phone", number):
                return number

    def _email(self, first: str, last: str, dob: date) -> str:
        rng = self.rng
        f, last_part = _ascii_letters(first), _ascii_letters(last)
        local = rng.choice((f"{f}.{last_part}", f"{f}{last_part}", f"{f[0]}{last_part}",
                            f"{f}_{last_part}", f"{f}{last_part[0]}", f"{last_part}.{f}"))
        domain = rng.choices(_EMAIL_DOMAINS, _EMAIL_WEIGHTS)[0]
        with_digits = rng.random() < 0.45
        while True:
            if with_digits:
                suffix = rng.choice((str(dob.year), f"{dob.year % 100:02d}",
                                     str(rng.randint(1, 999))))
            else:
                suffix = ""
            email = f"{local}{suffix}@{domain}"
            if self._claim("email", email):
                return email
            with_digits = True

    def _ssn(self) -> str:
        while True:
            area = self.rng.randint(1, 899)
            if area == 666:
                continue
            ssn = f"{area:03d}{self.rng.randint(1, 99):02d}{self.rng.randint(1, 9999):04d}"
            if self._claim("ssn", ssn):
                return ssn

    def record(self, person: _Person, index: int) -> dict[str, str]:
        """One sighting of a person: a channel's subset of their fields, with form noise."""
        rng = self.rng
        place = person.home
        if person.new_home is not None and index >= person.moved_at:
            place = person.new_home
        channel = rng.choices(_CHANNEL_NAMES, _CHANNEL_WEIGHTS)[0]
        show = _CHANNELS[channel][1]
        # Mostly the storm that brought the person in; sometimes a later one in their metro.
        storm = person.storm
        if place is not person.home or rng.random() >= 0.85:
            storm = rng.choice(place.metro.storms)
        record = dict.fromkeys(_COLUMNS, "")
        record.update(source=channel, channel=channel, storm_id=storm,
                      person_id=person.person_id, household_id=person.household_id)
        if rng.random() < show.name:
            if rng.random() >= 0.04:
                record["first_name"] = _first_name_variant(rng, person.first)
                if self._changes(self.profile.initial_rate):
                    record["first_name"] = person.first[0] + rng.choice(("", "."))
            if rng.random() >= 0.06:
                record["last_name"] = _last_name_variant(rng, person.last)
        if rng.random() < show.dob:
            record["dob"] = _dob_variant(rng, person.dob)
        email = person.email_at(index)
        if email and rng.random() < show.email:
            record["email"] = _email_variant(rng, email)
        if rng.random() < show.phone:
            landline = place.landline and rng.random() < self.profile.landline_share
            record["phone"] = _phone_variant(rng, place.landline if landline
                                             else person.mobile_at(index))
        if rng.random() < show.address:
            _fill_address(rng, record, place)
        if rng.random() < show.property_id:
            record["property_id"] = place.property_id
        if person.device and rng.random() < show.device_id:
            record["device_id"] = person.device.upper() if rng.random() < 0.1 else person.device
        if rng.random() < show.national_id:
            ssn = person.ssn
            record["national_id"] = f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if rng.random() < 0.5 else ssn
        if not _names_someone(record):
            record["phone"] = _phone_variant(rng, person.mobile_at(index))
        return record


def _names_someone(record: dict[str, str]) -> bool:
    """Whether the record carries an identifier the graph can link on.

    A contact point (email, phone, device) does alone; a full name needs a dob, a property or a
    national id beside it, as the graph refuses a bare name.
    """
    if record["email"] or record["phone"] or record["device_id"]:
        return True
    named = record["first_name"] and record["last_name"]
    return bool(named and (record["dob"] or record["property_id"] or record["national_id"]))


def _random_date(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1).toordinal()
    return date.fromordinal(rng.randint(start, date(last_year, 12, 31).toordinal()))


def _first_name(rng: random.Random, male: bool, taken: set[str]) -> str:
    """A first name nobody else in the household has."""
    while True:
        name = rng.choice(_MALE_NAMES if male else _FEMALE_NAMES)
        if name not in taken:
            return name


def _spouse_surname(rng: random.Random, head_last: str) -> str:
    roll = rng.random()
    if roll < 0.82:
        return head_last
    own = rng.choice(_SURNAMES)
    if roll < 0.87 and "-" not in head_last and "-" not in own and own != head_last:
        return f"{head_last}-{own}"
    return own


def _device_id(rng: random.Random) -> str:
    """uuid-shaped hex from the seeded generator (uuid4 would break reproducibility)."""
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _fold(text: str) -> str:
    """'José' -> 'Jose': how forms without accent support record a name."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _ascii_letters(text: str) -> str:
    return "".join(ch for ch in _fold(text).lower() if ch in _LETTERS)


def _first_name_variant(rng: random.Random, name: str) -> str:
    if name in _NICKNAMES and rng.random() < _NICKNAME_RATE:
        name = rng.choice(_NICKNAMES[name])
    return _name_noise(rng, name)


def _last_name_variant(rng: random.Random, name: str) -> str:
    if "-" in name and rng.random() < 0.25:
        name = name.split("-")[0]
    return _name_noise(rng, name)


def _name_noise(rng: random.Random, name: str) -> str:
    if not name.isascii() and rng.random() < 0.4:
        name = _fold(name)
    if rng.random() < _TYPO_RATE:
        name = _typo(rng, name)
    roll = rng.random()
    if roll < 0.06:
        return name.upper()
    if roll < 0.09:
        return name.lower()
    return name


def _typo(rng: random.Random, text: str) -> str:
    """One keying error: a substituted, dropped or swapped letter."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(positions)
    kind = rng.randrange(3) if len(positions) >= 3 else 0
    if kind == 0:
        letter = rng.choice(_LETTERS.replace(text[i].lower(), ""))
        return text[:i] + (letter.upper() if text[i].isupper() else letter) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    j = i + 1 if i + 1 < len(text) else i - 1
    a, b = min(i, j), max(i, j)
    return text[:a] + text[b] + text[a] + text[b + 1:]


def _dob_variant(rng: random.Random, dob: date) -> str:
    return dob.isoformat() if rng.random() < 0.75 else dob.strftime("%m/%d/%Y")


def _email_variant(rng: random.Random, email: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return email.upper()
    if roll < 0.08:
        return email.capitalize()
    if roll < 0.12:
        return f" {email} " if roll < 0.10 else f"{email} "
    return email


def _phone_variant(rng: random.Random, digits: str) -> str:
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return rng.choices(
        (f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
         f"+1 {area} {exchange} {line}", digits, f"1-{area}-{exchange}-{line}"),
        (0.30, 0.25, 0.10, 0.10, 0.20, 0.05),
    )[0]


def _fill_address(rng: random.Random, record: dict[str, str], place: _Place) -> None:
    direction, name, suffix = place.street
    parts = [_abbreviated(rng, direction, _DIRECTIONS[direction])] if direction else []
    parts += [name, _abbreviated(rng, suffix, _SUFFIXES[suffix])]
    record["address"] = _cased(rng, " ".join(parts))
    if rng.random() >= 0.08:
        record["street_number"] = place.street_number
    if place.unit and rng.random() < 0.75:
        record["address_2"] = _unit_variant(rng, *place.unit)
    if rng.random() >= 0.08:
        record["city"] = _cased(rng, place.city)
    if rng.random() >= 0.08:
        record["zip"] = place.zip
    if rng.random() >= 0.06:
        roll = rng.random()
        metro = place.metro
        record["state"] = (metro.state if roll < 0.85
                           else metro.state_name if roll < 0.93 else metro.state.lower())


def _abbreviated(rng: random.Random, word: str, short: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return word
    return f"{short}." if roll < 0.55 and short != word else short


def _cased(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.80:
        return text
    return text.upper() if roll < 0.92 else text.lower()


def _unit_variant(rng: random.Random, kind: str, number: str) -> str:
    return rng.choice((f"{kind} {number}", f"{kind} {number}", f"{kind.upper()} {number}",
                       f"{kind}. {number}" if kind == "Apt" else f"Unit #{number}", f"#{number}"))
