"""A merge's or a review item's evidence as a flat table: the review queue and the merge
audit show it the same way."""

from __future__ import annotations

from typing import Any

import streamlit as st


def evidence_rows(evidence: dict[str, Any]) -> list[dict[str, str]]:
    """The evidence as one row per fact, nested objects flattened to dotted names, so the
    reviewer sees all of it at once (a comparison reads `level (+w bits)`) where a JSON tree
    would hide nested facts behind clicks.

    Example:
        >>> evidence_rows({"comparisons": {"dob": {"level": "exact", "weight": 4.2}}})
        [{'evidence': 'comparisons.dob', 'value': 'exact (+4.20 bits)'}]
    """
    rows: list[dict[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and set(value) == {"level", "weight"} and isinstance(
                value["weight"], int | float):
            rows.append({"evidence": prefix, "value": f"{value['level']} "
                                                      f"({value['weight']:+.2f} bits)"})
        elif isinstance(value, dict) and value:
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append({"evidence": prefix, "value": "-" if shown in (None, "", {}) else
                         str(shown)})

    if evidence:
        walk("", evidence)
    return rows


def show_evidence(evidence: Any) -> None:
    """The evidence as a static table (a caption when none was recorded)."""
    rows = evidence_rows(evidence if isinstance(evidence, dict) else
                         {"text": evidence} if evidence else {})
    if rows:
        st.table(rows, hide_index=True)
    else:
        st.caption("none recorded")
