"""Coarsening of quasi-identifiers: only what research needs survives ingestion."""

from __future__ import annotations


def department_from_postcode(postcode: str | None) -> str | None:
    """Département code of a French postcode (Corsica 20xxx -> 2A/2B, overseas 97x -> 3 digits)."""
    if not postcode or len(postcode) != 5 or not postcode.isdigit():
        return None
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    if postcode.startswith("97"):
        return postcode[:3]
    return postcode[:2]
