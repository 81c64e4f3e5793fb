import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.normalize import clean, fold, html_to_text, is_empty_note, mask, redact


@pytest.mark.parametrize(
    "text, placeholder",
    [
        ("mail an j.kunz@acme-gmbh.de", "xxemail"),
        ("Tel. +49 171 2345678", "xxphone"),
        ("ruft 030 1234567 an", "xxphone"),
        ("see https://acme.com/pricing", "xxurl"),
        ("Budget 20.000 EUR", "xxmoney"),
        ("max $50k", "xxmoney"),
        ("können nur 5k", "xxmoney"),
        ("am 12.03.2026 gesprochen", "xxdate"),
        ("call on 2026-03-12", "xxdate"),
        ("Vertrag bis 03/2027", "xxdate"),
        ("call back in Q3", "xxquarter"),
        ("erst im 2. Quartal", "xxquarter"),
        ("nächstes FY27", "xxfyear"),
        ("Thema erst 2027", "xxyear"),
        ("in KW12 melden", "xxweek"),
        ("spoke on 12/03", "xxdate"),
        ("call 3/14", "xxdate"),
    ],
)
def test_mask_replaces_personal_and_time_details(text, placeholder):
    masked = mask(clean(text))
    assert placeholder in masked.split()
    assert not any(ch.isdigit() for ch in masked.replace(placeholder, ""))


@pytest.mark.parametrize(
    "text, masked",
    [
        ("Verweis auf Hr. Dr. Schuler (techn. GF)", "Verweis auf xxperson (techn. GF)"),
        ("Frau Yilmaz ist erst ab KW14 da", "xxperson ist erst ab xxweek da"),
        ("FD is Mr Clarke - will need him", "FD is xxperson - will need him"),
        ("Mr J. O'Brien said no", "xxperson said no"),
        ("Herrn Müller-Lüdenscheidt fragen", "xxperson fragen"),
        ("muss meine Frau Fragen", "muss meine Frau Fragen"),
        ("der Herr Maier entscheidet", "der xxperson entscheidet"),
        ("Frau Geschäftsführerin entscheidet", "Frau Geschäftsführerin entscheidet"),
        ("HR Manager only", "HR Manager only"),
        ("need 24/7 support", "need xxnum / xxnum support"),
    ],
)
def test_mask_replaces_titled_names_not_roles_or_spouses(text, masked):
    assert mask(clean(text)) == masked


def test_mask_keeps_the_words_around_placeholders():
    assert mask("kein Budget bis Q3, mail jk@x.de") == "kein Budget bis xxquarter , mail xxemail"


@pytest.mark.parametrize(
    "raw, text",
    [
        ("<p>kein Budget</p>", "kein Budget"),
        ("kein&nbsp;Bedarf", "kein Bedarf"),
        ("&lt;p&gt;no budget&lt;/p&gt;", "no budget"),
        ("line one<br>line two", "line one\nline two"),
        ("Q3 &amp; Q4", "Q3 & Q4"),
        ("budget < 5k and > 1k", "budget < 5k and > 1k"),
    ],
)
def test_html_to_text_unescapes_and_strips_tags(raw, text):
    assert html_to_text(raw) == text


def test_fold_makes_umlaut_spellings_meet():
    assert fold("Entscheidungsträger".lower()) == "entscheidungstraeger"
    assert fold("Gröẞe Straße") == fold("Gröẞe Strasse")


@pytest.mark.parametrize("note", ["", " ", "-", "--", ".", "?", "n/a", "N/A", "NA", "None", "null", "<p></p>", "&nbsp;"])
def test_is_empty_note_true_for_placeholders(note):
    assert is_empty_note(note)


@pytest.mark.parametrize("note", ["siehe Telefonat", "rejected", "kein Budget", "NI", "?? kein Bedarf"])
def test_is_empty_note_false_for_words(note):
    assert not is_empty_note(note)


@given(st.text())
def test_clean_and_mask_never_raise(text):
    assert isinstance(mask(clean(text)), str)


@pytest.mark.parametrize(
    "note, kept",
    [
        ("Rückruf unter +49 171 2345678 erbeten", "Rückruf unter"),
        ("call 0049 89 1234567 after Q3", "after Q3"),
        ("ruft 030 1234567 an, kein Budget", "kein Budget"),
        ("Tel. 0171/2345678, kein Budget", "kein Budget"),
        ("mobile 0171-2345678, no budget", "no budget"),
    ],
)
def test_redact_masks_every_phone_number_form(note, kept):
    # reports quote notes: international and national numbers alike must not appear in them
    redacted = redact(note)
    assert "[phone]" in redacted and kept in redacted
    assert not any(run in redacted for run in ("2345678", "1234567"))


_PIECES = ["q3", "Q 3", "h1", "H2", "kw 12", "KW12", "cw5", "wk 7", "fy'26", "FY 27", "gj2026", "2.", "Quartal", "12.03.",
           "2026-03-12", "03/2027", "+49 171", "0171 234567", "5k", "€ 5", "20.000 EUR", "$50k", "www.", "HTTP://", "@", "a@b.de",
           "2027", "#4821", " ", "  ", "\t", "\u00a0", "\u2009", "x", "y", "k", "Q", "ä", "'", "-", ".", ",", "\u212a", "7"]
_TRICKY = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.text(alphabet="0123456789 .,/-'+€$£@:qQhHkKwWyYjJcCfFgGtTpPsS\tabxz\u00a0\u2009KäÜ#()", max_size=40),
)


def _mask_unguarded(text: str) -> str:
    """mask without its shortcuts: both placeholder passes on every text."""
    from classifier import normalize

    text = normalize._ADDRESSES.sub(normalize._placeholder, text)
    return " ".join(normalize._NUMBERS.sub(normalize._placeholder, text).split())


@settings(max_examples=500)
@given(_TRICKY)
def test_mask_shortcuts_change_nothing(text):
    assert mask(text) == _mask_unguarded(text)
    assert mask(clean(text)) == _mask_unguarded(clean(text))


@given(_TRICKY)
def test_clean_collapses_every_run_of_spaces(text):
    from classifier import normalize

    expected = normalize._SPACES.sub(" ", unicodedata.normalize("NFKC", html_to_text(text)).replace("\r", "\n")).strip()
    assert clean(text) == expected
