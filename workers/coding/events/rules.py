"""Composition rules as data (``workers/data/coding/composition.yaml``, sources there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from workers.coding.tables import CODING_DATA_DIR, cameo
from workers.nlp.spelling import american_text


@dataclass(frozen=True)
class CompositionRules:
    governed_refinements: dict[str, dict[str, str]]
    intent_codes: dict[str, str]
    pledge_lemmas: frozenset[str]
    refusal_codes: dict[str, str]
    conflict_roots: frozenset[str]
    violent_roots: frozenset[str]
    crowd_roots: frozenset[str]
    cooperative_pledges: frozenset[str]
    pledged_force_code: str
    group_nouns: frozenset[str]
    expulsion_verbs: frozenset[str]
    leave_verbs: frozenset[str]
    expulsion_code: str
    alleged_roots: frozenset[str]
    material_roots: frozenset[str]
    commitment_governors: frozenset[str]
    future_aux: frozenset[str]
    speculative_aux: frozenset[str]
    threat_governors: frozenset[str]
    threat_codes: dict[str, tuple[str, str | None]]
    obligation_verbs: frozenset[str]
    obligation_modals: dict[str, str]
    visit_codes: frozenset[str]
    peacekeeping_words: frozenset[str]
    peacekeeping_deployment_codes: frozenset[str]
    sending_verbs: frozenset[str]
    peacekeeping_intent_code: str
    military_subject_nouns: frozenset[str]
    peacekeeping_code: str
    medical_subject_nouns: frozenset[str]
    natural_targets: frozenset[str]
    medical_aid_code: str
    failure_governors: frozenset[str]
    natural_causes: frozenset[str]
    exercise_nouns: frozenset[str]
    joint_military_code: str
    willingness_adjectives: frozenset[str]
    willingness_code: str
    place_recipient_types: frozenset[str]
    own_country_recipient_types: frozenset[str]
    warning_verbs: frozenset[str]
    disclosure_verbs: frozenset[str]
    disclosure_objects: frozenset[str]
    unwelcome_phrase: tuple[str, ...]
    unwelcome_verbs: frozenset[str]
    verdict_adjectives: frozenset[str]
    verdict_code: str
    background_markers: frozenset[str]
    travel_verbs: frozenset[str]
    expulsion_codes: frozenset[str]
    restriction_codes: frozenset[str]
    border_nouns: frozenset[str]
    property_codes: frozenset[str]
    test_words: frozenset[str]
    weapons_test_code: str
    bare_office_nouns: frozenset[str]
    owner_verbs: frozenset[str]
    holder_nouns: frozenset[str]
    expulsion_terms_code: str
    place_nouns: frozenset[str]
    riot_subjects: frozenset[str]
    riot_from_codes: frozenset[str]
    riot_code: str
    blockade_code: str
    protest_obstruction_code: str
    invitation_verbs: frozenset[str]
    invitation_code: str
    agentless_sources: dict[str, tuple[str, ...]]
    own_forces_roots: dict[str, tuple[str, ...]]
    object_control_verbs: frozenset[str]
    body_withdrawal_words: frozenset[str]
    body_withdrawal_code: str


def _codes(table: dict[object, object]) -> dict[str, str]:
    out = {str(k): str(v) for k, v in table.items()}
    for code in out.values():
        cameo(code)  # a typo fails at load time, not mid-stream
    return out


def _words(values: list[object]) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def _threats(table: dict[object, list[object]]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for prefix, (code, mode) in table.items():
        cameo(str(code))
        out[str(prefix)] = (str(code), None if mode is None else str(mode))
    return out


@cache
def composition_rules(path: Path = CODING_DATA_DIR / "composition.yaml") -> CompositionRules:
    # American spelling, as parley_american_spelling gives the Doc's lemmas.
    raw = yaml.safe_load(american_text(path.read_text(encoding="utf-8")))
    return CompositionRules(
        governed_refinements={
            str(outer): _codes(inner) for outer, inner in raw["governed_refinements"].items()
        },
        intent_codes=_codes(raw["intent_codes"]),
        pledge_lemmas=frozenset(str(w) for w in raw["pledge_lemmas"]),
        refusal_codes=_codes(raw["refusal_codes"]),
        conflict_roots=frozenset(str(r) for r in raw["conflict_roots"]),
        violent_roots=frozenset(str(r) for r in raw["violent_roots"]),
        crowd_roots=frozenset(str(r) for r in raw["crowd_roots"]),
        cooperative_pledges=_words(raw["cooperative_pledges"]),
        pledged_force_code=_codes({"code": raw["pledged_force_code"]})["code"],
        group_nouns=_words(raw["group_nouns"]),
        expulsion_verbs=_words(raw["expulsion_verbs"]),
        leave_verbs=_words(raw["leave_verbs"]),
        expulsion_code=_codes({"code": raw["expulsion_code"]})["code"],
        alleged_roots=frozenset(str(r) for r in raw["alleged_roots"]),
        material_roots=frozenset(str(r) for r in raw["material_roots"]),
        commitment_governors=_words(raw["commitment_governors"]),
        future_aux=_words(raw["future_aux"]),
        speculative_aux=_words(raw["speculative_aux"]),
        threat_governors=_words(raw["threat_governors"]),
        threat_codes=_threats(raw["threat_codes"]),
        obligation_verbs=_words(raw["obligation_verbs"]),
        obligation_modals=_codes(raw["obligation_modals"]),
        visit_codes=_words(raw["visit_codes"]),
        peacekeeping_words=_words(raw["peacekeeping_words"]),
        peacekeeping_deployment_codes=frozenset(
            _codes(dict(enumerate(raw["peacekeeping_deployment_codes"]))).values()
        ),
        sending_verbs=_words(raw["sending_verbs"]),
        peacekeeping_intent_code=_codes({"code": raw["peacekeeping_intent_code"]})["code"],
        military_subject_nouns=_words(raw["military_subject_nouns"]),
        peacekeeping_code=_codes({"code": raw["peacekeeping_code"]})["code"],
        medical_subject_nouns=_words(raw["medical_subject_nouns"]),
        natural_targets=_words(raw["natural_targets"]),
        medical_aid_code=_codes({"code": raw["medical_aid_code"]})["code"],
        failure_governors=_words(raw["failure_governors"]),
        natural_causes=_words(raw["natural_causes"]),
        exercise_nouns=_words(raw["exercise_nouns"]),
        joint_military_code=_codes({"code": raw["joint_military_code"]})["code"],
        willingness_adjectives=_words(raw["willingness_adjectives"]),
        willingness_code=_codes({"code": raw["willingness_code"]})["code"],
        place_recipient_types=frozenset(str(t).upper() for t in raw["place_recipient_types"]),
        warning_verbs=_words(raw["warning_verbs"]),
        disclosure_verbs=_words(raw["disclosure_verbs"]),
        disclosure_objects=_words(raw["disclosure_objects"]),
        unwelcome_phrase=tuple(str(w).lower() for w in raw["unwelcome_phrase"]),
        unwelcome_verbs=_words(raw["unwelcome_verbs"]),
        verdict_adjectives=_words(raw["verdict_adjectives"]),
        verdict_code=_codes({"code": raw["verdict_code"]})["code"],
        own_country_recipient_types=frozenset(
            str(t).upper() for t in raw["own_country_recipient_types"]
        ),
        background_markers=_words(raw["background_markers"]),
        travel_verbs=_words(raw.get("travel_verbs") or []),
        bare_office_nouns=_words(raw["bare_office_nouns"]),
        test_words=_words(raw["test_words"]),
        weapons_test_code=_codes({"code": raw["weapons_test_code"]})["code"],
        property_codes=frozenset(_codes(dict(enumerate(raw["property_codes"]))).values()),
        owner_verbs=_words(raw["owner_verbs"]),
        holder_nouns=_words(raw["holder_nouns"]),
        expulsion_codes=frozenset(_codes(dict(enumerate(raw["expulsion_codes"]))).values()),
        border_nouns=_words(raw["border_nouns"]),
        restriction_codes=frozenset(_codes(dict(enumerate(raw["restriction_codes"]))).values()),
        expulsion_terms_code=_codes({"code": raw["expulsion_terms_code"]})["code"],
        place_nouns=_words(raw["place_nouns"]),
        riot_subjects=_words(raw["riot_subjects"]),
        riot_from_codes=frozenset(_codes(dict(enumerate(raw["riot_from_codes"]))).values()),
        riot_code=_codes({"code": raw["riot_code"]})["code"],
        blockade_code=_codes({"code": raw["blockade_code"]})["code"],
        protest_obstruction_code=_codes({"code": raw["protest_obstruction_code"]})["code"],
        invitation_verbs=_words(raw["invitation_verbs"]),
        invitation_code=_codes({"code": raw["invitation_code"]})["code"],
        agentless_sources={
            str(prefix): tuple(str(p) for p in preps)
            for prefix, preps in raw["agentless_sources"].items()
        },
        own_forces_roots={
            str(prefix): tuple(str(p) for p in preps)
            for prefix, preps in raw["own_forces_roots"].items()
        },
        object_control_verbs=_words(raw["object_control_verbs"]),
        body_withdrawal_words=_words(raw["body_withdrawal_words"]),
        body_withdrawal_code=_codes({"code": raw["body_withdrawal_code"]})["code"],
    )
