from datetime import date

import pytest

from contact_platform.privacy.scrub import KnownIdentity, scrub_text

IDENTITY = KnownIdentity(names=("Lefèvre", "Hélène"), birth_date=date(1950, 3, 7))


@pytest.mark.parametrize(
    ("text", "identifier", "placeholder"),
    [
        ("Appel de Mme LEFEVRE pour fièvre", "LEFEVRE", "[NOM]"),
        ("helene a chuté", "helene", "[NOM]"),
        ("rappeler au 06 12 34 56 78 svp", "06 12 34 56 78", "[TEL]"),
        ("rappeler au +33 6 12 34 56 78", "6 12 34 56 78", "[TEL]"),
        ("NIR 2 50 03 75 123 456 12 donné", "123 456", "[NIR]"),
        ("mail helene.l@exemple.fr", "exemple.fr", "[EMAIL]"),
        ("née le 07/03/1950, douleur", "07/03/1950", "[DATE]"),
        ("née le 7.3.50", "7.3.50", "[DATE]"),
        ("12 bis rue des Lilas, digicode", "rue des Lilas", "[ADRESSE]"),
        ("habite 75011 Paris", "75011", "[CP]"),
    ],
)
def test_identifiers_are_replaced(text, identifier, placeholder):
    scrubbed = scrub_text(text, IDENTITY)
    assert identifier not in scrubbed
    assert placeholder in scrubbed


def test_clinical_content_is_kept():
    text = "fièvre 39,5 depuis 2 jours, toux, SpO2 94 %, douleur thoracique"
    assert scrub_text(text, IDENTITY) == text


def test_names_inside_other_words_are_kept():
    identity = KnownIdentity(names=("Marie",))
    assert scrub_text("Mariette a mal", identity) == "Mariette a mal"


def test_empty_text_stays_empty():
    assert scrub_text(None, IDENTITY) is None
    assert scrub_text("", IDENTITY) == ""


def test_composed_names_and_particles():
    identity = KnownIdentity(names=("De La Tour", "Jean-Pierre"))
    scrubbed = scrub_text("appel de M. DE LA TOUR, jean pierre a chuté de la chaise", identity)
    assert scrubbed == "appel de M. [NOM], [NOM] a chuté de la chaise"


def test_the_record_address_is_found_whatever_the_case():
    identity = KnownIdentity(address="12 rue des Lilas")
    assert (
        scrub_text("adresse 12 RUE DES LILAS, digicode", identity) == "adresse [ADRESSE], digicode"
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Accented text, name delivered without accents, and the other way round.
        ("fièvre, Mme Lefèvre rappellera", ("LEFEVRE",)),
        ("fievre, Mme Lefevre rappellera", ("Lefèvre",)),
        ("Çağlar a chuté, hématome", ("CAGLAR",)),
        ("vomissements, Mr Bœuf très fatigué", ("Boeuf",)),
    ],
)
def test_names_are_found_whatever_the_accents_of_text_and_record(text, names):
    scrubbed = scrub_text(text, KnownIdentity(names=names))
    assert scrubbed.count("[NOM]") == 1
    assert scrubbed.endswith(text.split()[-1])  # the clinical words stay


def test_the_record_birth_date_is_found_even_glued_to_a_word():
    # The generic date shape needs a word boundary; the known birth date does not.
    identity = KnownIdentity(birth_date=date(1987, 11, 4))
    assert scrub_text("ddn04-11-1987 selon sa mère", identity) == "ddn[DATE] selon sa mère"
    assert scrub_text("rappel dans 11 jours", identity) == "rappel dans 11 jours"
