"""Call takers' notes: the reason in their words, and identifiers the way real notes carry them.

Each planted identifier is returned with its kind (the labels of AP-HP's eds-pseudo: NOM,
PRENOM, TEL, SECU, DATE_NAISSANCE, ADRESSE, ZIP, MAIL) so that scrubbing can be measured.
"""

from __future__ import annotations

from contact_platform.synthetic.population import RenderedIdentity

Planted = list[tuple[str, str]]

_DOMAINS = ("exemple.fr", "courriel.fr", "mail.test")


def _mention(kind: str, identity: RenderedIdentity, pick: float) -> tuple[str, Planted]:
    name = identity.used_name or identity.birth_name
    if kind == "NOM":
        title = "Mme" if identity.sex == "F" else "M."
        value = name.upper() if pick < 0.5 else name
        return f"appel de {title} {value}", [("NOM", value)]
    if kind == "PRENOM":
        return f"{identity.first_name} est inquiet", [("PRENOM", identity.first_name)]
    if kind == "TEL":
        return f"rappeler au {identity.phone}", [("TEL", identity.phone)]
    if kind == "SECU" and identity.nir:
        nir = identity.nir
        value = (
            nir
            if pick < 0.5
            else f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
        )
        return f"NIR {value}", [("SECU", value)]
    if kind == "DATE_NAISSANCE":
        value = f"{identity.birth_date:%d/%m/%Y}"
        return f"né(e) le {value}", [("DATE_NAISSANCE", value)]
    if kind == "ADRESSE":
        return (
            f"adresse {identity.address}, {identity.postcode}",
            [("ADRESSE", identity.address), ("ZIP", identity.postcode)],
        )
    if kind == "MAIL":
        local = f"{identity.first_name}.{name}".lower().replace(" ", "").replace("'", "")
        value = f"{local}@{_DOMAINS[int(pick * len(_DOMAINS))]}"
        return f"mail {value}", [("MAIL", value)]
    return "", []


_KINDS = ("NOM", "PRENOM", "TEL", "SECU", "DATE_NAISSANCE", "ADRESSE", "MAIL")
_KIND_WEIGHTS = (0.3, 0.15, 0.2, 0.07, 0.1, 0.12, 0.06)


def call_note(reason: str, identity: RenderedIdentity, draws: list[float]) -> tuple[str, Planted]:
    """The note of one call, from 4 uniform `draws`: about a third mention identifiers."""
    if draws[0] >= 0.35:
        return reason, []
    kinds = []
    for draw in draws[1:3] if draws[0] < 0.08 else draws[1:2]:
        threshold = draw
        for kind, weight in zip(_KINDS, _KIND_WEIGHTS, strict=True):
            if threshold < weight:
                kinds.append(kind)
                break
            threshold -= weight
    parts, planted = [reason], []
    for kind in dict.fromkeys(kinds):
        text, found = _mention(kind, identity, draws[3])
        if text:
            parts.append(text)
            planted += found
    return ", ".join(parts), planted
