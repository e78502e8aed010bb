"""The leak guard finds identifiers planted in analyst-visible tables, and only those."""

import psycopg
import pytest

from contact_platform.privacy.nir import nir_key
from contact_platform.quality.leak_guard import scan

BODY = "2690475123456"
VALID_NIR = f"{BODY}{nir_key(BODY):02d}"
WRONG_KEY_NIR = f"{BODY}{(nir_key(BODY) % 97) + 1:02d}"


@pytest.fixture
def marts(empty_warehouse: str) -> str:
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute("CREATE SCHEMA marts")
        conn.execute("CREATE TABLE marts.report (label text, note varchar(200), n integer)")
        conn.execute(
            "INSERT INTO marts.report VALUES ('R80', 'fièvre 39,5 depuis 2 jours', 12),"
            " ('R74', 'code 123456789012345', 40)"
        )
    return empty_warehouse


def test_clean_tables_pass(marts):
    assert scan(marts) == []


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        (f"patient {VALID_NIR}", "NIR with a valid key"),
        (f"patient {VALID_NIR[:7]}2A{VALID_NIR[9:]}", None),  # a Corsican NIR, key recomputed
        ("rappeler au 06 12 34 56 78", "phone"),
        ("écrire à jean.dupont@exemple.fr", "email"),
    ],
)
def test_a_planted_identifier_is_found_without_showing_it(marts, planted, kind):
    if kind is None:
        body = BODY[:5] + "2A" + BODY[7:]
        planted, kind = f"patient {body}{nir_key(body):02d}", "NIR with a valid key"
    with psycopg.connect(marts) as conn:
        conn.execute("UPDATE marts.report SET note = %s WHERE label = 'R74'", (planted,))
    [finding] = scan(marts)
    assert (finding.table, finding.column, finding.kind, finding.rows) == (
        "marts.report",
        "note",
        kind,
        1,
    )
    assert planted.split()[-1] not in finding.describe()


def test_a_nir_with_a_wrong_key_is_not_a_leak(marts):
    with psycopg.connect(marts) as conn:
        conn.execute("UPDATE marts.report SET note = %s", (WRONG_KEY_NIR,))
    assert scan(marts) == []


def test_a_patient_surname_from_the_archive_is_found(marts, tmp_path):
    from contact_platform.quality.leak_guard import restricted_names
    from contact_platform.synthetic.generator import GeneratorSpec, generate

    generate(GeneratorSpec(days=1, scale=0.05, associations=("paris",)), tmp_path, workers=1)
    names = restricted_names(tmp_path)
    assert len(names) > 20
    assert "PETIT" not in names and all(len(n) >= 4 for n in names)
    surname = sorted(names)[0]
    assert scan(marts, names=names) == [], "clinical words are not names"
    with psycopg.connect(marts) as conn:
        conn.execute(
            "UPDATE marts.report SET note = %s WHERE label = 'R74'",
            (f"rappel de Mme {surname.title()} demain",),
        )
    [finding] = scan(marts, names=names)
    assert (finding.column, finding.kind, finding.rows) == ("note", "patient surname", 1)
    assert surname not in finding.describe().upper()


def test_association_names_are_public_not_patient_names(tmp_path):
    from contact_platform.quality.leak_guard import restricted_names
    from contact_platform.synthetic.generator import GeneratorSpec, generate

    generate(
        GeneratorSpec(days=3, scale=0.2, associations=("seine-saint-denis", "paris")),
        tmp_path,
        workers=1,
    )
    names = restricted_names(tmp_path)
    assert not names & {"SAINT", "DENIS", "PARIS", "SEINE"}
