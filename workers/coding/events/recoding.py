"""Acts recoded or added by what the rest of the sentence says: troops arriving, orders to
leave, joint acts, violence aimed at a natural cause, obligations ("X said Y must ..."),
willingness to act with another actor, and a party reporting another's violence first-hand.
The folding of one trigger into another is ``composition``'s."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from workers.coding.doctree import Node, doc_tree
from workers.coding.events.actors import actor_mention, actors_of
from workers.coding.events.arguments import (
    complement_subject_actors,
    owned_by_pronoun,
)
from workers.coding.events.parse import (
    OBJECT_DEPS,
    SUBJECT_DEPS,
    agent_objects,
    children_with,
    infinitive,
    lemma_of,
    subject_token,
)
from workers.coding.events.rules import CompositionRules, composition_rules
from workers.coding.events.triggers import Match, match_noun, tokens_with_lemma
from workers.coding.tables import Lexicon, Trigger
from workers.nlp.types import ResolvedDoc


def first_hand_report(match: Match, lex: Lexicon, resolved: ResolvedDoc) -> Node | None:
    """The speech verb of "X said (that) Y attacked Z" when X is a named actor reporting
    someone else's coercive or violent act first-hand: wire copy then reports X's claim,
    not the act. A trailing attribution ("Y attacked Z, police said"), a speaker without a
    country or the speaker's own act ("Russia said it had detained ...") keep the act."""
    rules = composition_rules()
    token = match.token
    if match.code[:2] not in rules.alleged_roots or token.dep_ != "ccomp":
        return None
    speech = token.head
    if speech.i > token.i or lemma_of(speech) not in lex.speech_verbs:
        return None
    speakers = [
        m
        for subject in children_with(speech, SUBJECT_DEPS)
        if (m := actor_mention(subject, resolved)) is not None and m.country
    ]
    if not speakers:
        return None
    subject, passive = subject_token(token)
    if subject is not None and not passive and subject.pos_ == "PRON":
        return None
    if subject is not None and not passive and owned_by_pronoun(subject):
        return None  # "the army said its troops had killed 30 fighters": the speaker's own act
    if passive and match.code[:2] == "15" and not agent_objects(token):
        # "the minister said two armies had been moved to the border": forces moved by no
        # named actor are the speaker's own (agentless mobilization, composition.yaml)
        return None
    doers = complement_subject_actors(match, resolved)
    if any(d.country == speakers[0].country for d in doers):
        return None
    return speech


def is_joint(match: Match, lex: Lexicon) -> bool:
    """A joint act ("joint naval exercises", "jointly patrol")."""
    heads = [match.token] + ([match.theme] if match.theme is not None else [])
    return any(
        c.lemma_.lower() in lex.joint_modifiers
        for head in heads
        for c in head.children
        if c.dep_ in {"amod", "advmod", "compound"}
    )


def add_obligation_demands(
    sentence: Span, matches: dict[int, Match], resolved: ResolvedDoc
) -> None:
    """ "X said Y must do Z" is X's demand (10x) of Y; "should" an appeal (02x). The
    obligated act is folded into the demand, which it refines (106 for talks, 103 for aid);
    see ``obligation_verbs`` in composition.yaml."""
    rules = composition_rules()
    for token in tokens_with_lemma(sentence, rules.obligation_verbs):
        if token.i in matches or token.pos_ != "VERB":
            continue
        for clause in children_with(token, {"ccomp"}):
            modals = [
                c.lower_
                for c in clause.children
                if c.dep_ == "aux" and c.lower_ in rules.obligation_modals
            ]
            subject, passive = subject_token(clause)
            if not modals or subject is None or passive or subject.head.i != clause.i:
                continue
            obligated = actors_of(subject, resolved)
            speakers = [
                m for s in children_with(token, SUBJECT_DEPS) for m in actors_of(s, resolved)
            ]
            if not obligated or any(
                o.canonical == s.canonical for o in obligated for s in speakers
            ):
                continue
            code = rules.obligation_modals[modals[0]]
            inner = matches.pop(clause.i, None) or Match(
                clause, Trigger(lemma=clause.lemma_.lower(), code=code), code, None
            )
            for inside in clause.subtree:  # the obligated acts are not asserted
                matches.pop(inside.i, None)
            refined = rules.governed_refinements.get(code[:2], {}).get(inner.code[:2], code)
            trigger = Trigger(lemma=token.lemma_.lower(), code=code)
            matches[token.i] = Match(token, trigger, refined, None, inner)
            break


_NAME_LABELS = frozenset({"ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"})


def in_name(token: Node, resolved: ResolvedDoc) -> bool:
    named = resolved.mention_at(token.i)
    return (
        named is not None
        and named.label in _NAME_LABELS
        and named.token_end - named.token_start > 1
    )


_COUNTRY_WORDS = frozenset({"country", "nation", "territory", "kingdom", "republic"})


def recode_expulsion_orders(matches: dict[int, Match], rules: CompositionRules) -> None:
    """ "ordered French troops to leave the country": an order to leave is an expulsion
    (``expulsion_verbs`` and ``leave_verbs`` in composition.yaml); the leaving is its
    content, not an act of its own."""
    for index, match in list(matches.items()):
        if match.trigger.pos != "VERB" or lemma_of(match.token) not in rules.expulsion_verbs:
            continue
        # "gave the ambassador 72 hours to leave": the time allowed, its clause hung on the
        # verb or on the hours
        clauses = [
            *match.token.children,
            *(c for obj in children_with(match.token, {"dobj"}) for c in obj.children),
        ]
        for child in clauses:
            if (
                child.dep_ in {"xcomp", "ccomp"}
                or (
                    child.dep_ in {"advcl", "acl", "relcl"}
                    and infinitive(child)
                    # the country, not a city: "48 hours to leave the city or face an
                    # assault" is an ultimatum (139)
                    and any(
                        o.lemma_.lower() in _COUNTRY_WORDS for o in children_with(child, {"dobj"})
                    )
                )
            ) and lemma_of(child) in rules.leave_verbs:
                matches[index] = replace(match, code=rules.expulsion_code)
                matches.pop(child.i, None)
                break


def against_natural_cause(match: Match) -> bool:
    natural = composition_rules().natural_targets
    for obj in children_with(match.token, OBJECT_DEPS):
        if {t.lemma_.lower() for t in obj.subtree} & natural:
            return True
    return False


def recode_troop_arrivals(matches: dict[int, Match]) -> None:
    """Peacekeepers arriving are peacekeeping (074), doctors and rescuers humanitarian aid
    (073), other troops arriving no visit (``visit_codes`` in composition.yaml)."""
    rules = composition_rules()
    for index, match in list(matches.items()):
        if match.code[:3] not in rules.visit_codes or match.trigger.pos != "VERB":
            continue
        subject, passive = subject_token(match.token)
        if subject is None or passive:
            continue
        words = {t.lower_ for t in subject.subtree} | {t.lemma_.lower() for t in subject.subtree}
        if words & rules.peacekeeping_words:
            matches[index] = replace(match, code=rules.peacekeeping_code)
        elif words & rules.medical_subject_nouns:
            matches[index] = replace(match, code=rules.medical_aid_code)
        elif words & rules.military_subject_nouns:
            del matches[index]


def recode_peacekeeping_deployments(matches: dict[int, Match]) -> None:
    """Troops sent for peacekeeping are peacekeeping (074): "flew 700 soldiers into Monrovia
    to reinforce the peacekeeping force", "deployed troops for the UN peacekeeping mission"
    (``peacekeeping_deployment_codes`` in composition.yaml). The words are read in the
    deployment's objects, its purpose clause and its "for"/"to join" phrases, not in the
    rest of the sentence ("troops massed near the peacekeepers' base" stays 154)."""
    rules = composition_rules()
    for index, match in list(matches.items()):
        if match.trigger.pos != "VERB":
            continue
        if (
            match.code == rules.peacekeeping_intent_code
            and lemma_of(match.token) in rules.sending_verbs
        ):
            matches[index] = replace(match, code=rules.peacekeeping_code)  # "sent peacekeepers"
            continue
        if match.code not in rules.peacekeeping_deployment_codes:
            continue
        phrases = [
            child
            for child in match.token.children
            if child.dep_ in OBJECT_DEPS
            or (child.dep_ == "prep" and child.lower_ in {"for", "with"})
            or (child.dep_ in {"advcl", "xcomp"} and infinitive(child))
        ]
        words = {
            w for phrase in phrases for t in phrase.subtree for w in (t.lower_, t.lemma_.lower())
        }
        if words & rules.peacekeeping_words:
            matches[index] = replace(match, code=rules.peacekeeping_code)


def recode_weapons_tests(matches: dict[int, Match]) -> None:
    """A weapon fired or launched as a test ("test-fired a missile") is a show of force
    (``weapons_test_code``), not an attack."""
    rules = composition_rules()
    for index, match in list(matches.items()):
        if match.code[:2] not in rules.violent_roots or match.trigger.pos != "VERB":
            continue
        if any(
            c.dep_ in {"npadvmod", "compound", "amod", "advmod"} and c.lower_ in rules.test_words
            for c in match.token.children
        ):
            matches[index] = replace(match, code=rules.weapons_test_code)


def add_willingness(sentence: Span, matches: dict[int, Match], resolved: ResolvedDoc) -> None:
    """ "X is ready to work with Y": willingness to act with another actor is AGREE (030)
    when the act itself is no trigger (``willingness_adjectives`` in composition.yaml)."""
    rules = composition_rules()
    for adjective in tokens_with_lemma(sentence, rules.willingness_adjectives):
        if _governed_by_appeal_or_threat(adjective, matches):
            # "warned Yerevan that Baku's army was ready to retake Karabakh": the readiness
            # is what is threatened (or demanded, refused), no agreement of its own
            continue
        for act in children_with(adjective, {"xcomp"}):
            if act.i in matches or act.pos_ != "VERB":
                continue
            partners = [
                m
                for child in act.children
                if child.dep_ in OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ in _WITH)
                for m in (
                    actors_of(child, resolved)
                    if child.dep_ in OBJECT_DEPS
                    else [x for p in children_with(child, {"pobj"}) for x in actors_of(p, resolved)]
                )
            ]
            if not partners:
                continue
            trigger = Trigger(
                lemma=act.lemma_.lower(),
                code=rules.willingness_code,
                target_preps=tuple(sorted(_WITH)),
            )
            matches[act.i] = Match(act, trigger, rules.willingness_code, None, intent=True)


def add_unwelcome_declarations(
    sentence: Span, matches: dict[int, Match], resolved: ResolvedDoc
) -> None:
    """ "Poland declared two Belarusian diplomats persona non grata": an expulsion (CAMEO
    166) by the declaring actor, the persons declared its theme (``unwelcome_phrase`` and
    ``unwelcome_verbs`` in composition.yaml). The small parser reads the Latin words as a
    verb with the persons as its subject, so the phrase is found by its words and its
    declaring verb up the tree."""
    rules = composition_rules()
    first, *rest = rules.unwelcome_phrase
    nodes = doc_tree(sentence.doc).nodes
    for start in tokens_with_lemma(sentence, frozenset({first})):
        end = start.i + 1 + len(rest)
        if end > sentence.end or [t.lower_ for t in nodes[start.i + 1 : end]] != rest:
            continue
        verb = start
        for _ in range(3):  # the declaring verb governs the phrase within a few links
            if lemma_of(verb) in rules.unwelcome_verbs or verb.head is verb:
                break
            verb = verb.head
        if lemma_of(verb) not in rules.unwelcome_verbs or verb.i in matches:
            continue
        declared = (
            children_with(start, SUBJECT_DEPS)
            or [obj for obj in children_with(verb, OBJECT_DEPS) if obj.i != start.i]
            # "declared U.S. Ambassador Philip Goldberg persona non grata": read as a
            # compound name of the Latin noun
            or [c for c in children_with(start, {"compound"}) if c.i < start.i]
        )
        trigger = Trigger(lemma=lemma_of(verb) or verb.lower_, code=rules.expulsion_code)
        theme = declared[0] if declared else None
        matches[verb.i] = Match(verb, trigger, rules.expulsion_code, theme)


def add_verdicts(
    sentence: Span, matches: dict[int, Match], lex: Lexicon, resolved: ResolvedDoc
) -> None:
    """ "Hunt said the seizure of the tanker was unacceptable": the speaker criticizes the
    actor of the coded act the verdict is about (``verdict_adjectives`` in composition.yaml);
    the act stays an event of its own."""
    rules = composition_rules()
    for verdict in tokens_with_lemma(sentence, rules.verdict_adjectives):
        copula = verdict.head
        if verdict.dep_ not in {"acomp", "attr"} or lemma_of(copula) != "be":
            continue
        speech = copula.head
        if copula.dep_ != "ccomp" or speech.i in matches:
            continue
        if lemma_of(speech) not in lex.speech_verbs:
            continue
        subject, _ = subject_token(copula)
        act = matches.get(subject.i) if subject is not None else None
        if act is None or act.code[:2] == rules.verdict_code[:2]:
            continue  # a verdict on no coded act ("the situation was unacceptable")
        trigger = Trigger(lemma=lemma_of(verdict) or verdict.lower_, code=rules.verdict_code)
        matches[speech.i] = Match(speech, trigger, rules.verdict_code, None, act, allegation=True)


_WITH = frozenset({"with", "to", "for"})


def _governed_by_appeal_or_threat(token: Node, matches: dict[int, Match]) -> bool:
    """Whether a verb coded as an appeal, a demand, a refusal or a threat governs the
    token's clause (``governed_refinements`` in composition.yaml)."""
    governing = composition_rules().governed_refinements
    current = token
    while current.head.i != current.i:
        current = current.head
        found = matches.get(current.i)
        if found is not None and found.trigger.pos == "VERB" and found.code[:2] in governing:
            return True
    return False


def add_claimed_attacks(matches: dict[int, Match], lex: Lexicon) -> None:
    """ "Al-Shabaab claimed responsibility for a suicide blast": the claimant's attack, beside
    the claim (015, which CAMEO codes and PLOVER has no type for). The PLOVER manual codes
    the act a claim of responsibility reports, with the claimant as its source."""
    violent = composition_rules().violent_roots
    for match in list(matches.values()):
        if match.code != "015" or match.trigger.pos != "VERB":
            continue
        for obj in children_with(match.token, OBJECT_DEPS):
            if lemma_of(obj) != "responsibility":
                continue
            for prep in obj.children:
                if prep.dep_ != "prep" or prep.lower_ != "for":
                    continue
                for act in children_with(prep, {"pobj"}):
                    claimed = matches.get(act.i) or match_noun(act, lex)
                    if claimed is not None and claimed.code[:2] in violent:
                        # keyed by the act's noun, the claim keeps its own token's place;
                        # at the claim's verb, the attack takes the claimant as its source
                        trigger = Trigger(lemma=match.trigger.lemma, code=claimed.code)
                        matches[act.i] = Match(match.token, trigger, claimed.code, match.theme)


def recode_protest_violence(matches: dict[int, Match], rules: CompositionRules) -> None:
    """Violence by a crowd is a riot (145); a blockade made "in protest" obstructs passage
    (144): both are protests, not attacks or military blockades (``riot_subjects``)."""
    for index, match in list(matches.items()):
        if match.trigger.pos != "VERB":
            continue
        if match.code in rules.riot_from_codes:
            subject, passive = subject_token(match.token)
            if subject is not None and not passive and lemma_of(subject) in rules.riot_subjects:
                matches[index] = replace(match, code=rules.riot_code)
        elif match.code == rules.blockade_code and _in_protest(match.token):
            matches[index] = replace(match, code=rules.protest_obstruction_code)


def _in_protest(verb: Node) -> bool:
    """ "blockaded the roads (with tractors) in protest": the phrase on the verb or on one
    of its own noun phrases, not on another clause's verb."""
    for token in verb.subtree:
        if lemma_of(token) != "protest" or token.dep_ != "pobj" or token.head.lower_ != "in":
            continue
        current = token.head.head
        while current.i != verb.i and current.pos_ not in {"VERB", "AUX"}:
            current = current.head
        if current.i == verb.i:
            return True
    return False


def add_body_withdrawals(
    sentence: Span, matches: dict[int, Match], resolved: ResolvedDoc, rules: CompositionRules
) -> None:
    """ "Burundi withdrew from the International Criminal Court": leaving an international
    body is a reduction of relations with it (``body_withdrawal_*`` in composition.yaml),
    whatever the token was matched as, or if it was not."""
    for token in tokens_with_lemma(sentence, rules.body_withdrawal_words):
        heads = [token, *(c for c in token.children if c.dep_ == "prt" or c.lower_ == "out")]
        for head in heads:
            preps = [p for p in children_with(head, {"prep"}) if p.lower_ in {"from", "of"}]
            bodies = [
                pobj
                for prep in preps
                for pobj in children_with(prep, {"pobj"})
                if _international_body(pobj, resolved)
            ]
            if bodies:
                trigger = Trigger(
                    lemma=token.lemma_.lower(),
                    code=rules.body_withdrawal_code,
                    pos="NOUN" if token.pos_ == "NOUN" else "VERB",
                    target_preps=("from", "of"),
                )
                matches[token.i] = Match(token, trigger, rules.body_withdrawal_code, bodies[0])
                break


def _international_body(token: Node, resolved: ResolvedDoc) -> bool:
    """The token is, or is the head of a phrase naming, an international organization."""
    for t in (token, *(c for c in token.children if c.dep_ in {"compound", "amod"})):
        mention = resolved.mention_at(t.i)
        if mention is not None and (mention.country == "IGO" or mention.role == "IGO"):
            return True
    return False
