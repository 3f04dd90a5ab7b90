"""The Persian edition is kept in step with the English (issue 20): every
message of locales/fa is translated and none is fuzzy, and every
translation holds exactly the formulas and cross-references of its
original. A changed English sentence comes back from `make translations`
untranslated, so this fails until it is translated again."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
CATALOGUES = sorted(ROOT.glob("locales/fa/LC_MESSAGES/**/*.po"))
INLINE_MATHS = re.compile(r"\$[^$]+\$")
# {name}`target` or {name}`title <target>`: the title may be translated
ROLE = re.compile(r"\{([\w:-]+)\}`(?:[^`<]*<)?([^`<>]+)>?`")
CODE = re.compile(r"`[^`]*`")
PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


def kept_spans(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    return sorted(INLINE_MATHS.findall(text)), sorted(ROLE.findall(text))


def english_words(text: str) -> list[str]:
    prose = CODE.sub(" ", INLINE_MATHS.sub(" ", text))
    return re.findall(r"[A-Za-z]{2,}", prose)


def test_every_page_has_a_catalogue():
    pages = {
        p.relative_to(ROOT / "locales/fa/LC_MESSAGES") for p in CATALOGUES
    }
    sources = {
        Path(p.relative_to(ROOT)).with_suffix(".po")
        for pattern in ("*.md", "chapters/*.ipynb")
        for p in ROOT.glob(pattern)
        if p.name != "README.md"
    }
    assert sources <= pages, f"pages with no catalogue: {sources - pages}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.stem)
def test_translated_and_in_step(catalogue):
    messages = [m for m in read_po(catalogue.open("rb")) if m.id]
    assert messages, f"{catalogue} holds no message"
    untranslated = [m.id[:70] for m in messages if not m.string]
    fuzzy = [m.id[:70] for m in messages if m.fuzzy]
    drifted = [
        m.id[:70]
        for m in messages
        if m.string and kept_spans(m.string) != kept_spans(m.id)
    ]
    # left in English: no Persian letter where the original has words
    copied = [
        m.id[:70]
        for m in messages
        if m.string
        and not PERSIAN_LETTER.search(m.string)
        and len(english_words(m.id)) >= 2
    ]
    assert untranslated == [], (
        "untranslated (make translations, then translate)"
    )
    assert fuzzy == [], "fuzzy: check the translation, then drop the flag"
    assert drifted == [], "formulas or roles differ from the original"
    assert copied == [], "left in English"


def test_kept_spans_sees_a_changed_formula_and_a_changed_target():
    original = "so $x^2$ by {eq}`eq-a` and {ref}`4.g <sol-4g>`"
    assert kept_spans(original) == kept_spans(
        "پس $x^2$ با {eq}`eq-a` و {ref}`۴.g <sol-4g>`"
    )
    assert kept_spans(original) != kept_spans(
        "پس $x^3$ با {eq}`eq-a` و {ref}`4.g <sol-4g>`"
    )
    assert kept_spans(original) != kept_spans(
        "پس $x^2$ با {eq}`eq-b` و {ref}`4.g <sol-4g>`"
    )
