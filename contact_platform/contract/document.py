"""The column tables of docs/extract-contract.md, rendered from the contract itself."""

from __future__ import annotations

from contact_platform.contract.entities import ENTITIES, Column, Handling

BEGIN = "<!-- BEGIN GENERATED: contact contract doc -->"
END = "<!-- END GENERATED -->"

_HANDLING = {
    Handling.KEEP: "loaded",
    Handling.IDENTITY: "pseudonymised, never loaded",
    Handling.FREE_TEXT: "scrubbed, then loaded",
    Handling.PSEUDONYMISED: "replaced by a keyed pseudonym",
}


def _rule(column: Column) -> str:
    rules = []
    if column.allowed_values:
        values = column.allowed_values
        shown = ", ".join(values) if len(values) <= 8 else f"{len(values)} ICPC-2 codes"
        rules.append(f"one of: {shown}")
    if column.minimum is not None:
        rules.append(f"plausible {column.minimum:g} to {column.maximum:g}")
    return "; ".join(rules)


def render_tables() -> str:
    """Markdown: one table per entity, between the generated-section markers."""
    parts = [BEGIN]
    for entity in ENTITIES.values():
        parts += [
            f"\n### `{entity.name}`\n",
            f"{entity.description} Key: {', '.join(entity.key)}. "
            f"File: `<association>_<period>_<NN>_{entity.name}.csv`.\n",
            "| column | type | required | at ingestion | rule | description |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        parts += [
            f"| `{c.name}` | {c.type.value} | {'yes' if c.required else ''} | "
            f"{_HANDLING[c.handling]} | {_rule(c)} | {c.description} |"
            for c in entity.columns
        ]
    parts.append(END)
    return "\n".join(parts)


def refresh(document: str) -> str:
    """`document` with its generated section replaced by the current contract."""
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + render_tables() + tail
