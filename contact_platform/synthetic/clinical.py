"""The clinical content of synthetic encounters: a case mix that follows the seasons and ages,
with the reasons, ICPC-2 codes, vital signs, prescriptions and orientations each case brings.
Illustrative figures, not epidemiology."""

from __future__ import annotations

from dataclasses import dataclass

AGE_BANDS = ("<2", "2-14", "15-74", "75+")


@dataclass(frozen=True)
class Case:
    name: str
    driver: str  # seasonal driver of calendar.epidemic_intensity
    base: float  # weight outside the season
    seasonal: float  # extra weight at the peak of the season
    age_weights: tuple[float, float, float, float]
    reason_code: str  # ICPC-2 reason for encounter (symptom)
    diagnosis: str  # ICPC-2 diagnosis
    texts: tuple[str, ...]
    temperature: tuple[float, float] = (36.9, 0.4)
    spo2: tuple[float, float] = (97.5, 1.2)
    drugs: tuple[str, ...] = ("paracetamol",)
    emergency_share: float = 0.03  # calls redirected to the emergency number
    hospitalisation: float = 0.01


CASES: tuple[Case, ...] = (
    Case(
        "influenza",
        "influenza",
        0.5,
        14,
        (0.3, 1, 1, 0.8),
        "A03",
        "R80",
        (
            "fièvre {temp}, courbatures, toux depuis {days} jours",
            "syndrome grippal, {temp} ce soir",
            "grippe ? fièvre et frissons",
        ),
        (39.1, 0.6),
        (96.5, 1.5),
        ("paracetamol", "oseltamivir"),
    ),
    Case(
        "upper_respiratory",
        "influenza",
        10,
        6,
        (0.8, 1, 1, 0.5),
        "R05",
        "R74",
        ("toux et nez qui coule, fièvre {temp}", "rhume, mal de gorge", "rhinopharyngite"),
        (38.2, 0.6),
        drugs=("paracetamol",),
    ),
    Case(
        "bronchiolitis",
        "bronchiolitis",
        0.3,
        12,
        (1, 0, 0, 0),
        "R02",
        "R78",
        (
            "bébé gêné pour respirer, tousse",
            "bronchiolite ? nourrisson qui siffle",
            "bébé de {months} mois, respire vite, boit moins",
        ),
        (38.0, 0.6),
        (94.5, 2.5),
        ("serum_physiologique", "paracetamol"),
        0.06,
        0.08,
    ),
    Case(
        "acute_bronchitis",
        "influenza",
        3,
        4,
        (0.1, 0.6, 1, 1),
        "R05",
        "R78",
        ("toux grasse depuis {days} jours", "toux, gêne respiratoire"),
        (37.8, 0.6),
        (96, 1.5),
        ("paracetamol",),
    ),
    Case(
        "gastroenteritis",
        "gastro",
        3,
        14,
        (0.8, 1, 1, 0.6),
        "D11",
        "D73",
        (
            "vomissements et diarrhées depuis cette nuit",
            "gastro, ne garde rien",
            "diarrhées, douleurs au ventre",
        ),
        (37.9, 0.6),
        drugs=("racecadotril", "sro"),
    ),
    Case(
        "child_fever",
        "none",
        6,
        2,
        (1, 1, 0.02, 0.02),
        "A03",
        "A03",
        ("fièvre {temp} chez l'enfant, pas d'autre signe", "enfant fébrile depuis hier"),
        (39.0, 0.5),
        drugs=("paracetamol", "ibuprofen"),
    ),
    Case(
        "otitis",
        "influenza",
        4,
        3,
        (0.6, 1, 0.15, 0.05),
        "H01",
        "H71",
        ("douleur oreille, pleure beaucoup", "otite ? mal à l'oreille"),
        (38.4, 0.6),
        drugs=("amoxicillin", "paracetamol"),
    ),
    Case(
        "tonsillitis",
        "influenza",
        4,
        2,
        (0.05, 1, 0.8, 0.1),
        "R21",
        "R76",
        ("mal de gorge intense, fièvre {temp}", "angine ?"),
        (38.6, 0.6),
        drugs=("amoxicillin", "paracetamol"),
    ),
    Case(
        "low_back_pain",
        "none",
        6,
        0,
        (0, 0.02, 1, 0.6),
        "L03",
        "L03",
        ("douleur lombaire bloquée depuis ce matin", "lumbago, ne peut plus se lever"),
        drugs=("ibuprofen", "thiocolchicoside"),
    ),
    Case(
        "cystitis",
        "heat",
        4,
        2,
        (0, 0.1, 1, 0.8),
        "U01",
        "U71",
        ("brûlures urinaires", "envies fréquentes d'uriner, brûlures"),
        (37.2, 0.5),
        drugs=("fosfomycin",),
    ),
    Case(
        "migraine",
        "none",
        3,
        0,
        (0, 0.3, 1, 0.3),
        "N01",
        "N89",
        ("maux de tête intenses", "migraine qui ne passe pas"),
        drugs=("ibuprofen",),
    ),
    Case(
        "hypertension",
        "none",
        2,
        0,
        (0, 0, 0.7, 1),
        "K85",
        "K86",
        ("tension élevée au contrôle à domicile", "tension à 18"),
        drugs=("amlodipine",),
        emergency_share=0.05,
    ),
    Case(
        "asthma",
        "none",
        2,
        1,
        (0.05, 1, 1, 0.4),
        "R03",
        "R96",
        ("crise d'asthme, ventoline sans effet", "siffle, essoufflé"),
        spo2=(94, 2.5),
        drugs=("salbutamol", "prednisolone"),
        emergency_share=0.06,
        hospitalisation=0.03,
    ),
    Case(
        "chest_pain",
        "none",
        1.5,
        0,
        (0, 0.05, 1, 1),
        "A11",
        "A11",
        ("douleur thoracique", "douleur dans la poitrine, oppression"),
        drugs=(),
        emergency_share=0.45,
        hospitalisation=0.2,
    ),
    Case(
        "abdominal_pain",
        "none",
        3,
        0,
        (0.1, 1, 1, 0.8),
        "D01",
        "D01",
        ("douleurs abdominales", "mal au ventre depuis hier soir"),
        drugs=("phloroglucinol",),
        hospitalisation=0.04,
    ),
    Case(
        "anxiety",
        "none",
        2,
        0,
        (0, 0.1, 1, 0.4),
        "P01",
        "P74",
        ("angoisse, oppression", "crise d'angoisse"),
        drugs=("hydroxyzine",),
    ),
    Case(
        "heat_effects",
        "heat",
        0.1,
        8,
        (0.3, 0.3, 0.5, 2),
        "T11",
        "A88",
        ("coup de chaleur, très fatigué", "déshydratation avec la canicule"),
        (38.0, 0.8),
        drugs=("sro",),
        hospitalisation=0.06,
    ),
    Case(
        "laceration",
        "heat",
        2,
        1,
        (0.1, 1, 1, 0.6),
        "S18",
        "S18",
        ("coupure à la main, saigne", "chute, plaie au front"),
        drugs=(),
        hospitalisation=0.02,
    ),
    Case(
        "conjunctivitis",
        "none",
        1.5,
        0,
        (0.5, 1, 1, 0.5),
        "F02",
        "F70",
        ("œil rouge qui colle",),
        drugs=("collyre_rifamycine",),
    ),
    Case(
        "pneumonia",
        "influenza",
        0.5,
        2,
        (0.1, 0.3, 0.6, 2),
        "R02",
        "R81",
        ("fièvre {temp} et essoufflement", "toux, fièvre, respire mal"),
        (38.9, 0.6),
        (92, 3),
        ("amoxicillin_clavulanate",),
        0.1,
        0.25,
    ),
    Case(
        "covid",
        "covid",
        0.5,
        3,
        (0.2, 0.5, 1, 1),
        "A03",
        "A77",
        ("covid positif, fièvre {temp}", "test covid positif, toux"),
        (38.3, 0.6),
        (95.5, 2),
        ("paracetamol",),
    ),
    Case(
        "end_of_life",
        "none",
        0.15,
        0,
        (0, 0, 0.05, 1),
        "A04",
        "A96",
        ("patient très altéré, ne répond plus", "décès à domicile ?"),
        drugs=(),
        hospitalisation=0.0,
    ),
)

CHRONIC_CODES = ("K86", "T90", "R95", "K77", "K78")


@dataclass(frozen=True)
class Drug:
    cip13: str
    label: str
    atc: str | None
    duration_days: int


# CIP13 codes here are synthetic: 3400 + 9 digits, shaped like real ones, matching no product.
DRUGS: dict[str, Drug] = {
    "paracetamol": Drug("3400930000011", "PARACETAMOL 1000MG CPR", "N02BE01", 5),
    "ibuprofen": Drug("3400930000028", "IBUPROFENE 400MG CPR", "M01AE01", 5),
    "amoxicillin": Drug("3400930000035", "AMOXICILLINE 1G CPR", "J01CA04", 6),
    "amoxicillin_clavulanate": Drug("3400930000042", "AMOXICILLINE/AC CLAV 1G CPR", "J01CR02", 7),
    "oseltamivir": Drug("3400930000059", "OSELTAMIVIR 75MG GELULE", "J05AH02", 5),
    "racecadotril": Drug("3400930000066", "RACECADOTRIL 100MG GELULE", "A07XA04", 3),
    "sro": Drug("3400930000073", "SOLUTE REHYDRATATION ORALE", None, 3),
    "serum_physiologique": Drug("3400930000080", "SERUM PHYSIOLOGIQUE UNIDOSES", None, 7),
    "thiocolchicoside": Drug("3400930000097", "THIOCOLCHICOSIDE 4MG CPR", "M03BX05", 5),
    "fosfomycin": Drug("3400930000103", "FOSFOMYCINE 3G SACHET", "J01XX01", 1),
    "amlodipine": Drug("3400930000110", "AMLODIPINE 5MG GELULE", "C08CA01", 30),
    "salbutamol": Drug("3400930000127", "SALBUTAMOL 100UG INHAL", "R03AC02", 10),
    "prednisolone": Drug("3400930000134", "PREDNISOLONE 20MG CPR ORODISP", "H02AB06", 5),
    "phloroglucinol": Drug("3400930000141", "PHLOROGLUCINOL 80MG LYOC", "A03AX12", 3),
    "hydroxyzine": Drug("3400930000158", "HYDROXYZINE 25MG CPR", "N05BB01", 7),
    "collyre_rifamycine": Drug("3400930000165", "RIFAMYCINE COLLYRE", "S01AA16", 7),
}
