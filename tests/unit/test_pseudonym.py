from datetime import date

from contact_platform.privacy.nir import nir_key
from contact_platform.privacy.pseudonym import (
    PSEUDONYM_HEX_LENGTH,
    normalise_name,
    person_pseudonym,
)

KEY = b"k" * 32
BODY = "1850578006084"
NIR = f"{BODY}{nir_key(BODY):02d}"


def _pseudonym(key=KEY, **overrides):
    traits = dict(
        nir=NIR, birth_name="Dupré", first_name="Jean", birth_date=date(1985, 5, 1), sex="M"
    )
    traits.update(overrides)
    return person_pseudonym(key, **traits)


def test_a_valid_nir_identifies_the_person_whatever_the_names():
    assert _pseudonym() == _pseudonym(birth_name="DUPRE", first_name="J.")


def test_without_nir_normalised_traits_identify_the_person():
    a = _pseudonym(nir=None, birth_name="Le Bœuf-Dupré", first_name="Jean-Émile")
    b = _pseudonym(nir=None, birth_name="LEBOEUF DUPRE", first_name="jean emile")
    assert a == b
    assert a != _pseudonym(
        nir=None, birth_name="Le Bœuf-Dupré", first_name="Jean-Émile", birth_date=date(1985, 5, 2)
    )


def test_an_invalid_nir_falls_back_to_traits():
    wrong = NIR[:-2] + f"{(int(NIR[-2:]) % 97) + 1:02d}"
    assert _pseudonym(nir=wrong) == _pseudonym(nir=None)


def test_the_pseudonym_depends_on_the_secret_and_hides_the_nir():
    pseudonym = _pseudonym()
    assert pseudonym != _pseudonym(key=b"x" * 32)
    assert len(pseudonym) == PSEUDONYM_HEX_LENGTH
    assert NIR not in pseudonym and BODY[:7] not in pseudonym


def test_normalise_name_folds_case_accents_and_separators():
    assert normalise_name("N'Diaye") == "NDIAYE"
    assert normalise_name("Saint-Martin ") == normalise_name("saint martin")
    assert normalise_name("Müller") == "MULLER"
