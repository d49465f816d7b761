"""Issue 12: the classes own set 23 showed, each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model


def test_every_demand_of_an_unless_clause_is_a_condition(enricher: Enricher) -> None:
    # the second conjunct of "unless X releases ... and admits ..." is as unasserted as the first
    found = summary(
        code(
            enricher,
            "The European Union threatened to cut aid unless Belgrade releases the prisoners"
            " and admits observers.",
        )
    )
    assert [event[1] for event in found] == ["THREATEN"], found


def test_a_warning_of_another_state_s_act_is_no_threat_by_the_warner(
    enricher: Enricher,
) -> None:
    # India does not threaten Pakistan by warning that Pakistan could attack
    found = summary(code(enricher, "Indian officials warned that Pakistan could attack the dam."))
    assert found == [], found


def test_a_warning_of_the_warner_s_own_act_stays_its_act(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Pakistan's defence minister said Islamabad could strike back if attacked.")
    )
    assert found and all(event[2] == "PAK" for event in found), found


def test_the_act_a_protest_or_denunciation_is_about_is_no_event(enricher: Enricher) -> None:
    found = summary(code(enricher, "Greece denounced the Turkish bombardment of Cypriot villages."))
    assert found == [("111", "ACCUSE", "GRC", "TUR")], found


def test_the_act_a_measure_seeks_to_curb_is_no_event(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Chile declared a state of emergency in the south in a bid to curb arson attacks"
            " by militants.",
        )
    )
    assert [event[1] for event in found] == ["COERCE"], found


CODED: list[tuple[str, str | None, str | None, str, str | None]] = [
    # a visit the parser hangs off the travel verb as its object restates the trip
    (
        "The Chilean president flew to Lima on Monday, her second visit to Peru this year.",
        "042",
        "CONSULT",
        "CHL",
        "PER",
    ),
    # civilians occupying a place are a sit-in; an army occupying one stays an occupation
    ("Landless farmers occupied a ranch in Brazil's Para state.", "141", "PROTEST", "BRA", "BRA"),
    ("Turkish troops occupied the northern third of Cyprus.", "192", "ASSAULT", "TUR", "CYP"),
    # a deployment to reinforce or join peacekeepers is peacekeeping (074)
    (
        "Chad deployed troops for the African Union peacekeeping force in Darfur.",
        "074",
        "AID",
        "TCD",
        None,
    ),
    # sent peacekeepers are the act, not the dictionaries' intent (0334)
    ("Nepal sent a contingent of peacekeepers to Haiti.", "074", "AID", "NPL", "HTI"),
    # files and evidence handed to another state's authorities are shared information
    (
        "Italy handed Egyptian prosecutors its evidence in the case.",
        "064",
        "COOPERATE",
        "ITA",
        "EGY",
    ),
    # a wanted person turned over to another state is judicial cooperation
    ("Peru turned over the fugitive banker to Argentine police.", "063", "COOPERATE", "PER", "ARG"),
    # energy exported or piped to another state is economic cooperation; a company is its
    # possessor state's
    (
        "Algeria started exporting gas to Spain through the new pipeline.",
        "061",
        "COOPERATE",
        "DZA",
        "ESP",
    ),
    ("Russia's Gazprom began pumping natural gas to Turkey.", "061", "COOPERATE", "RUS", "TUR"),
    # a law or clause repealed is a concession on policy
    (
        "Zambia's parliament voted to repeal the law banning opposition parties.",
        "080",
        "CONCEDE",
        "ZMB",
        "ZMB",
    ),
    # a commission hearing testimony is an inquiry
    (
        "A Chilean truth commission heard testimony from relatives of the disappeared.",
        "090",
        "ACCUSE",
        "CHL",
        None,
    ),
    # aid delivered in a named place goes to that place's country
    ("The Red Cross delivered tents to flood victims in Bangladesh.", "073", "AID", "IGO", "BGD"),
    # typos: a misspelled verb or noun keeps its word's lemma, a misspelled country its country
    (
        "Malawi rejectd the donors' demands for cuts in fertiliser subsidies.",
        "120",
        "REJECT",
        "MWI",
        None,
    ),
    ("Syrian troops shellled rebel positions near Aleppo.", "194", "ASSAULT", "SYR", "SYR"),
    ("Venezuela has offered to supply Nicaragau with diesel.", None, None, "VEN", "NIC"),
]


@pytest.mark.parametrize(("text", "cameo", "plover", "source", "target"), CODED)
def test_class_is_coded(
    enricher: Enricher,
    text: str,
    cameo: str | None,
    plover: str | None,
    source: str,
    target: str | None,
) -> None:
    assert_coded(enricher, text, cameo, plover, source, target)


def test_an_adjectival_participle_of_its_doers_is_no_act(enricher: Enricher) -> None:
    # "striking miners" are miners on strike, not an attack on them
    found = summary(code(enricher, "Police in Bolivia fired tear gas at striking tin miners."))
    assert [event[1] for event in found] == ["ASSAULT"], found
    assert all(event[0] != "190" for event in found), found


def test_declining_to_comment_is_no_rejection(enricher: Enricher) -> None:
    for text in (
        "The ministry declined to comment on the report.",
        "A Foreign Ministry spokesman refused to say whether the envoy would return.",
        "Officials in Oslo declined to give details.",
    ):
        assert summary(code(enricher, text)) == [], text


def test_refusing_to_discuss_a_proposal_stays_a_rejection(enricher: Enricher) -> None:
    found = summary(code(enricher, "Iran refused to discuss the proposal."))
    assert [event[1] for event in found] == ["REJECT"], found


def test_an_object_denied_with_no_negates_the_act(enricher: Enricher) -> None:
    assert summary(code(enricher, "Japan sent no troops to Iraq.")) == []


def test_a_misspelled_country_at_a_sentence_start_is_resolved(enricher: Enricher) -> None:
    found = summary(code(enricher, "Ethopia has accused Eritrea of shelling its border towns."))
    assert found and found[0][1:4] == ("ACCUSE", "ETH", "ERI"), found
