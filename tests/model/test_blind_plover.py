"""Floor on parley's own PLOVER-coded gold set, ``tests/fixtures/events/blind_plover.jsonl``.

The 124 wire-style sentences (2000-2025, many countries, 17 with no codable event)
were written and coded by the PLOVER definitions before the coder was run on them,
as a stand-in for the unshared held-out set of issue 5. First (blind) measurement:
PLOVER micro F1 0.706, source-country accuracy 0.940, no-event precision 0.941.
After the third coding round, which fixed general error categories found on it (so
the set is no longer blind): 0.890, 0.917, 1.0. Issue 12 scores PLOVER files as the
authors' held-out set is scored (type sets per sentence: 113 gold pairs, not 129 events)
and brought the dictionary lexicon and the authors' crosswalk: 0.896, 0.970, 1.0 (the
crosswalk makes tear gas and crackdowns ASSAULT, where this set says COERCE). Floors sit a
few points under.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.coding.evaluate import evaluate
from workers.core import Enricher

pytestmark = pytest.mark.model

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "blind_plover.jsonl"
FLOORS = {
    "plover_micro_f1": 0.86,
    "source_country_accuracy": 0.93,
    "no_event_precision": 0.94,
}


def test_blind_plover_set_scores_stay_above_floor(enricher: Enricher) -> None:
    result = evaluate(GOLD, enricher)
    assert result["sentences"] == 124
    assert result["cameo_root"]["gold"] == 0  # PLOVER-only gold: no CAMEO events to score
    assert result["plover_type"]["gold"] == 113  # distinct (sentence, type) pairs
    assert result["plover_type"]["micro"]["f1"] >= FLOORS["plover_micro_f1"], result
    assert result["source_country_accuracy"] >= FLOORS["source_country_accuracy"], result
    assert result["no_event_precision"] >= FLOORS["no_event_precision"], result
    # Every PLOVER type appears in the gold and is recovered at least once.
    per_type = result["plover_type"]["per_type"]
    assert len(per_type) >= 16
    missing = [t for t, scores in per_type.items() if scores["recall"] == 0.0]
    assert not missing, missing


# The later own sets, each with its sentence count and floors (P/R per set in README).
OWN_SETS = [
    # A second set, ``blind2_plover.jsonl``: 75 wire-style sentences (4 or more per PLOVER
    # type, 6 with no codable event) written in the session of 2026-12-01 after issue 12,
    # and run once before any change to the coder. First contact with the gold as first
    # written: PLOVER micro F1 0.769. Nine gold codes were then found wrong against the
    # manual (signing an agreement is SUPPORT; release, return and eased sanctions are
    # RETREAT in 084-087; cooperative acts in the future tense are AGREE; 163 is COERCE in
    # the authors' table) and five CONCEDE sentences were added, written before the coder
    # saw them: 0.863, source country 0.983. The failure classes it showed were then fixed in
    # general form on 2026-12-02 (hyphenated words such as "sit-in" kept one token, "voiced its
    # backing", internet shutdowns, "a week of joint exercises"), so it is no longer blind:
    # 0.910, and 0.972 after the rules blind3 and blind4 prompted.
    (
        "blind2_plover.jsonl",
        75,
        {"plover_micro_f1": 0.92, "source_country_accuracy": 0.95, "no_event_precision": 0.9},
    ),
    # A third set, ``blind3_plover.jsonl``: 70 wire-style sentences (4 per PLOVER type, 6 with
    # no codable event) written on 2026-12-02 after the changes that blind2 prompted, coded
    # by the manual and the authors' crosswalk, and run once before any further change. First
    # contact: PLOVER micro F1 0.793 (P 0.857, R 0.739), source country 0.938, target country
    # 0.644, no-event precision 0.833. Its failure classes were then fixed in general form
    # (relief goods as aid, acceding to a demand, suspended memberships, combat readiness,
    # joint operations, sector role nouns, bans and restrictions eased as CONCEDE), so it is
    # no longer blind: 0.922.
    (
        "blind3_plover.jsonl",
        70,
        {"plover_micro_f1": 0.88, "source_country_accuracy": 0.9, "no_event_precision": 0.8},
    ),
    # A fourth set, ``blind4_plover.jsonl``, written on 2026-12-02 after every change above and
    # kept held out: the coder is never changed for it, so its score estimates what unseen
    # wire copy gets. 70 sentences (4 per type, 6 with no codable event); first contact: PLOVER
    # micro F1 0.839 (P 0.897, R 0.788), source country 0.981, target country 0.667, no-event
    # precision 1.0. What it missed: "called up reservists", "voted down a proposal", "gave in
    # to the unions", "allowed monitors to observe", an offer to host talks also coded as
    # talks, crowds that are no named actor. Rules for four of those classes were added later
    # the same day (two seen in blind2 too), which brought it to 0.889: the clean estimate is
    # the first contact, 0.839.
    (
        "blind4_plover.jsonl",
        70,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A fifth set, ``blind5_plover.jsonl``, written on 2026-12-02 (second session) in longer
    # wire style (attributions, dates, subordinate clauses), 4 per type and 6 with no codable
    # event, run once before any change. First contact: PLOVER micro F1 0.850 (P 0.871,
    # R 0.831), source country 0.944, target country 0.608, no-event precision 1.0. What it
    # missed, then fixed in general form: unnamed crowds protesting ("thousands of farmers
    # marched", blind4's miss too), "his country" as the speaker's state, sums of money
    # ("$130 million in aid"), food rations, "vowed to resume attacks", telephone talks, a
    # diplomat ordered out, suspended participation, the purpose of a light verb's noun,
    # what an appeal asks for, an act defended against, a participle describing a noun.
    # Now 0.985: no longer blind.
    (
        "blind5_plover.jsonl",
        70,
        {"plover_micro_f1": 0.94, "source_country_accuracy": 0.9, "no_event_precision": 0.9},
    ),
    # A sixth set, ``blind6_plover.jsonl``, written right after the blind5 fixes in the same
    # style (named armed groups, IGOs, passives, conditions), run once before any change.
    # First contact with the gold as first written: PLOVER micro F1 0.848 (P 0.883, R 0.815),
    # source country 0.981, target country 0.653, no-event precision 1.0; one gold code was
    # then corrected by the manual (a resignation is RETREAT: PLOVER_MANUAL, RETREAT). Misses
    # fixed in general form: conditions inside a threat, permitted acts, "pulled out of talks",
    # "under pressure" phrases, bombs going off, election boycotts, a parser-missed subject,
    # exchanged intelligence, accepted truces, restored parliaments. Now 0.985.
    (
        "blind6_plover.jsonl",
        70,
        {"plover_micro_f1": 0.94, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A seventh set, ``blind7_plover.jsonl``, written after the blind6 fixes: leaders of the
    # 1990s and 2000s by name, nominal talks, armed groups, riots; run once before any change.
    # First contact: PLOVER micro F1 0.871 (P 0.900, R 0.844), source country 0.981, target
    # country 0.769, no-event precision 1.0. Misses fixed in general form: police raids as
    # coercion, suspects handed over, deposits of money, doctors arriving as aid, violence
    # aimed at an epidemic, price rises cancelled, bans withdrawn, captured soldiers returned,
    # votes against a plan, reinforcements, beheadings.
    (
        "blind7_plover.jsonl",
        70,
        {"plover_micro_f1": 0.93, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # An eighth set, ``blind8_plover.jsonl``, written after the blind7 fixes in the longer
    # 1990s wire style; run once before any change. First contact: PLOVER micro F1 0.880
    # (P 0.917, R 0.846), source country 0.909, target country 0.740, no-event precision
    # 0.833. Misses fixed in general form: walkouts, suspended cooperation, troops sent to a
    # border with their tanks, raised alert levels, captives handed over, abolished
    # penalties, engineers arriving as aid, a word of an organisation's name coded as an act.
    (
        "blind8_plover.jsonl",
        70,
        {"plover_micro_f1": 0.92, "source_country_accuracy": 0.88, "no_event_precision": 0.8},
    ),
    # A ninth set, ``blind9_plover.jsonl``, weighted to the dev set's weakest types (8 ACCUSE,
    # 7 CONCEDE, 5 SANCTION, 5 RETREAT; 64 event sentences, 6 with none); run once before any
    # change. First contact with the gold as first written: PLOVER micro F1 0.776 (P 0.865,
    # R 0.703), source country 0.956, target country 0.698, no-event precision 0.833: the hard
    # types are where the coder is weakest. One gold code was then corrected to the authors'
    # reading (a lifted curfew is CONCEDE, plover_overrides.tsv). Misses fixed in general
    # form: lawsuits, lashing out, criminal cases, legalised parties, allowed rallies, relaxed
    # rules, investigators let in, arms laid down, denied requests, house arrest, forces put on
    # readiness, orders to leave as expulsions, particles tagged as adverbs ("pulled back"),
    # organised groups placed by their own phrase, the reason of a reaction, joint bodies set
    # up, opened sessions (no event). Now 0.961.
    (
        "blind9_plover.jsonl",
        70,
        {"plover_micro_f1": 0.93, "source_country_accuracy": 0.92, "no_event_precision": 0.8},
    ),
    # A tenth set, ``blind10_plover.jsonl``, written after all the merges of 2026-12-02 (the
    # region and armed-group gazetteers in); run once before any change. First contact with
    # the gold as first written: PLOVER micro F1 0.803 (P 0.887, R 0.734), source country
    # 0.957, target country 0.721, no-event precision 0.833. Two gold codes were then
    # corrected: "agreed to rewrite the constitution" is AGREE (manual, AGREE), and the
    # authors' own records code demolished homes as COERCE (their dev record, against their
    # table's 1712). Misses fixed in general form: autonomy granted, operations coordinated,
    # fuel delivered, election results accepted, reforms scrapped, streets blocked, funds
    # withheld, patrols flown, firefighters arriving as aid, "joint" parsed as a compound,
    # thanks as praise, openings of bridges and schools (no event). Now 0.935.
    (
        "blind10_plover.jsonl",
        70,
        {"plover_micro_f1": 0.9, "source_country_accuracy": 0.92, "no_event_precision": 0.8},
    ),
    # An eleventh set, ``blind11_plover.jsonl``, written after blind10's fixes (passives,
    # hosted visits, money released, offers of troops, projectiles hitting places); run once
    # before any change. First contact: PLOVER micro F1 0.781 (P 0.814, R 0.750), source
    # country 0.896, target country 0.587, no-event precision 0.833. Misses fixed in general
    # form: solidarity voiced, aid released, boats handed over, humanitarian visas, reforms
    # withdrawn, groups dissolved, projectiles hitting a place, offers of troops as intent to
    # cooperate (0312), "jointly" as a joint act, a body meeting for its session (no event).
    # Now 0.898.
    (
        "blind11_plover.jsonl",
        70,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.88, "no_event_precision": 0.8},
    ),
    # A twelfth set, ``blind12_plover.jsonl``, written after blind11's fixes; run once before
    # any change. First contact: PLOVER micro F1 0.829 (P 0.864, R 0.797), source country
    # 0.961, target country 0.653, no-event precision 1.0. Misses fixed in general form: power
    # handed over, a return to talks, money disbursed, plans dropped, officials admitted, arms
    # exports suspended, jets scrambled, media shut down ("media" lemmatised "medium"), blasts
    # tearing through or rocking a place, an arrest over an attack, a demand's that-clause, a
    # condition reached through "continued to", juntas as governments, "signalled" as speech,
    # international NGOs (Human Rights Watch, Amnesty) in the gazetteer.
    (
        "blind12_plover.jsonl",
        70,
        {"plover_micro_f1": 0.9, "source_country_accuracy": 0.9, "no_event_precision": 0.9},
    ),
    # A thirteenth set, ``blind13_plover.jsonl``, written on 2026-12-02 (session 4), wire
    # style with British spellings; run once before any change. First contact: PLOVER micro
    # F1 0.873 (P 0.887, R 0.859), source country 1.0, no-event precision 1.0. Three gold
    # codes were then corrected: a pledge of aid is AGREE (manual, AID: "broad promises of
    # future AID should be coded as AGREE"), visa restrictions are 163/1721 (COERCE in the
    # authors' table) and Kosovo is XKX. Misses fixed in general form (tests in
    # test_blind13_rules.py): reopened talks, returned property, a vehicle's cargo ("ships
    # carrying medical supplies"), "charged that", what is refused not asserted, blocked
    # measures and bids, met demands, "X's and Y's bids", a year that dates another noun.
    (
        "blind13_plover.jsonl",
        70,
        {"plover_micro_f1": 0.92, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A fourteenth set, ``blind14_plover.jsonl``, written after blind13's fixes (longer wire
    # sentences, attributions, participle clauses); run once before any change. First contact:
    # PLOVER micro F1 0.823 (P 0.850, R 0.797), source country 1.0, no-event precision 1.0. No
    # gold code changed. Misses fixed in general form (tests in test_blind14_rules.py): "work
    # together", airlifted relief and evacuated wounded (073), suspended or cut contacts (161),
    # "hand back" (084), armoured vehicles as military aid (072), boycotts by a sector of society
    # (143), warplanes and commandos sent (154), a yielding participle ("bowing to pressure")
    # coded by the act it introduces, carrying someone somewhere is no visit, a promise to fight
    # a crime is no threat. Left: "would consider buying", joint arrests as cooperation, an
    # admission, an ultimatum beside an expulsion, "ready to crush", water cannon (175 is
    # ASSAULT in the authors' table).
    (
        "blind14_plover.jsonl",
        70,
        {"plover_micro_f1": 0.89, "source_country_accuracy": 0.95, "no_event_precision": 0.9},
    ),
    # A fifteenth set, ``blind15_plover.jsonl``: 52 sentences (3 per PLOVER type, 4 with no
    # codable event), written after blind14's fixes; run once before any change. First contact:
    # PLOVER micro F1 0.813 (P 0.813, R 0.813), source country 0.974, no-event precision 1.0.
    # Misses fixed in general form (tests in test_blind15_rules.py): a signed pledge (030),
    # joint operations as military cooperation (062), rescue teams arriving as aid, an apology
    # as CONCEDE (the manual's "expressions of regret or remorse"; blind6-012 and blind8-011
    # had followed the authors' table and were corrected to the manual), a vow to punish,
    # walking off the job, storming a building. Left: a conjoined "began sharing it", an
    # envoy summoned to demand an explanation, an attack noun inside a condemnation.
    (
        "blind15_plover.jsonl",
        52,
        {"plover_micro_f1": 0.9, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A sixteenth set, ``blind16_plover.jsonl``: 56 sentences (3 per PLOVER type, 8 with no
    # codable event), written by a helper without running the coder, in deliberately less
    # common constructions (nominalised acts as subjects, passives). First contact: PLOVER
    # micro F1 0.571 (P 0.759, R 0.458), source country 0.909, no-event precision 1.0.
    # Fixed in general form (tests in test_blind16_rules.py): repression of dissent (175),
    # the attack a claim of responsibility reports, a crowd's violence as a riot and a
    # blockade "in protest" as obstruction, a nationality adjective placing an unattributed
    # attack, juries and prosecutors as judicial actors, "spurn" as a rejection (0.65); then
    # (tests in test_issue12_nominal_acts.py) acts named by a noun as a light verb's passive
    # subject with its "by" agent, refusals, amnesties and suspensions as nouns, the
    # recipient in the act's theme, invitations to visit as AGREE (the manual's CONSULT
    # note), recognition extended (0.738); then (test_issue12_blind18_rules.py) forces
    # dispatched, internet access cut, an arrest warrant as the manual's THREATEN, a convoy
    # allowed in (0.828). Left: "the resignation ..., announced on Wednesday, took effect",
    # "put on standby" (parsed as an adverb), persona non grata (misparsed).
    (
        "blind16_plover.jsonl",
        56,
        {"plover_micro_f1": 0.8, "source_country_accuracy": 0.86, "no_event_precision": 0.9},
    ),
    # A seventeenth set, ``blind17_plover.jsonl``: 56 sentences (3 per PLOVER type, 8 with no
    # codable event), written on 2026-12-03 by a helper that neither ran nor read the coder,
    # with deliberately varied phrasing (passives, nominalisations, metonyms, roles). First
    # contact (at 7ed19da): PLOVER micro F1 0.753 (P 0.865, R 0.667), source country 0.969,
    # no-event precision 1.0. After the nominal-act fixes made for blind16's misses in the same
    # session (7bcd8c8): 0.782; 0.894 after the classes below were fixed in general form
    # (test_issue12_blind18_rules.py): an apology asked for as CONCEDE, joint exercises
    # joined, extradition and intelligence sharing as COOPERATE, an air defence system handed
    # over, fuel trucks allowed in, "called on Chile to return to the negotiating table",
    # troops placed on high alert, a detention in a capital with no agent. Left: a promised
    # withdrawal bowing to a demand (AGREE by the rule the authors' gold follows for future
    # yields), an aid flight landing, prisoners freed with no agent, storming an embassy to
    # seize a fugitive, a mass abduction by gunmen.
    (
        "blind17_plover.jsonl",
        56,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # An eighteenth set, ``blind18_plover.jsonl``: 57 sentences (3 per PLOVER type, 6 with no
    # codable event, 4 with a second event), written on 2026-12-03 by a helper that neither
    # ran nor read the coder, asked for less common verbs ("lambasted", "rounded up",
    # "hammered out", "caved in"). Gold corrected before scoring to the PLOVER authors' own
    # coding: establishing diplomatic ties and signing an accord are SUPPORT in their gold
    # records and table (054/057), and the three FIGHT records ASSAULT (the current manual has
    # no FIGHT; the dev records' code_plover_v2 merges it into ASSAULT). First contact (at
    # 0992269): PLOVER micro F1 0.62 (P 0.67, R 0.57), source country 0.968, no-event
    # precision 1.0; 0.54 against the gold as first written. After first contact, one more by
    # the manual (AGREE: cooperative acts "reported in future tense ... should be coded as
    # AGREE": "Norway will deliver ... air defence systems").
    (
        "blind18_plover.jsonl",
        57,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A nineteenth set, ``blind19_plover.jsonl``: 66 sentences (3 to 5 per PLOVER type, 6 with
    # no codable event, 14 with a second event; half dated 1990-2010, as the PLOVER gold
    # records are), written on 2026-12-03 by a helper that neither ran nor read the coder,
    # prompted with the manual's own conventions (future cooperation is AGREE, treaties and
    # ties SUPPORT, sanctions SANCTION, no FIGHT). First contact (at 000059d, after the
    # session's blind17/18 fixes): PLOVER micro F1 0.782 (P 0.83, R 0.74), source country
    # 0.98, no-event precision 1.0; the session-start coder (0992269) scores 0.708 on it.
    # One gold code corrected after first contact, to the authors' own gold (a declared
    # unilateral ceasefire is RETREAT in PLOVER-GSR01-RETREAT's records, not CONCEDE).
    (
        "blind19_plover.jsonl",
        66,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.93, "no_event_precision": 0.9},
    ),
    # A twentieth set, ``blind20_plover.jsonl``: 64 sentences (3 to 5 per type, 6 with no
    # codable event) in the style of 1990s-2000s wire copy (the Balkans, the Great Lakes, the
    # peace process, Iraq's inspectors: the PLOVER gold records' era), written on 2026-12-03
    # by a helper that neither ran nor read the coder. First contact (at d34584b): PLOVER
    # micro F1 0.842 (P 0.89, R 0.80), source country 0.94, no-event precision 0.83; the
    # session-start coder (0992269) scores 0.807 on it. Then 0.881 (its misses fixed in
    # general form in test_issue12_blind18_rules.py: an office a country owns, a broadcaster
    # pulled off the air, a closure eased, ties ended, aid approved for a recipient).
    (
        "blind20_plover.jsonl",
        64,
        {"plover_micro_f1": 0.86, "source_country_accuracy": 0.9, "no_event_precision": 0.8},
    ),
    # A twenty-first set, ``blind21_plover.jsonl``: 64 sentences (6 each of the dev set's
    # commonest types, 3 of the others, 4 with no codable event) in 1990s-2000s wire style,
    # written on 2026-12-03 by a helper that neither ran nor read the coder (its DEMAND,
    # DISAPPROVE and INVESTIGATE labels mapped to PLOVER v2's REQUEST, ACCUSE, ACCUSE as the
    # dev set's ``code_plover_v2`` does; a declared ceasefire and a freed leader, which its
    # prompt wrongly called CONCEDE, set to RETREAT by the authors' table, 0871 and 0841).
    # First contact (the session-start coder, 7e1a566): PLOVER micro F1 0.921 (P 0.96,
    # R 0.89), source country 0.92, target country 0.56. Then 0.950 (its misses fixed in
    # general form in test_issue12_blind21_rules.py).
    (
        "blind21_plover.jsonl",
        64,
        {"plover_micro_f1": 0.9, "source_country_accuracy": 0.9, "no_event_precision": 0.9},
    ),
    # A twenty-second set, ``blind22_plover.jsonl``: 64 sentences (4 of each type, 5-6 of the
    # weak ones, 4 with no codable event; Africa, Latin America, Asia, the Balkans, the
    # Pacific, 1996-2014), written on 2026-12-03 by a helper that neither ran nor read the
    # coder. One label changed after: a visit called off, which the helper made REJECT by
    # the manual's SANCTION notes, set to SANCTION as the PLOVER gold records code a
    # cancelled visit. First contact (the session-start coder, 2692053): PLOVER micro F1
    # 0.865 (P 0.90, R 0.84), source country 0.97. Then 0.958 (its misses fixed in general
    # form in test_issue12_blind22_rules.py).
    (
        "blind22_plover.jsonl",
        64,
        {"plover_micro_f1": 0.92, "source_country_accuracy": 0.92, "no_event_precision": 0.9},
    ),
    # A twenty-third set, ``blind23_plover.jsonl``: 64 sentences (4 of each type, every one
    # with an event; 1985-2005 wire copy with five typos in it, as the PLOVER records have)
    # written on 2026-12-03 by a helper that neither ran nor read the coder. First contact
    # (the session-start coder, 76d9239): PLOVER micro F1 0.844 (P 0.84, R 0.84), source
    # country 0.96, target country 0.74. Then 0.984 (its misses fixed in general form in
    # test_issue12_blind23_rules.py: typos, sit-ins, peacekeeping deployments, files and
    # fugitives handed over, energy piped abroad, laws repealed, comments withheld).
    (
        "blind23_plover.jsonl",
        64,
        {"plover_micro_f1": 0.94, "source_country_accuracy": 0.93},
    ),
    # A twenty-fourth set, ``blind24_plover.jsonl``: 64 sentences (3 to 5 per type, 4 with
    # no codable event, 5 with two events, 4 typos; 1988-2012 wire copy, less common verbs:
    # "brushed aside", "slapped", "put beyond use"), written on 2026-12-04 by a helper that
    # neither ran nor read the coder. First contact (at fecf123, after set 23's rules):
    # PLOVER micro F1 0.787 (P 0.81, R 0.77), source country 0.94, target country 0.84,
    # no-event precision 1.0; the session-start coder (76d9239) scores 0.752 on it. Then
    # 0.886 (its misses fixed in general form in test_issue12_blind24_rules.py).
    (
        "blind24_plover.jsonl",
        64,
        {"plover_micro_f1": 0.84, "source_country_accuracy": 0.9, "no_event_precision": 0.9},
    ),
    # A twenty-fifth set, ``blind25_plover.jsonl``: 60 sentences (3 or 4 per type, 4 with no
    # codable event, 4 with two events, 3 typos; 1990-2015 wire copy, many actors named by
    # title), written on 2026-12-04 by a helper that neither ran nor read the coder. First
    # contact (at 7e9e9ed, after sets 23 and 24's rules): PLOVER micro F1 0.922 (P 0.96,
    # R 0.88), source country 0.92, target country 0.81, no-event precision 0.75; the
    # session-start coder (76d9239) scores 0.912. Then 0.974 (its misses fixed in general
    # form in test_issue12_blind25_rules.py).
    (
        "blind25_plover.jsonl",
        60,
        {"plover_micro_f1": 0.93, "source_country_accuracy": 0.9, "no_event_precision": 0.9},
    ),
    # A twenty-sixth set, ``blind26_plover.jsonl``: 60 sentences (62 events: 5 each of
    # RETREAT, MOBILIZE, SANCTION, CONCEDE, AID, COERCE, 3 or 4 of the others; 6 with no
    # codable event, 8 with two), weighted to reported clauses, act nouns ("the expulsion
    # of ...") and passives, written on 2026-12-04 by a helper that neither ran nor read the
    # coder (its DEMAND and DISAPPROVE named PLOVER v2's REQUEST and ACCUSE). First contact
    # (a984368): PLOVER micro F1 0.661 (P 0.74, R 0.60), source country 0.95, target country
    # 0.73, no-event precision 0.83. Then 0.797 (its misses fixed in general form in
    # test_issue12_blind26_rules.py); the rest are act nouns PLOVER codes by their sense
    # (a delivery of missiles as AID, a ratification as SUPPORT) and two-event sentences.
    (
        "blind26_plover.jsonl",
        60,
        {"plover_micro_f1": 0.76, "source_country_accuracy": 0.9, "no_event_precision": 0.8},
    ),
    # A twenty-seventh set, ``blind27_plover.jsonl``: 64 sentences (66 events, 4 or 5 per
    # type; 6 with no codable event, 8 with two), weighted to metonymy ("Whitehall",
    # "Beijing"), actors named by title, rebels, unions and parties, relative clauses,
    # denials and Central Asia, West Africa, the Andes and the Pacific, written on
    # 2026-12-04 by a helper that neither ran nor read the coder. First contact (at
    # 36621be): PLOVER micro F1 0.75 (P 0.83, R 0.68), source country 0.96, target country
    # 0.64, no-event precision 0.83. Then 0.829 (its misses fixed in general form in
    # test_issue12_blind27_rules.py); the rest are misparses (a conjoined threat read into
    # the demanded clause, a verb hung on a noun) and readings the authors' own records
    # differ on (a future withdrawal: the manual's CONCEDE, the records' AGREE).
    (
        "blind27_plover.jsonl",
        64,
        {"plover_micro_f1": 0.79, "source_country_accuracy": 0.9, "no_event_precision": 0.8},
    ),
]


@pytest.mark.parametrize(("name", "sentences", "floors"), OWN_SETS, ids=[s[0] for s in OWN_SETS])
def test_own_plover_set_scores_stay_above_floor(
    enricher: Enricher, name: str, sentences: int, floors: dict[str, float]
) -> None:
    result = evaluate(GOLD.with_name(name), enricher)
    assert result["sentences"] == sentences
    assert result["plover_type"]["micro"]["f1"] >= floors["plover_micro_f1"], result
    assert result["source_country_accuracy"] >= floors["source_country_accuracy"], result
    if "no_event_precision" in floors:  # a set with no event-free sentence has none
        assert result["no_event_precision"] >= floors["no_event_precision"], result
    else:
        assert result["no_event_precision"] is None, result
