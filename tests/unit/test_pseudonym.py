from datetime import date

import pytest

from contact_platform.privacy.nir import nir_key
from contact_platform.privacy.pseudonym import (
    PSEUDONYM_HEX_LENGTH,
    fold,
    nir_pseudonym,
    normalise_name,
    traits_pseudonym,
)

KEY = b"k" * 32
BODY = "1850578006084"
NIR = f"{BODY}{nir_key(BODY):02d}"


def _traits(key=KEY, **overrides):
    traits = dict(birth_name="Dupré", first_name="Jean", birth_date=date(1985, 5, 1), sex="M")
    traits.update(overrides)
    return traits_pseudonym(key, **traits)


def test_a_valid_nir_gives_a_key_whatever_its_spacing():
    spaced = f"{NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}"
    assert nir_pseudonym(KEY, NIR) == nir_pseudonym(KEY, spaced)
    assert len(nir_pseudonym(KEY, NIR)) == PSEUDONYM_HEX_LENGTH


def test_no_key_for_a_missing_or_invalid_nir():
    wrong = NIR[:-2] + f"{(int(NIR[-2:]) % 97) + 1:02d}"
    assert nir_pseudonym(KEY, wrong) is None
    assert nir_pseudonym(KEY, None) is None
    assert nir_pseudonym(KEY, "") is None


def test_normalised_traits_give_the_same_key():
    a = _traits(birth_name="Le Bœuf-Dupré", first_name="Jean-Émile")
    b = _traits(birth_name="LEBOEUF DUPRE", first_name="jean emile")
    assert a == b
    assert a != _traits(
        birth_name="Le Bœuf-Dupré", first_name="Jean-Émile", birth_date=date(1985, 5, 2)
    )
    assert a != _traits(birth_name="Le Bœuf-Dupré", first_name="Jean-Émile", sex="F")


def test_keys_depend_on_the_secret_and_hide_their_input():
    assert _traits() != _traits(key=b"x" * 32)
    assert nir_pseudonym(KEY, NIR) != nir_pseudonym(b"x" * 32, NIR)
    assert BODY[:7] not in nir_pseudonym(KEY, NIR)
    assert nir_pseudonym(KEY, NIR) != _traits()


def test_normalise_name_folds_case_accents_and_separators():
    assert normalise_name("N'Diaye") == "NDIAYE"
    assert normalise_name("Saint-Martin ") == normalise_name("saint martin")
    assert normalise_name("Müller") == "MULLER"


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Bœuf-Dupré", "BOEUF-DUPRE"), ("Çağlar", "CAGLAR"), ("Ñúñez", "NUNEZ"), ("Đặng", "ĐANG")],
)
def test_fold_drops_every_accent_and_keeps_letters_without_one(text, folded):
    assert fold(text) == folded
