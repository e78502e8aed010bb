"""The national synthetic population, as numpy arrays, and how each record renders a person.

Every person lives in one association's area. Records of the same person differ the way real
ones do: the NIR is given or not, names are typed in capitals or without accents, the used name
is sometimes put where the birth name belongs, and now and then a first name is misspelt.
The true person of every record is kept in the ground truth, for linkage tests.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from contact_platform.privacy.nir import nir_key
from contact_platform.synthetic.associations import Association
from contact_platform.synthetic.names import first_names, surnames

# Age bands (years) and shares among SOS Médecins patients: many children, many elderly.
_AGE_BANDS = ((0, 2), (2, 15), (15, 45), (45, 65), (65, 75), (75, 100))
_AGE_SHARES = (0.08, 0.22, 0.30, 0.17, 0.08, 0.15)
STREETS = (
    "rue des Lilas",
    "avenue Jean Jaurès",
    "boulevard Voltaire",
    "rue de la Paix",
    "impasse des Tilleuls",
    "place de la République",
    "rue Victor Hugo",
    "allée des Pins",
    "chemin du Moulin",
    "rue Pasteur",
    "avenue de la Gare",
    "rue du Général de Gaulle",
    "quai des Brumes",
    "rue Émile Zola",
    "route de Lyon",
    "rue des Écoles",
)


@dataclass
class Population:
    home: np.ndarray  # association index
    sex: np.ndarray  # 0 = M, 1 = F
    birth: np.ndarray  # proleptic ordinal of the birth date
    surname: np.ndarray
    used_name: np.ndarray  # surname index, -1 when none
    first_name: np.ndarray
    nir_holder: np.ndarray  # has a NIR at all (foreign visitors often do not)
    nir_temporary: np.ndarray
    birth_department: np.ndarray  # index into departments, -1 = born abroad (99)
    nir_commune: np.ndarray
    nir_order: np.ndarray
    street_number: np.ndarray
    street: np.ndarray
    commune: np.ndarray
    phone: np.ndarray
    has_gp: np.ndarray  # 0 no, 1 yes
    offsets: np.ndarray  # first person of each association, plus the total at the end
    departments: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.home)


def build_population(
    seed: int, associations: tuple[Association, ...], sizes: list[int], reference: date
) -> Population:
    """People living in each association's area, `sizes[i]` of them for association i."""
    rng = np.random.default_rng([seed, 7_919])
    n = int(sum(sizes))
    home = np.repeat(np.arange(len(associations), dtype=np.int16), sizes)
    sex = rng.integers(0, 2, n, dtype=np.int8)
    band = rng.choice(len(_AGE_BANDS), n, p=_AGE_SHARES)
    low = np.array([b[0] for b in _AGE_BANDS])[band]
    high = np.array([b[1] for b in _AGE_BANDS])[band]
    age_days = ((low + rng.random(n) * (high - low)) * 365.25).astype(np.int32)
    birth = reference.toordinal() - age_days
    n_surnames = len(surnames())
    # A few surnames are very common, most are rare: a Zipf-like draw.
    surname = np.minimum((rng.pareto(1.1, n) * 40).astype(np.int32), n_surnames - 1)
    married = (sex == 1) & (age_days > 25 * 365) & (rng.random(n) < 0.45)
    used_name = np.where(married, rng.integers(0, n_surnames, n), -1).astype(np.int32)
    first_name = rng.integers(0, len(first_names("M")), n, dtype=np.int16)
    departments = tuple(sorted({a.department for a in associations}))
    dept_of_home = np.array([departments.index(a.department) for a in associations])[home]
    born_elsewhere = rng.random(n) < 0.35
    birth_department = np.where(
        born_elsewhere, rng.integers(0, len(departments), n), dept_of_home
    ).astype(np.int16)
    birth_department[rng.random(n) < 0.07] = -1
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return Population(
        home=home,
        sex=sex,
        birth=birth,
        surname=surname,
        used_name=used_name,
        first_name=first_name,
        nir_holder=rng.random(n) > 0.04,
        nir_temporary=rng.random(n) < 0.01,
        birth_department=birth_department,
        nir_commune=rng.integers(1, 990, n, dtype=np.int16),
        nir_order=rng.integers(1, 999, n, dtype=np.int16),
        street_number=rng.integers(1, 150, n, dtype=np.int16),
        street=rng.integers(0, len(STREETS), n, dtype=np.int8),
        commune=rng.integers(1, 99, n, dtype=np.int16),
        phone=rng.integers(600_000_000, 799_999_999, n, dtype=np.int64),
        has_gp=(rng.random(n) < 0.86).astype(np.int8),
        offsets=offsets,
        departments=departments,
    )


@cache
def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Person:
    """One person's attributes as plain Python values (numpy scalars are slow one by one)."""

    index: int
    home: int
    sex: str
    birth: int
    surname: int
    used_name: int
    first_name: int
    nir: str | None
    street_number: int
    street: int
    commune: int
    phone: int
    has_gp: bool


_ATTRIBUTES = (
    "home",
    "sex",
    "birth",
    "surname",
    "used_name",
    "first_name",
    "nir_holder",
    "nir_temporary",
    "birth_department",
    "nir_commune",
    "nir_order",
    "street_number",
    "street",
    "commune",
    "phone",
    "has_gp",
)


def people(population: Population, indices: np.ndarray) -> dict[int, Person]:
    """The persons at `indices`, gathered column by column (vectorised), keyed by index."""
    unique = np.unique(indices)
    columns = [getattr(population, name)[unique].tolist() for name in _ATTRIBUTES]
    found = {}
    for index, (
        home,
        sex,
        birth,
        surname,
        used,
        first,
        holder,
        temporary,
        birth_dept,
        commune_nir,
        order,
        number,
        street,
        commune,
        phone,
        has_gp,
    ) in zip(unique.tolist(), zip(*columns, strict=True), strict=True):
        nir = (
            _nir(population.departments, sex, birth, temporary, birth_dept, commune_nir, order)
            if holder
            else None
        )
        found[index] = Person(
            index,
            home,
            "F" if sex else "M",
            birth,
            surname,
            used,
            first,
            nir,
            number,
            street,
            commune,
            phone,
            bool(has_gp),
        )
    return found


def _nir(
    departments: tuple[str, ...],
    sex: int,
    birth: int,
    temporary: bool,
    birth_dept: int,
    commune: int,
    order: int,
) -> str:
    born = date.fromordinal(birth)
    sex_digit = (8 if sex else 7) if temporary else sex + 1
    if birth_dept < 0:
        place = f"99{commune % 1000:03d}"
    else:
        dept = departments[birth_dept]
        place = f"{dept}{commune % 100:02d}" if len(dept) == 3 else f"{dept}{commune:03d}"
    body = f"{sex_digit}{born.year % 100:02d}{born.month:02d}{place}{order:03d}"
    return body + f"{nir_key(body):02d}"


def postcode_and_commune(department: str, commune: int) -> tuple[str, str]:
    """A plausible postcode and INSEE commune code in `department`."""
    if department == "75":
        return f"750{commune % 20 + 1:02d}", f"751{commune % 20 + 1:02d}"
    if department in ("2A", "2B"):
        prefix = "200" if department == "2A" else "202"
        return f"{prefix}{commune % 100:02d}", f"{department}{commune:03d}"
    if len(department) == 3:
        return f"{department}{commune % 100:02d}", f"{department}{commune % 100:02d}"
    return f"{department}{(commune % 10) * 100:03d}", f"{department}{commune:03d}"


@dataclass(frozen=True, slots=True)
class RenderedIdentity:
    nir: str | None
    birth_name: str
    used_name: str | None
    first_name: str
    birth_date: date
    sex: str
    address: str
    postcode: str
    commune_code: str
    phone: str
    has_gp: str


IDENTITY_DRAWS = 8  # uniform draws one rendering consumes


def render_identity(person: Person, department: str, draws: list[float]) -> RenderedIdentity:
    """How one record shows `person` (living in `department`), with the variations of real
    records; `draws` are IDENTITY_DRAWS uniform numbers, so the caller controls the stream."""
    birth_name = surnames()[person.surname]
    used_name = surnames()[person.used_name] if person.used_name >= 0 else None
    names = first_names(person.sex)
    first = names[person.first_name % len(names)]
    if used_name and draws[0] < 0.02:  # the call taker put the used name as birth name
        birth_name, used_name = used_name, None
    if draws[1] < 0.3:
        birth_name = birth_name.upper()
    if draws[2] < 0.2:
        birth_name, first = _strip_accents(birth_name), _strip_accents(first)
    if draws[3] < 0.01 and len(first) > 4:  # a typo in the first name
        cut = 1 + int(draws[4] * (len(first) - 2))
        first = first[:cut] + first[cut + 1 :]
    phone = f"0{person.phone}"
    if draws[6] < 0.5:
        phone = " ".join([phone[:2], phone[2:4], phone[4:6], phone[6:8], phone[8:]])
    postcode, commune_code = postcode_and_commune(department, person.commune)
    has_gp = "yes" if person.has_gp else "unknown" if draws[7] < 0.2 else "no"
    return RenderedIdentity(
        nir=person.nir if draws[5] < 0.55 else None,
        birth_name=birth_name,
        used_name=used_name,
        first_name=first,
        birth_date=date.fromordinal(person.birth),
        sex=person.sex,
        address=f"{person.street_number} {STREETS[person.street]}",
        postcode=postcode,
        commune_code=commune_code,
        phone=phone,
        has_gp=has_gp,
    )
