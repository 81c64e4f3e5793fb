"""Words around the reason that name none are dropped; the reason, and notes that are nothing else, stay."""

import pytest

from classifier.asides import aside_candidates, drop_pictographs, strip_asides, strip_boilerplate, strip_contact, strip_frame
from classifier.lemmas import reading_text
from classifier.normalize import clean, mask


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Reject reason: no budget this year", "no budget this year"),
        ("Lead rejected, reason: no budget this year", "no budget this year"),
        ("Lead rejected - Reason: no budget this year", "no budget this year"),
        ("Ablehnungsgrund des Vertriebs: kein Bedarf", "kein Bedarf"),
        ("Disqualifiziert – Student, kein Unternehmen", "Student, kein Unternehmen"),
        ("Kunde sagt: „wir haben schon einen Anbieter“", "„wir haben schon einen Anbieter“"),
        ("lt. Kunde: erst nach der Messe", "erst nach der Messe"),
        ("xxdate KE - Grund: kein Budget", "xxdate KE - kein Budget"),
        ("Status: customer - existing account", "customer - existing account"),
        ("no budget #reject", "no budget"),
        ("kein Bedarf - Lead abgelehnt", "kein Bedarf"),
        ("went with a competitor (closed lost)", "went with a competitor"),
    ],
)
def test_strip_frame_leaves_only_the_reason(note, reason):
    assert strip_frame(note) == reason


@pytest.mark.parametrize(
    "note",
    ["Lead rejected", "Reason: -", "Grund: ---", "Feedback: none", "Rückmeldung: keine", "Customer - existing account",
     "For now - no", "Not the decision maker: ask the CFO", "lt. GF: kein Budget", "rejected", "Customer lost",
     "Competitor - lost deal"],
)
def test_strip_frame_keeps_notes_that_are_no_frame_or_only_one(note):
    assert strip_frame(note) == note


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Hi team, no budget this year. Thanks, Anna", "no budget this year"),
        ("Sehr geehrte Frau Müller, wir haben keinen Bedarf. Mit freundlichen Grüßen", "wir haben keinen Bedarf"),
        ("Hallo Herr Dr. Maier-Schulz, kein Interesse.", "kein Interesse."),
        ("Business is down. (JK 14.03.)", "Business is down."),
        ("no budget. Thanks, Anna - JK 14.03.", "no budget"),
        ("Hi team,\nno budget.\n-- \nSent from my iPhone", "no budget."),
        ("zu teuer. lg", "zu teuer"),
        ("We will look at it in a month Thanks, best", "We will look at it in a month"),
        ("kein Interesse Danke & Gruß", "kein Interesse"),
    ],
)
def test_strip_boilerplate_leaves_only_the_reason(note, reason):
    assert strip_boilerplate(mask(clean(note))) == reason


@pytest.mark.parametrize(
    "note",
    ["Thanks but no thanks", "Nein danke", "no thx", "Danke", "Cheers!", "nicht DM", "kein Budget - GF", "Decision with HQ (FD)", "Hi. No budget this year, sorry",
     "Best fit is another vendor"],
)
def test_strip_boilerplate_keeps_reasons_and_notes_that_are_only_boilerplate(note):
    assert strip_boilerplate(note) == note


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Spoke to Anna Brandt on 12/03, we use another vendor", "we use another vendor"),
        ("Call with Mr. Keller (14.3.): no budget", "no budget"),
        ("Talked with Tom Fischer yesterday - no need", "no need"),
        ("Telefonat mit Hr. Keller am 14.3.: kein Bedarf", "kein Bedarf"),
        ("Frau Brandt meinte am 12.03., kein Bedarf", "kein Bedarf"),
        ("Mit Hr. Maier gesprochen: kein Budget", "kein Budget"),
        ("Hr. Keller: kein Bedarf", "kein Bedarf"),
        ("According to Mr. Lindqvist, no need", "no need"),
        ("He said that they have no budget", "they have no budget"),
        ("xxdate KE - Spoke to Anna today: no budget", "xxdate KE - no budget"),
    ],
)
def test_who_was_spoken_to_and_when_is_dropped(note, reason):
    assert strip_asides(mask(clean(note))) == reason


@pytest.mark.parametrize(
    "note",
    ["Call back in Q3", "Called twice, no answer", "Telefonat mit Azubi, Chef entscheidet", "Spoke to the CEO, he said no budget",
     "Meeting no-show, danach Funkstille", "Gespräch gut, Bedarf da", "Talked to procurement: tied to a contract", "Spoke to them",
     "Called: none", "Laut GF, kein Bedarf", "Bis 14.3.: kein Budget", "Meeting with Mr. Keller about the budget: frozen",
     "Voicemail 14.3. - no callback", "Kein Kontakt seit 14.3.: Lead tot", "Hr. Keller (IT-Leiter): kein Bedarf", "12.03. LK - kein Budget",
     "Bot-Eintrag, Firma 'xxx' (Hr. Keller) - bitte prüfen", "Nach dem 14.3.: kein Budget", "Vor dem 14.3. - keine Entscheidung",
     "Hr. Keller ist 'im Meeting' - zum fünften Mal"],
)
def test_contacts_that_carry_the_reason_or_are_all_there_is_stay(note):
    masked = mask(clean(note))
    assert strip_contact(masked) == masked


@pytest.mark.parametrize(
    "note, reason",
    [("kein Bedarf - 14.3.2026", "kein Bedarf"), ("no need (call 14.03.)", "no need"), ("no need, as of 11/3", "no need"),
     ("kein Bedarf, Stand 3.11.", "kein Bedarf"), ("zu teuer (tel. 21.05., MB)", "zu teuer"), ("no need -- Mr. Brandt", "no need"),
     ("kein Bedarf / Fr. Sommer, 2.12.", "kein Bedarf")],
)
def test_a_closing_date_or_name_is_dropped(note, reason):
    assert strip_boilerplate(mask(clean(note))) == reason


@pytest.mark.parametrize("note", ["Urlaub - bis 14.3.", "kein Bedarf (bis 14.3.)", "no budget (jk 14.03.)", "14.3.2026", "Mr. Brandt",
                                  "Entscheidet Hr. Maier"])
def test_a_date_that_says_something_stays(note):
    masked = mask(clean(note))
    assert strip_boilerplate(masked) == masked


@pytest.mark.parametrize(
    "note, reason",
    [("kein Bedarf 🙄", "kein Bedarf"), ("no budget 🤦‍♂️", "no budget"), ("❌ zu teuer ✅", "zu teuer"), ("Went with abas 😞 sadly", "Went with abas sadly"),
     ("👎", "👎"), ("Müller: kein Bedarf – 5 €", "Müller: kein Bedarf – 5 €")],
)
def test_emoji_are_dropped_unless_they_are_all_there_is(note, reason):
    assert drop_pictographs(note) == reason


@pytest.mark.parametrize(
    "note, aside, rest",
    [
        ("Catch-up with Mr. Ferreira 2/11: no budget this year", "Catch-up with xxperson xxdate", "no budget this year"),
        ("Nachbesprechung 11.2. mit Hr. Ferreira - kein Bedarf", "Nachbesprechung xxdate mit xxperson", "kein Bedarf"),
        ("we use a competitor (call w/ Ms. Park 5/6)", "call w/ xxperson xxdate", "we use a competitor"),
        ("kein DM, nur Assistenz - Rückmeldung von Fr. Brandl, 6.5.", "Rückmeldung von xxperson", "kein DM, nur Assistenz"),  # the date: a stamp
        ("Message from Mr. Grant (LinkedIn, 3/2): no budget", "Message from xxperson (LinkedIn, xxdate )", "no budget"),  # not inside brackets
        ("no budget [ticket 4471]", "ticket xxnum", "no budget"),
        ("no budget [Mr. Dubois, 10/9]", "xxperson , xxdate", "no budget"),
        ("Gesprächsfazit: kein Budget dieses Jahr", "Gesprächsfazit", "kein Budget dieses Jahr"),  # a heading names nobody
        ("Bottom line - they went with a competitor", "Bottom line", "they went with a competitor"),
    ],
)
def test_asides_naming_someone_or_a_date_are_offered_to_the_model(note, aside, rest):
    text = reading_text(note)
    assert [(a, text[start:end].strip()) for a, start, end in aside_candidates(text)] == [(aside, rest)]


@pytest.mark.parametrize(
    "note",
    [
        "14.03. KE - kein Budget",  # a stamp of date and initials: the rules keep it
        "no budget, call back later",  # names nobody, holds no number
        "Leider, kein Budget mehr da",  # a heading ends at a colon or a dash, not a comma
        "Was der Kunde am Telefon wirklich gesagt hat: kein Budget",  # too long for a heading
        "Call w/ Mr. Ng 3/4: none",  # the rest would be one word
        "Wir haben intern beschlossen, dass wir das Thema vor 2027 gar nicht mehr angehen werden, und das Budget ist weg",  # too long
    ],
)
def test_no_aside_is_offered_where_none_can_be(note):
    assert aside_candidates(reading_text(note)) == []
