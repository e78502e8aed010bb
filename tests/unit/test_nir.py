from contact_platform.privacy.nir import is_valid_nir, nir_key, normalise_nir


def test_key_is_97_minus_the_number_modulo_97():
    body = "1850578006084"
    assert nir_key(body) == 97 - int(body) % 97


def test_valid_nir_with_spaces_is_accepted():
    body = "2690499350123"
    nir = f"{body}{nir_key(body):02d}"
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    assert is_valid_nir(spaced)
    assert normalise_nir(spaced) == nir


def test_wrong_key_is_refused():
    body = "1850578006084"
    wrong = (nir_key(body) % 97) + 1
    assert not is_valid_nir(f"{body}{wrong:02d}")


def test_corsican_departments_use_19_and_18_in_the_key():
    body_2a, body_2b = "185052A006084", "185052B006084"
    assert nir_key(body_2a) == 97 - int("1850519006084") % 97
    assert nir_key(body_2b) == 97 - int("1850518006084") % 97
    assert is_valid_nir(f"{body_2a}{nir_key(body_2a):02d}")
    assert is_valid_nir(f"{body_2b.lower()}{nir_key(body_2b):02d}")


def test_temporary_numbers_7_and_8_are_valid_but_3_is_not():
    for sex in "78":
        body = f"{sex}850578006084"
        assert is_valid_nir(f"{body}{nir_key(body):02d}")
    body = "3850578006084"
    assert not is_valid_nir(f"{body}{nir_key(body):02d}")


def test_malformed_values_are_refused():
    for text in ("", "123", "18505780060841234", "1850578OO608412"):
        assert not is_valid_nir(text)
