"""Synthetic patients: French names, valid (or missing) NIRs, birth dates and postcodes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from contact_platform.privacy.nir import nir_key

BIRTH_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Le Gall",
    "De La Tour",
    "N'Diaye",
    "Benali",
    "Nguyen",
    "Haddad",
    "Saint-Martin",
)
FIRST_NAMES = {
    "M": (
        "Jean",
        "Louis",
        "Gabriel",
        "Léo",
        "Raphaël",
        "Arthur",
        "Lucas",
        "Hugo",
        "Jules",
        "Adam",
        "Pierre",
        "Michel",
        "Philippe",
        "Alain",
        "Nicolas",
        "Jean-Pierre",
        "Mohamed",
        "Théo",
        "Noé",
        "Paul",
        "Émile",
        "Marcel",
        "Bernard",
        "Yanis",
    ),
    "F": (
        "Marie",
        "Jade",
        "Louise",
        "Emma",
        "Alice",
        "Chloé",
        "Léa",
        "Manon",
        "Camille",
        "Inès",
        "Nathalie",
        "Isabelle",
        "Sylvie",
        "Catherine",
        "Françoise",
        "Anne-Sophie",
        "Fatima",
        "Zoé",
        "Lina",
        "Hélène",
        "Monique",
        "Josette",
        "Maëlys",
        "Aïcha",
    ),
}


@dataclass(frozen=True)
class Patient:
    nir: str | None
    birth_name: str
    first_name: str
    birth_date: date
    sex: str
    postcode: str


def make_nir(rng: random.Random, sex: str, birth_date: date, department: str) -> str:
    """A NIR with a correct key: sex, birth year and month, département, commune, order."""
    body = (
        ("1" if sex == "M" else "2")
        + f"{birth_date.year % 100:02d}{birth_date.month:02d}"
        + department.zfill(2)[:2]
        + f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )
    return body + f"{nir_key(body):02d}"


def make_patient(rng: random.Random, department: str, today: date) -> Patient:
    sex = rng.choice(("M", "F"))
    # Out-of-hours care is used most by young children and the elderly.
    age = min(int(rng.choice((rng.expovariate(1 / 4), rng.uniform(0, 90), rng.gauss(80, 8)))), 104)
    birth_date = today - timedelta(days=365 * max(age, 0) + rng.randint(0, 364))
    nir = make_nir(rng, sex, birth_date, department) if rng.random() < 0.7 else None
    postcode = f"{department.zfill(2)[:2]}{rng.randint(0, 20) * 10:03d}"
    return Patient(
        nir, rng.choice(BIRTH_NAMES), rng.choice(FIRST_NAMES[sex]), birth_date, sex, postcode
    )
