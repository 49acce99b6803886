"""Given names and the short forms people write for them ('Bob' for Robert, 'Lupe' for Guadalupe).

Data only. A short form may belong to several names ('Alex': Alexander, Alexandra, Alejandro);
`name_roots` answers with all of them, so two spellings of one person share a root while two
different full names never do.
"""

from __future__ import annotations

from functools import cache

# Full name -> short forms, lower-case ASCII (the form `core.normalize.normalize_name` produces).
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "abigail": ("abby", "abbie"),
    "albert": ("al",),
    "alejandro": ("alex",),
    "alexander": ("alex", "al"),
    "alexandra": ("alex", "alexa"),
    "alfred": ("al", "alf", "fred"),
    "alicia": ("ali", "allie"),
    "andrew": ("andy",),
    "anthony": ("tony",),
    "antonio": ("tony", "toni"),
    "arthur": ("art",),
    "barbara": ("barb", "babs"),
    "benjamin": ("ben", "benny"),
    "bradley": ("brad",),
    "catherine": ("cathy", "kate", "katie"),
    "charles": ("charlie", "chuck", "chas"),
    "christina": ("tina", "chris", "christy"),
    "christine": ("chris", "christy", "tina"),
    "christopher": ("chris",),
    "cynthia": ("cindy",),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy"),
    "deborah": ("deb", "debbie", "debby"),
    "donald": ("don", "donnie"),
    "dorothy": ("dot", "dottie"),
    "douglas": ("doug",),
    "edward": ("ed", "eddie", "ted", "ned"),
    "elizabeth": ("liz", "beth", "betty", "libby"),
    "francisco": ("paco",),
    "frederick": ("fred", "freddy"),
    "gabriel": ("gabe",),
    "gerald": ("jerry",),
    "gregory": ("greg",),
    "guadalupe": ("lupe",),
    "henry": ("hank",),
    "jacob": ("jake",),
    "jacqueline": ("jackie",),
    "james": ("jim", "jimmy"),
    "jeffrey": ("jeff",),
    "jennifer": ("jen", "jenny", "jenn"),
    "jessica": ("jess", "jessie"),
    "john": ("johnny",),
    "jonathan": ("jon", "jonny"),
    "jose": ("pepe",),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "katherine": ("kate", "kathy", "katie", "kat"),
    "kathleen": ("kathy", "kate"),
    "kenneth": ("ken", "kenny"),
    "kimberly": ("kim",),
    "lawrence": ("larry",),
    "leonard": ("leo", "len", "lenny"),
    "margaret": ("maggie", "peggy", "meg", "marge"),
    "matthew": ("matt",),
    "michael": ("mike", "mikey", "mick"),
    "nathan": ("nate",),
    "nicholas": ("nick", "nicky"),
    "pamela": ("pam",),
    "patricia": ("pat", "patty", "tricia", "trish"),
    "patrick": ("pat", "paddy"),
    "peter": ("pete",),
    "philip": ("phil",),
    "raymond": ("ray",),
    "rebecca": ("becky", "becca"),
    "richard": ("rick", "rich", "dick", "ricky"),
    "robert": ("bob", "rob", "bobby", "robbie"),
    "roberto": ("beto", "rob"),
    "ronald": ("ron", "ronnie"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "susan": ("sue", "susie"),
    "theodore": ("ted", "teddy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "tori"),
    "walter": ("walt",),
    "william": ("bill", "will", "billy", "willy"),
    "zachary": ("zach", "zack"),
}


def _build_roots() -> dict[str, tuple[str, ...]]:
    """Every full name and short form -> the full names it can stand for."""
    roots: dict[str, set[str]] = {}
    for full, shorts in _SHORT_FORMS.items():
        roots.setdefault(full, set()).add(full)
        for short in shorts:
            roots.setdefault(short, set()).add(full)
    return {name: tuple(sorted(fulls)) for name, fulls in roots.items()}


_ROOTS = _build_roots()


@cache
def name_roots(first_name: str) -> str | None:
    """Space-separated full names a normalized given name can stand for, or None if unknown.

    Only the first word is looked up, so 'bob lee' has the roots of 'bob'.
    """
    head = first_name.split(" ", 1)[0]
    roots = _ROOTS.get(head)
    return " ".join(roots) if roots else None
