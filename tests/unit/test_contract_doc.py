from contact_platform.contract import ENTITIES
from contact_platform.contract.document import refresh, render_tables
from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.settings import REPO_DIR
from contact_platform.synthetic.clinical import CASES, CHRONIC_CODES

DOC = REPO_DIR / "docs" / "extract-contract.md"


def test_the_documented_tables_are_the_contract():
    text = DOC.read_text(encoding="utf-8")
    assert refresh(text) == text, "stale: run `contact contract doc --write`"
    for entity in ENTITIES.values():
        assert f"### `{entity.name}`" in render_tables()
        for column in entity.columns:
            assert f"| `{column.name}` |" in text


def test_the_generator_only_emits_known_icpc2_codes():
    emitted = {code for case in CASES for code in (case.reason_code, case.diagnosis)}
    assert emitted | set(CHRONIC_CODES) <= set(icpc2_codes())
