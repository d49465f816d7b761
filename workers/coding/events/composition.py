"""Composition: folding governed triggers into their governor ("refused to meet" -> 125)."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from workers.coding.doctree import Node
from workers.coding.events.actors import actors_at
from workers.coding.events.modality import is_unasserted
from workers.coding.events.parse import (
    CONDITIONAL_MARKS,
    OBJECT_DEPS,
    SUBJECT_DEPS,
    asked_clause,
    children_with,
    infinitive,
    lemma_of,
    subject_token,
)
from workers.coding.events.recoding import (
    add_body_withdrawals,
    add_claimed_attacks,
    add_obligation_demands,
    add_unwelcome_declarations,
    add_verdicts,
    add_willingness,
    against_natural_cause,
    first_hand_report,
    in_name,
    is_joint,
    recode_expulsion_orders,
    recode_peacekeeping_deployments,
    recode_protest_violence,
    recode_troop_arrivals,
    recode_weapons_tests,
)
from workers.coding.events.rules import CompositionRules, composition_rules
from workers.coding.events.triggers import (
    Match,
    candidate_tokens,
    match_noun,
    match_token,
    theme_heads,
    verb_match,
)
from workers.coding.tables import Lexicon, Trigger
from workers.nlp.types import ResolvedDoc

_APPEAL_ROOTS = frozenset({"02", "10"})  # appeals and demands
_INTENT_ROOTS = frozenset({"03", "13"})  # promises and threats
_PERMISSION_CODE = "086"  # allowing international involvement
_REFUSAL_AND_THREAT_ROOTS = frozenset({"12", "13"})
_DENIAL_CODE = "016"  # "denied the accusations"


def coded_matches(sentence: Span, lex: Lexicon, resolved: ResolvedDoc) -> list[Match]:
    """Trigger matches of a sentence, governed triggers folded into their governor."""
    rules = composition_rules()
    matches: dict[int, Match] = {}
    verb_matches: dict[int, Match | None] = {}  # each candidate's verb reading, made once
    for token in candidate_tokens(sentence, lex):
        if token.pos_ == "PROPN" and in_name(token, resolved):
            continue  # "the Organisation of Islamic Cooperation": a word of a name, no act
        match = match_token(token, lex, resolved, verb_matches)
        if match is not None and not is_unasserted(token, lex):
            matches[token.i] = match
    recode_troop_arrivals(matches)
    recode_peacekeeping_deployments(matches)
    recode_weapons_tests(matches)
    add_body_withdrawals(sentence, matches, resolved, rules)
    recode_expulsion_orders(matches, rules)
    recode_protest_violence(matches, rules)
    for index, match in list(matches.items()):
        # "fight the coronavirus", "battled the blaze": violence against a natural cause is
        # no act against anyone (``natural_targets`` in composition.yaml)
        if match.code[:2] in rules.violent_roots and against_natural_cause(match):
            del matches[index]
    for index, match in list(matches.items()):
        # "its long-threatened invasion": a participle modifying an event noun describes
        # that event; it is not an event of its own, and does not take the noun as theme.
        if match.token.dep_ == "amod" and match.token.head.i in matches:
            del matches[index]
    consumed: set[int] = {
        m.theme.i
        for m in matches.values()
        if m.theme is not None and not _denied_accusation(m, matches)
    }
    for index, match in matches.items():
        if _reason_of_reaction(match, matches):
            consumed.add(index)
    for index, match in list(matches.items()):
        if match.code[:2] in {"15", "19"} and is_joint(match, lex):
            # "began joint naval exercises", "launched joint operations against insurgents":
            # military cooperation (CAMEO 062), not a show of force or an attack
            matches[index] = replace(match, code="062")
    for index, match in matches.items():
        # "shelled the town, killing eight": the participle is the same attack's toll; so
        # are the prisoners it took ("killing 15 soldiers and taking dozens prisoner")
        head = match.token.head
        if (
            match.token.dep_ in {"advcl", "conj"}
            and match.token.tag_ == "VBG"
            and head.i in matches
            and head.i != index
            and (match.code[:2] in rules.violent_roots or match.code[:2] == "17")
            and matches[head.i].code[:2] in rules.violent_roots
        ):
            consumed.add(index)
        if (
            match.token.dep_ in {"advcl", "conj"}
            and match.token.tag_ == "VBG"
            and head.i in matches
            and head.i != index
            and match.code == rules.expulsion_terms_code
            and matches[head.i].code in rules.expulsion_codes
        ):
            # "expelled the envoy, giving her 24 hours to leave": the expulsion's terms
            consumed.add(index)
        if (
            match.token.dep_ in {"advcl", "conj"}
            and match.token.tag_ == "VBG"
            and head.i in matches
            and head.i != index
            and match.code[:2] == "10"
            and matches[head.i].code in rules.restriction_codes
        ):
            # "imposed a curfew, ordering residents to stay indoors": the curfew's terms
            consumed.add(index)
        if (
            match.token.dep_ == "advcl"
            and match.token.tag_ == "VBG"
            and head.i in matches
            and head.i != index
            and match.code[:2] == "08"
        ):
            # "Bowing to pressure, the junta freed prisoners": the yielding is the act the
            # participle introduces, coded by that act
            consumed.add(index)
        if (
            match.code[:3] in {"042", "043"}
            and lemma_of(match.token) in rules.travel_verbs
            and any(
                # "flew to Riyadh, his third visit to the capital": the parser hangs the
                # visit that restates the trip off the verb as its object
                d.i not in matches or matches[d.i].code[:2] != "04"
                for d in children_with(match.token, {"dobj"})
            )
        ):
            # "flew them to Washington": carrying someone somewhere is no visit
            consumed.add(index)
        if (
            match.code[:2] == "02"
            and lemma_of(match.token) in lex.naming_verbs
            and children_with(match.token, {"oprd"})
        ):
            # "calling the move the end of the armed campaign": naming, no appeal
            consumed.add(index)
        if (
            match.token.dep_ == "acl"
            and match.token.tag_ == "VBN"
            and head.dep_ in OBJECT_DEPS
            and head.head.i in matches
            and head.head.i != index
        ):
            # "freed two women held hostage", "released reporters detained last year": the
            # participle describes the object of the act, it is no act of its own
            consumed.add(index)
        governor = _governing_trigger(match.token, matches)
        if governor is not None and governor.i != index:
            consumed.add(index)
    for index, match in list(matches.items()):
        if index not in matches:
            continue
        if _withholds_comment(match, lex, rules):
            del matches[index]
            consumed.update(t.i for t in match.token.subtree if t.i != index)
            continue
        inner = (
            _inner_trigger(match, lex, resolved, verb_matches)
            if match.trigger.pos == "VERB" or _asking_noun(match)
            else None
        )
        if inner is None:
            if match.trigger.complement or _warns_of_a_state(match, rules):
                del matches[index]
            elif (
                match.code[:2] in _APPEAL_ROOTS
                or match.code[:2] in _REFUSAL_AND_THREAT_ROOTS
                or match.code[:3] == _PERMISSION_CODE
            ) and match.trigger.pos == "VERB":
                # "urged China to use its influence to end the war": what is appealed for
                # is not asserted, even when its own verb codes nothing; nor is what is
                # permitted ("allowed aid agencies to deliver food": 0863, not also aid),
                # refused or threatened ("refused to let the mission conduct inquiries")
                for child in match.token.children:
                    if (child.dep_ in {"xcomp", "advcl"} and infinitive(child)) or (
                        child.dep_ in {"ccomp", "dobj"} and match.code[:2] in _APPEAL_ROOTS
                    ):
                        # ("demanded a halt to the attacks": nor are the acts of its object)
                        # ("demanded that all parties respect the embargo": a that-clause too)
                        consumed.update(t.i for t in child.subtree if t.i != index)
            continue
        outer_root, inner_root = match.code[:2], inner.code[:2]
        if _warns_of_another(match, inner, resolved, rules):
            # "officials warned that Baghdad could strike": a forecast of another's act
            del matches[index]
            consumed.add(inner.token.i)
            continue
        if (
            outer_root == "10"
            and inner.trigger.pos == "NOUN"
            and inner_root in rules.material_roots
            and lemma_of(match.token) in lex.light_verbs
        ):
            # "ordered the expulsion of 60 diplomats": a material act ordered is the act;
            # "ordered an investigation" stays a demand.
            del matches[index]
            continue
        if lemma_of(match.token) in lex.desire_verbs and _addressed(match, inner):
            # "Obama wants Putin to attack": an appeal to Putin, the attack not asserted.
            code = rules.governed_refinements["02"].get(inner_root, "020")
            matches[index] = Match(match.token, match.trigger, code, match.theme, inner)
            consumed.add(inner.token.i)
            continue
        if lemma_of(match.token) in lex.allegation_verbs:
            if inner_root in rules.conflict_roots:
                matches[index] = Match(
                    match.token, match.trigger, match.code, match.theme, inner, allegation=True
                )
                consumed.add(inner.token.i)
            elif match.trigger.complement:
                del matches[index]  # "claimed that it had signed a deal": not an accusation
            continue
        if outer_root == "03" and (
            match.token.lemma_.lower() in rules.pledge_lemmas
            or lemma_of(match.token) in lex.desire_verbs
        ):
            if inner_root in rules.intent_codes:
                code = rules.intent_codes[inner_root]
            elif inner_root in {"18", "19", "20"}:
                code = "138"
            elif inner_root == "15" and match.token.lemma_.lower() in rules.cooperative_pledges:
                code = rules.pledged_force_code  # "offered to send troops to the force"
            else:
                del matches[index]  # "vowed to investigate": the inner act codes it, as intent
                continue
            matches[index] = Match(match.token, match.trigger, code, match.theme, inner, True)
            consumed.add(inner.token.i)
            continue
        if match.code[:3] == _PERMISSION_CODE and inner.trigger.pos == "VERB":
            # "allowed aid agencies to deliver food": what is permitted is not asserted
            consumed.update(t.i for t in inner.token.subtree if t.i != index)
            continue
        refinement = rules.governed_refinements.get(outer_root, {}).get(inner_root)
        if inner_root == "04" and lemma_of(match.token) in rules.invitation_verbs:
            refinement = rules.invitation_code
        if refinement is not None:
            matches[index] = Match(match.token, match.trigger, refinement, match.theme, inner)
        if outer_root in rules.governed_refinements:
            consumed.add(inner.token.i)
            if outer_root in {"02", "10"} and inner.trigger.pos == "VERB":
                # what is appealed for or demanded is not asserted, nor are the acts of
                # its clause ("urged Israel to halt strikes and allow aid in")
                consumed.update(t.i for t in inner.token.subtree if t.i != index)
            if refinement is None:
                matches[index] = Match(match.token, match.trigger, match.code, match.theme, inner)
    for index in consumed:
        matches.pop(index, None)
    _drop_restated_nouns(matches)
    add_obligation_demands(sentence, matches, resolved)
    add_willingness(sentence, matches, resolved)
    add_unwelcome_declarations(sentence, matches, resolved)
    add_claimed_attacks(matches, lex)
    add_verdicts(sentence, matches, lex, resolved)
    for match in list(matches.values()):
        speech = first_hand_report(match, lex, resolved)
        if speech is not None and speech.i not in matches:
            # "Armenia said a rocket was launched at its village from across the border": the
            # speaker's claim.
            trigger = Trigger(lemma=speech.lemma_.lower(), code="112")
            matches[speech.i] = Match(speech, trigger, "112", None, match, allegation=True)
            # "were killed in an air strike by ...", but not a conjoined clause of its own
            # ("..., and the ministry demanded a halt")
            own_clauses = {
                t.i
                for c in match.token.children
                if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}
                for t in c.subtree
            }
            for inside in match.token.subtree:
                if inside.i not in own_clauses:
                    matches.pop(inside.i, None)
    return [matches[i] for i in sorted(matches)]


def _denied_accusation(match: Match, matches: dict[int, Match]) -> bool:
    """ "Uzbekistan denied Kyrgyz accusations that ...": the accusation denied was made, an
    accusation (11x) of its owner's, beside the denial (016)."""
    theme = match.theme
    return (
        match.code[:3] == _DENIAL_CODE
        and theme is not None
        and theme.i in matches
        and matches[theme.i].code[:2] == "11"
    )


def _warns_of_a_state(match: Match, rules: CompositionRules) -> bool:
    """ "Officials warned that thousands were at risk": a warning of how things are, no
    act of the speaker's or anyone's in its clause (no trigger there, no future or modal
    verb, nobody warned), is a statement, not a threat (CAMEO 13: a threatened action;
    ``warning_verbs`` in composition.yaml)."""
    if match.code[:2] != "13" or lemma_of(match.token) not in rules.warning_verbs:
        return False
    clauses = children_with(match.token, {"ccomp"})
    if not clauses or children_with(match.token, {"dobj", "dative"}):
        return False
    modals = rules.future_aux | rules.speculative_aux
    return not any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in modals
        for clause in clauses
        for c in clause.children
    )


def _withholds_comment(match: Match, lex: Lexicon, rules: CompositionRules) -> bool:
    """ "declined to comment", "refused to say where he was", "declined to give details":
    a speaker keeping information back is no rejection (``disclosure_verbs``)."""
    if match.trigger.pos != "VERB" or lemma_of(match.token) not in lex.reject_verbs:
        return False
    for clause in children_with(match.token, {"xcomp"}):
        if not infinitive(clause):
            continue
        if lemma_of(clause) in rules.disclosure_verbs:
            return True
        if any(lemma_of(o) in rules.disclosure_objects for o in children_with(clause, {"dobj"})):
            return True  # "declined to give details", "refused to release the names"
    return False


def _warns_of_another(
    match: Match, inner: Match, resolved: ResolvedDoc, rules: CompositionRules
) -> bool:
    """ "U.S. officials warned that Baghdad could strike": a warning that a state or group
    named by its own name will act forecasts that actor's act; it is no threat of the
    speaker's (CAMEO 13: the source threatens its own action), and the act is not
    reported as happening. ("Moscow warned that it would retaliate", "warned that its
    forces would strike" are threats: a pronoun or the speaker's own forces act.)"""
    if lemma_of(match.token) not in rules.warning_verbs or inner.trigger.pos != "VERB":
        return False
    if inner.code[:2] == "13":
        return False  # "warned that Israel would face consequences": the warner's threat
    if inner.token.dep_ != "ccomp" or inner.token.head.i != match.token.i:
        return False
    subject, passive = subject_token(inner.token)
    if subject is None or passive or subject.pos_ != "PROPN":
        return False
    forecast = resolved.mention_at(subject.i)
    if forecast is None:
        return False
    warner, _ = subject_token(match.token)
    if warner is None and match.token.dep_ in {"advcl", "conj"}:
        warner, _ = subject_token(match.token.head)  # "officials said, warning that ..."
    own = actors_at(warner, resolved) if warner is not None else []
    # "Pakistan's minister warned that Islamabad could strike": the speaker's own state
    return not any(m.country is not None and m.country == forecast.country for m in own)


def _drop_restated_nouns(matches: dict[int, Match]) -> None:
    """An event noun in the object of a verb that codes the same act restates it: "hosted
    a new round of talks" is one consultation, "offered to host peace talks" one offer."""
    verbs: dict[int, str] = {}
    for match in matches.values():
        if match.trigger.pos == "VERB":
            verbs[match.token.i] = match.code[:2]
            if match.inner is not None and match.inner.trigger.pos == "VERB":
                verbs[match.inner.token.i] = match.inner.code[:2]
    for index, match in list(matches.items()):
        if match.trigger.pos != "NOUN":
            continue
        verb = _object_of_verb(match.token)
        if verb is not None and verb.i != index and verbs.get(verb.i) == match.code[:2]:
            del matches[index]


def _object_of_verb(noun: Node) -> Node | None:
    """The verb whose object phrase the noun heads or ends ("host a round *of talks*")."""
    current = noun
    for _ in range(4):
        if current.dep_ in OBJECT_DEPS:
            return current.head
        if current.dep_ not in {"pobj", "prep", "compound"} or current.head.i == current.i:
            return None
        current = current.head
    return None


def _governing_trigger(token: Node, matches: dict[int, Match]) -> Node | None:
    """The trigger this one only elaborates, if any: a participle or purpose clause of a
    protest ("rallied, demanding ...", "blocked roads to press the government"), a purpose
    clause of any act ("delivered missiles to help Ukraine"), or the reason gerund of a
    verdict ("accused Russia of launching raids", "condemned X for attacking"), or the
    condition of a threat or other act ("threatened to act if the West imposed sanctions").
    A condition on a non-trigger clause stays an event, marked hypothetical."""
    head = token.head
    if head.i == token.i:
        return None
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in {"of", "for"}:
        verb = head.head
        if verb.i in matches and matches[verb.i].code[:2] in {"05", "09", "11", "12"}:
            return verb
        return None
    # the clause of the trigger: its own, its light verb's ("imposed an embargo") or its
    # governor's ("if they continued to demonstrate")
    clause = token.head if token.dep_ in OBJECT_DEPS and token.pos_ == "NOUN" else token
    for _ in range(2):
        if clause.dep_ != "xcomp" or clause.head.i == clause.i:
            break
        clause = clause.head
    for _ in range(3):
        # "unless the government halts the occupation and admits monitors": a conjunct
        # is under its first conjunct's condition
        if clause.dep_ != "conj" or clause.head.i == clause.i:
            break
        clause = clause.head
    conditional = clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in clause.children
    )
    if conditional and clause is not token and clause.head.i in matches:
        return clause.head  # "could be shot if they continued to demonstrate"
    if conditional and clause.head.i not in matches:
        # "threatened to close the strait if the West imposed an embargo": the condition of
        # a threatened or promised act's clause is no event either
        governor = clause.head
        for _ in range(3):
            if governor.dep_ not in {"xcomp", "ccomp"} or governor.head.i == governor.i:
                break
            governor = governor.head
            if governor.i in matches and matches[governor.i].code[:2] in _INTENT_ROOTS:
                return governor
    if head.i not in matches and token.dep_ in {"advcl", "xcomp"}:
        # "began a hunger strike to demand access", "staged a rally, calling for ...": the
        # purpose of an event noun its light verb carries is that act's, as for a verb (the
        # parser makes such an infinitive the light verb's xcomp as often as its advcl)
        for obj in children_with(head, OBJECT_DEPS):
            if obj.i in matches and _elaborates(token, matches[obj.i], matches[token.i], True):
                return obj
        return None
    if head.i not in matches or token.dep_ not in {"advcl", "xcomp", "conj"}:
        return None
    if conditional and clause is token:
        return head  # "threatened to close the strait if the West imposed sanctions"
    return head if _elaborates(token, matches[head.i], matches[token.i]) else None


def _elaborates(token: Node, outer_match: Match, inner_match: Match, of_noun: bool = False) -> bool:
    """Whether the clause ``token`` is only the purpose or manner of ``outer_match``'s act:
    an infinitive of purpose ("delivered missiles to help Ukraine"), or a protest's
    participle of demand ("rallied, demanding ..."). ``of_noun``: the act is an event noun
    and the clause hangs off its light verb."""
    outer, inner = outer_match.code[:2], inner_match.code[:2]
    if (token.dep_ == "advcl" or of_noun) and infinitive(token):
        return outer not in composition_rules().governed_refinements
    return outer == "14" and inner in {"02", "10", "11"} and token.tag_ == "VBG"


def _asking_noun(match: Match) -> bool:
    """An appeal or demand named by a noun ("the EU's demand that ...", "a call to ...")."""
    return match.token.pos_ == "NOUN" and match.code[:2] in _APPEAL_ROOTS


def _inner_trigger(
    match: Match, lex: Lexicon, resolved: ResolvedDoc, verb_matches: dict[int, Match | None]
) -> Match | None:
    rules = composition_rules()
    # "the EU's demand that Belarus free all prisoners was repeated": the clause of the
    # appeal or demand noun, whether it is the trigger or the theme of one
    asking = [
        noun
        for noun in (match.token, match.theme)
        if noun is not None and noun.pos_ == "NOUN" and match.code[:2] in _APPEAL_ROOTS
    ]
    for child in [*match.token.children, *(c for noun in asking for c in noun.children)]:
        if (
            child.dep_ in {"xcomp", "ccomp"}
            or (
                # "threatened on Friday to slap tariffs" often parses the infinitive as advcl
                child.dep_ == "advcl"
                and infinitive(child)
                and match.code[:2] in rules.governed_refinements
            )
            or (child.head.i in {noun.i for noun in asking} and asked_clause(child))
        ):
            inner = verb_match(child, lex, resolved, verb_matches)
            if inner is not None and not (
                # "pledged to fight trafficking": no violence is promised
                inner.code[:2] in rules.violent_roots and against_natural_cause(inner)
            ):
                return inner
            if lemma_of(child) in lex.light_verbs:
                # "vowed to resume attacks", "agreed to hold talks": the light verb's
                # event noun is what is committed to
                for obj in children_with(child, OBJECT_DEPS):
                    for head in theme_heads(obj, lex):
                        inner = match_noun(head, lex)
                        if inner is not None:
                            return inner
    for obj in children_with(match.token, OBJECT_DEPS):
        for head in theme_heads(obj, lex):  # "rejected a list of demands"
            inner = match_noun(head, lex)
            if inner is not None:
                return inner
    return None


def _addressed(match: Match, inner: Match) -> bool:
    """Whether a verb of wanting addresses someone else: its own object, or a complement
    with its own subject ("wants Iran to stop")."""
    if children_with(match.token, OBJECT_DEPS):
        return True
    return any(c.dep_ in SUBJECT_DEPS for c in inner.token.children)


# A verbal reaction and the prepositions that name what it reacts to: "defended Cyprus
# *against* Turkish criticism" (052), "filed a lawsuit *over* the deportation" (115),
# "condemned Iran *for* the executions" (111), "rejected the claims *about* ...".
_OBJECT_REACTION_ROOTS = frozenset({"11", "14"})  # accusations and protests
_REACTION_PREPS: dict[str, frozenset[str]] = {
    "05": frozenset({"against"}),
    "09": frozenset({"over", "for", "about"}),
    "11": frozenset({"over", "for", "about"}),
    "12": frozenset({"over", "about"}),
    "17": frozenset({"over", "for"}),  # "arrested three suspects over the bombing"
}


def _reason_of_reaction(match: Match, matches: dict[int, Match]) -> bool:
    """Whether an event noun only names what another act reacts to: the act defended
    against, complained of or rejected is its reason, not an event the sentence reports
    (the PLOVER records code the reaction alone)."""
    token = match.token
    if match.trigger.pos != "NOUN":
        return False
    if token.dep_ in {"dobj", "obj"}:
        # "rallied to protest the bombing", "condemned the killings": what is protested or
        # condemned is that act's object (its reason), not an act the sentence reports
        verb = token.head
        return (
            verb.i in matches
            and verb.i != token.i
            and matches[verb.i].code[:2] in _OBJECT_REACTION_ROOTS
        )
    if token.dep_ != "pobj":
        return False
    prep = token.head
    holder = prep.head  # the reacting verb, or its object ("a lawsuit over ...")
    for reacting in (holder, holder.head if holder.dep_ in OBJECT_DEPS else None):
        if reacting is None or reacting.i not in matches or reacting.i == token.i:
            continue
        preps = _REACTION_PREPS.get(matches[reacting.i].code[:2])
        if preps is not None and prep.lower_ in preps:
            return True
    return False
