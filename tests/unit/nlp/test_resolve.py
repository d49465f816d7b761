from __future__ import annotations

from datetime import UTC, datetime

import pytest
from spacy.language import Language

from workers.nlp.gazetteer import Gazetteer, load_gazetteer
from workers.nlp.resolve import actor_code, resolve_doc
from workers.nlp.types import Mention


def _resolve(nlp: Language, text: str, year: int, month: int = 6) -> list[Mention]:
    return resolve_doc(nlp(text), datetime(year, month, 1, tzinfo=UTC)).mentions


def _codes(mentions: list[Mention]) -> list[tuple[str, str | None]]:
    return [(m.text, m.actor_code) for m in mentions]


@pytest.mark.parametrize(
    ("year", "code"),
    [(2015, "GBR"), (2017, "GBRGOV"), (2020, "GBRGOV"), (2023, "GBRELI")],
)
def test_person_role_follows_the_article_date(blank_nlp: Language, year: int, code: str) -> None:
    [mention] = _resolve(blank_nlp, "Boris Johnson spoke.", year)
    assert mention.actor_code == code and mention.kb_id == "P.boris_johnson"


def test_defence_minister_then_igo_leader(blank_nlp: Language) -> None:
    assert _codes(_resolve(blank_nlp, "Ursula von der Leyen spoke.", 2018)) == [
        ("Ursula von der Leyen", "DEUMIL")
    ]
    assert _codes(_resolve(blank_nlp, "Ursula von der Leyen spoke.", 2022)) == [
        ("Ursula von der Leyen", "IGOEUR")
    ]


def test_person_before_first_role_gets_country_only(blank_nlp: Language) -> None:
    [mention] = _resolve(blank_nlp, "Lloyd Austin spoke.", 2019)
    assert (mention.country, mention.role, mention.actor_code) == ("USA", None, "USA")


def test_group_role_changes_with_date(blank_nlp: Language) -> None:
    assert _codes(_resolve(blank_nlp, "The Taliban said so.", 2019)) == [("Taliban", "AFGREB")]
    assert _codes(_resolve(blank_nlp, "The Taliban said so.", 2022)) == [("Taliban", "AFGGOV")]


def test_unlisted_surname_resolves_to_earlier_full_name(blank_nlp: Language) -> None:
    # "Austin" is no gazetteer alias (it is a city); it resolves only after the full name.
    mentions = _resolve(blank_nlp, "Lloyd Austin landed. Later Austin said more.", 2022)
    assert [(m.text, m.kb_id, m.actor_code) for m in mentions] == [
        ("Lloyd Austin", "P.lloyd_austin", "USAMIL"),
        ("Austin", "P.lloyd_austin", "USAMIL"),
    ]


def test_bare_title_resolves_to_person_introduced_earlier(blank_nlp: Language) -> None:
    mentions = _resolve(blank_nlp, "Dmytro Kuleba arrived. The foreign minister said no.", 2022)
    assert mentions[-1].text == "foreign minister"
    assert mentions[-1].kb_id == "P.kuleba" and mentions[-1].actor_code == "UKRGOV"


def test_country_title_resolves_to_office_holder_on_date(blank_nlp: Language) -> None:
    [mention] = _resolve(blank_nlp, "The Ukrainian foreign minister arrived.", 2021)
    assert (mention.text, mention.kb_id, mention.actor_code) == (
        "Ukrainian foreign minister",
        "P.kuleba",
        "UKRGOV",
    )
    [later] = _resolve(blank_nlp, "The Ukrainian foreign minister arrived.", 2025)
    assert later.kb_id == "P.sybiha"


def test_country_specific_bare_title(blank_nlp: Language) -> None:
    mentions = _resolve(blank_nlp, "Lavrov met the secretary of state.", 2022)
    assert [(m.text, m.kb_id) for m in mentions] == [
        ("Lavrov", "P.lavrov"),
        ("secretary of state", "P.blinken"),
    ]


def test_russian_leader_is_the_president(blank_nlp: Language) -> None:
    [mention] = _resolve(blank_nlp, "The Russian leader spoke.", 2023)
    assert mention.kb_id == "P.putin" and mention.actor_code == "RUSGOV"


@pytest.mark.parametrize(
    ("text", "span", "code"),
    [
        ("Iranian troops crossed the border.", "Iranian troops", "IRNMIL"),
        ("Chinese officials declined to comment.", "Chinese officials", "CHNGOV"),
        ("Israeli forces raided the camp.", "Israeli forces", "ISRMIL"),
        ("Russia-based hackers struck again.", "Russia-based hackers", "RUS"),
        ("Turkish police detained them.", "Turkish police", "TURCOP"),
        ("Syrian rebels advanced.", "Syrian rebels", "SYRREB"),
        ("Iranian state media reported it.", "Iranian state media", "IRNMED"),
        ("Belarusian protesters marched.", "Belarusian protesters", "BLRCVL"),
    ],
)
def test_demonym_with_role_noun_is_one_actor(
    blank_nlp: Language, text: str, span: str, code: str
) -> None:
    [mention] = _resolve(blank_nlp, text, 2023)
    assert (mention.text, mention.actor_code) == (span, code)
    assert mention.token_end - mention.token_start == len(blank_nlp.make_doc(span))


def test_demonym_alone_is_country_level(blank_nlp: Language) -> None:
    [mention] = _resolve(blank_nlp, "An Icelandic ship docked.", 2023)
    assert (mention.country, mention.role, mention.actor_code) == ("ISL", None, "ISL")


def test_igo_actor_code(blank_nlp: Language) -> None:
    assert _codes(_resolve(blank_nlp, "NATO and the UN met.", 2023)) == [
        ("NATO", "IGONAT"),
        ("UN", "IGOUNO"),
    ]


def test_metonyms_for_governments(blank_nlp: Language) -> None:
    mentions = _resolve(blank_nlp, "The Kremlin, the White House and the Pentagon.", 2023)
    assert [m.actor_code for m in mentions] == ["RUSGOV", "USAGOV", "USAMIL"]


def test_mention_at_token_covers_whole_actor(blank_nlp: Language) -> None:
    doc = blank_nlp("Yesterday Iranian troops moved.")
    resolved = resolve_doc(doc, datetime(2023, 1, 1, tzinfo=UTC))
    assert resolved.mention_at(1) is resolved.mention_at(2)
    mention = resolved.mention_at(2)
    assert mention is not None and mention.actor_code == "IRNMIL"
    assert resolved.mention_at(0) is None


def test_actor_code_convention() -> None:
    assert actor_code("RUS", "GOV") == "RUSGOV"
    assert actor_code("RUS", None) == "RUS"
    assert actor_code(None, "GOV") is None


def test_every_person_role_has_known_codes() -> None:
    # SPY and COP are CAMEO roles roles.yaml already gives nouns ("spies", "police"); the
    # organisation list uses them for intelligence services and the FBI.
    known = {"GOV", "MIL", "OPP", "LEG", "JUD", "IGO", "REB", "SPY", "COP"}
    for entry in load_gazetteer().entries.values():
        for spell in entry.roles:
            assert spell.role in known, entry.kb_id
            assert spell.start is None or spell.end is None or spell.start <= spell.end, entry.kb_id


def test_title_lookup_agrees_with_a_scan_of_the_title_classes() -> None:
    """The phrase->office dict answers what scanning the classes in order answered."""
    gaz = load_gazetteer()

    def scanned(title: str) -> str | None:
        for office, phrases in gaz.title_classes.items():
            if title == office or title in phrases:
                return office
        return None

    phrases = {p for office, listed in gaz.title_classes.items() for p in (office, *listed)}
    assert phrases, "no titles loaded"
    for phrase in [*phrases, "minister", "foreign", "kremlin"]:
        assert gaz.office_of(phrase) == scanned(phrase), phrase
    assert gaz.office_of(None) is None
    # Every title and role noun starts with a first word the resolver lets through.
    assert all(p.split(" ")[0] in gaz.title_first_words for p in phrases)
    assert all(n.split(" ")[0] in gaz.role_noun_first_words for n in gaz.role_nouns)


def test_a_phrase_listed_under_two_title_classes_belongs_to_the_first() -> None:
    gaz = Gazetteer(title_classes={"leader": ["chief", "head"], "president": ["head"]})
    gaz.index()
    assert gaz.office_of("head") == "leader"
    assert gaz.office_of("president") == "president"
    assert gaz.title_first_words == frozenset({"leader", "chief", "head", "president"})
