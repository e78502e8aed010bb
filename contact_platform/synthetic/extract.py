"""A synthetic association extract: calls and the encounters they lead to, one file per entity
and day, written exactly as the contract says an association delivers them."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from contact_platform.contract import ENTITIES
from contact_platform.contract.entities import DELIMITER, ENCODING
from contact_platform.ingest.deliveries import file_name
from contact_platform.synthetic.people import Patient, make_patient

# Share of calls per hour of day: out-of-hours care peaks in the evening.
_HOUR_WEIGHTS = (3, 2, 2, 1, 1, 1, 2, 3, 5, 6, 6, 6, 5, 5, 5, 5, 6, 7, 9, 10, 10, 8, 6, 4)
_TRIAGE = {
    "home_visit": 45,
    "centre_consultation": 20,
    "teleconsultation": 5,
    "advice": 20,
    "redirect_emergency": 5,
    "redirect_gp": 5,
}
# (diagnosis, weight, call reason as a call taker types it)
_CASES = (
    ("R80", 8, "fièvre {temp}, courbatures, toux depuis 2 jours"),
    ("R74", 12, "mal de gorge et nez qui coule, fièvre {temp}"),
    ("R78", 6, "toux grasse, gêne respiratoire"),
    ("D73", 8, "vomissements et diarrhées depuis cette nuit"),
    ("A03", 8, "fièvre {temp} chez l'enfant, pas d'autre signe"),
    ("H71", 5, "douleur oreille, pleure beaucoup"),
    ("L03", 6, "douleur lombaire bloquée depuis ce matin"),
    ("U71", 5, "brûlures urinaires"),
    ("N01", 4, "maux de tête intenses"),
    ("K86", 3, "tension élevée au contrôle à domicile"),
    ("R96", 3, "crise d'asthme, ventoline sans effet"),
    ("S18", 3, "coupure à la main, saigne"),
    ("P74", 3, "angoisse, oppression"),
    ("A11", 2, "douleur thoracique"),
    ("D01", 4, "douleurs abdominales"),
    ("F70", 2, "œil rouge qui colle"),
)
_MENTIONS = (
    "Appel de {first} {name}.",
    "Rappeler au {phone}.",
    "NIR donné : {nir}.",
    "Adresse : {street}, {postcode}.",
    "Né(e) le {birth}.",
    "Contact famille : {email}.",
    "",
    "",
    "",
)
_STREETS = (
    "rue des Lilas",
    "avenue Jean Jaurès",
    "boulevard Voltaire",
    "rue de la Paix",
    "impasse des Tilleuls",
    "place de la République",
)

DEFECTS = {
    "invalid_icpc2": "every encounter's diagnosis is a code that ICPC-2 does not have",
}


@dataclass
class ExtractSpec:
    """What to generate: one association, a run of days, a mean number of calls per day."""

    association_id: str = "paris"
    department: str = "75"
    start: date = date(2025, 1, 6)
    days: int = 7
    calls_per_day: int = 60
    seed: int = 42
    defects: tuple[str, ...] = field(default_factory=tuple)


def generate_extract(spec: ExtractSpec, out_dir: Path) -> list[Path]:
    """Write the calls and encounters files of every day of `spec` into `out_dir`."""
    unknown = set(spec.defects) - set(DEFECTS)
    if unknown:
        raise ValueError(f"unknown defects {sorted(unknown)}; known: {sorted(DEFECTS)}")
    rng = random.Random(spec.seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for offset in range(spec.days):
        day = spec.start + timedelta(days=offset)
        calls, encounters = _day_of_activity(rng, spec, day)
        if "invalid_icpc2" in spec.defects:
            for encounter in encounters:
                encounter["diagnosis_icpc2"] = "Q99"
        written.append(_write(out_dir, spec.association_id, "calls", day, calls))
        written.append(_write(out_dir, spec.association_id, "encounters", day, encounters))
    return written


def _day_of_activity(
    rng: random.Random, spec: ExtractSpec, day: date
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    calls: list[dict[str, object]] = []
    encounters: list[dict[str, object]] = []
    weekend_boost = 1.4 if day.weekday() >= 5 else 1.0
    count = max(1, int(rng.gauss(spec.calls_per_day * weekend_boost, spec.calls_per_day / 10)))
    for number in range(count):
        patient = make_patient(rng, spec.department, day)
        hour = rng.choices(range(24), _HOUR_WEIGHTS)[0]
        received = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), UTC)
        call_id = f"C{day:%Y%m%d}{number:05d}"
        diagnosis, _, reason = rng.choices(_CASES, [case[1] for case in _CASES])[0]
        decision = rng.choices(list(_TRIAGE), list(_TRIAGE.values()))[0]
        calls.append(
            {
                "call_id": call_id,
                "association_id": spec.association_id,
                "received_at": received.isoformat(),
                **_patient_fields(patient),
                "call_reason_text": _call_note(rng, patient, reason),
                "triage_decision": decision,
            }
        )
        if decision in ("home_visit", "centre_consultation", "teleconsultation"):
            started = received + timedelta(minutes=rng.randint(20, 180))
            encounters.append(
                {
                    "encounter_id": f"E{day:%Y%m%d}{number:05d}",
                    "association_id": spec.association_id,
                    "call_id": call_id,
                    "encounter_type": decision,
                    "started_at": started.isoformat(),
                    "ended_at": (started + timedelta(minutes=rng.randint(10, 45))).isoformat(),
                    **_patient_fields(patient),
                    "diagnosis_icpc2": diagnosis,
                }
            )
    return calls, encounters


def _patient_fields(patient: Patient) -> dict[str, object]:
    return {
        "patient_nir": patient.nir or "",
        "patient_birth_name": patient.birth_name,
        "patient_first_name": patient.first_name,
        "patient_birth_date": patient.birth_date.isoformat(),
        "patient_sex": patient.sex,
        "patient_postcode": patient.postcode,
    }


def _call_note(rng: random.Random, patient: Patient, reason: str) -> str:
    """The call taker's note: the reason, and now and then an identifier, as real notes have."""
    mention = rng.choice(_MENTIONS).format(
        first=patient.first_name,
        name=patient.birth_name.upper() if rng.random() < 0.5 else patient.birth_name,
        phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        nir=patient.nir or "inconnu",
        street=f"{rng.randint(1, 120)} {rng.choice(_STREETS)}",
        postcode=patient.postcode,
        birth=f"{patient.birth_date:%d/%m/%Y}",
        email=f"{patient.first_name.lower()}.{rng.randint(1, 99)}@exemple.fr",
    )
    text = reason.format(temp=f"{rng.uniform(38, 40.5):.1f}".replace(".", ","))
    return f"{text}. {mention}".strip()


def _write(
    out_dir: Path, association_id: str, entity: str, day: date, rows: Iterable[dict[str, object]]
) -> Path:
    path = out_dir / file_name(association_id, entity, day)
    columns = ENTITIES[entity].column_names
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=DELIMITER, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row[column] for column in columns)
    return path
