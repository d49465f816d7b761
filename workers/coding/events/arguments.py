"""Arguments: which actors are the source and the target of a matched trigger.

Source: the subject (through xcomp/conj chains), the "by" agent of a passive, a noun's
possessor, "between" parties or actor modifier, else the speaker of reported speech or
the previous sentence's source. Target: the direct object, a dative, a target
preposition's object, the owner of a theme, or the addressee of an appeal or demand.
Who a token is, is ``workers.coding.events.actors``.
"""

from __future__ import annotations

from workers.coding.doctree import Node
from workers.coding.events.actors import (
    ActorRef,
    actor_mention,
    actors_at,
    actors_of,
    prep_actors,
    property_owner,
)
from workers.coding.events.parse import (
    OBJECT_DEPS,
    SUBJECT_DEPS,
    agent_objects,
    asked_clause,
    children_with,
    infinitive,
    lemma_of,
    relative_antecedent,
    stray_agent_objects,
    subject_token,
)
from workers.coding.events.rules import composition_rules
from workers.coding.events.triggers import Match, match_noun, particle_of
from workers.coding.tables import Lexicon, lexicon
from workers.nlp.types import Mention, ResolvedDoc

FIRST_PERSON = frozenset({"i", "we", "us", "our", "me", "my"})
REPORTED_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "advcl", "conj"})
SYMMETRIC_ROOTS = frozenset({"04", "06", "19"})
SYMMETRIC_CODES = frozenset(
    {"030", "031", "036", "040", "046", "057", "060", "061", "062", "190", "193"}
)
_VISIT_CODES = frozenset({"042", "043"})


def _speaker(
    token: Node, lex: Lexicon, resolved: ResolvedDoc, also: frozenset[str] = frozenset()
) -> Mention | None:
    """The subject of the speech verb (or of ``also``'s verbs) the token is reported by."""
    verbs = lex.speech_verbs | also if also else lex.speech_verbs
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            break
        head = current.head
        if head.lemma_.lower() in verbs and current.dep_ in REPORTED_DEPS:
            subjects = children_with(head, SUBJECT_DEPS)
            if subjects:
                return actor_mention(subjects[0], resolved)
        current = head
    # "Russia will respond, the minister said": the speech verb hangs off the trigger.
    for child in token.children:
        if child.lemma_.lower() in lex.speech_verbs and child.dep_ in {"parataxis", "ccomp"}:
            subjects = children_with(child, SUBJECT_DEPS)
            if subjects:
                return actor_mention(subjects[0], resolved)
    return None


def complement_subject_actors(inner: Match, resolved: ResolvedDoc) -> list[Mention]:
    """The actor doing the complement's act: its subject, or its agent in the passive; for
    an act noun, its "by" agent or owner ("the seizure of the tanker by Iran")."""
    if inner.trigger.pos == "NOUN":
        owners = children_with(inner.token, {"poss"})
        modifiers = children_with(inner.token, {"amod", "compound", "nmod"})
        return (
            prep_actors(inner.token, ("by",), resolved)
            or (actors_at(owners[0], resolved) if owners else [])
            or [m for child in modifiers for m in actors_at(child, resolved)]  # "Iranian attack"
        )
    agents = agent_objects(inner.token)
    if agents:
        return actors_at(agents[0], resolved)
    subject, passive = subject_token(inner.token)
    if subject is not None and not passive and subject.head.i == inner.token.i:
        return actors_at(subject, resolved)
    return []


def _target_actors(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    if match.allegation and match.inner is not None:
        # "Chad alleged that the rebels had raided its border posts": the accused is the
        # complement's actor.
        return complement_subject_actors(match.inner, resolved)
    if match.code[:2] in {"02", "10"} and match.inner is not None:
        # "wants Putin to attack", "demanded that Russia withdraw": the addressee.
        subject, passive = subject_token(match.inner.token)
        if subject is not None and not passive and subject.head.i == match.inner.token.i:
            addressed = actors_of(subject, resolved)
            if addressed:
                return addressed
    if match.code[:2] in {"02", "10"} and match.inner is None:
        # "Canada's demand that Iran hand over the recorders": the addressee is the asked
        # clause's subject, its act coded or not
        for noun in (match.token, match.theme):
            for clause in children_with(noun, {"acl"}) if noun is not None else []:
                subject, passive = subject_token(clause)
                if asked_clause(clause) and subject is not None and not passive:
                    if addressed := actors_of(subject, resolved):
                        return addressed
    own = _own_target_actors(match, resolved)
    if (
        not any(m.country or m.role for m in own)
        and match.code[:2] == _FORCE_POSTURE_ROOT
        and match.trigger.pos == "VERB"
    ):
        own = _readied_against(match.token, resolved) or own
    if not own and match.code in composition_rules().property_codes and match.theme is not None:
        rules = composition_rules()
        own = property_owner(match.theme, resolved, rules.owner_verbs, rules.holder_nouns)
    if not own and match.code[:3] == _ACCESS_CODE and match.trigger.pos == "VERB":
        own = _access_place(match, resolved)
    if not own and match.inner is None and match.trigger.pos == "VERB":
        own = _complement_recipients(match, resolved)
    if not own and match.inner is not None:
        own = _own_target_actors(match.inner, resolved)
        if not own:
            # "Ukraine demanded that Russia withdraw": the complement's subject.
            subject, _ = subject_token(match.inner.token)
            if subject is not None and subject.head.i == match.inner.token.i:
                own = actors_at(subject, resolved)
    if not own and match.code[:2] == _THREAT_ROOT:
        own = _condition_actors(match, resolved)
    return own


_CONDITION_MARKS = frozenset({"if", "unless"})


def _condition_actors(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    """The party whose conduct a threat is conditioned on: "threatened to stop the talks
    if the United States goes ahead with the deployment" (PLOVER THREATEN: the recipient is
    the one threatened, the party told what happens unless it complies)."""
    heads = [match.token] + ([match.inner.token] if match.inner is not None else [])
    heads += [c for c in match.token.children if c.dep_ in {"xcomp", "ccomp"}]
    for head in heads:
        for clause in children_with(head, {"advcl"}):
            if not any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in clause.children):
                continue
            subjects = children_with(clause, SUBJECT_DEPS)
            found = actors_of(subjects[0], resolved) if subjects else []
            # a party of a known state or office ("if Western powers impose": none named)
            found = [m for m in found if m.country or m.role]
            if found:
                return found
    return []


# Roots whose verb governs the act it is about in a complement: the recipient of an
# appeal or demand (02, 10) is the complement's subject ("demanded that Pyongyang halt
# its tests"); of an offer, a refusal or a threat (03, 12, 13), the party the complement's
# act is directed at ("offered to return the prisoners to Chad", "threatened to cut off
# gas to Moldova"). PLOVER manual, "actor and recipient": the recipient is the entity
# to whom the event is directed; CAMEO codebook, 02/10: the target is the party appealed
# to or demanded of.
_ADDRESSEE_ROOTS = frozenset({"02", "10"})
_COMPLEMENT_ACT_ROOTS = frozenset({"03", "12", "13"})
_COMPLEMENT_TARGET_PREPS = ("to", "with", "against", "on")


def _complement_recipients(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    """The recipient named in the complement of a governing verb whose complement is no
    trigger of its own (when it is one, composition folds it in as ``match.inner``)."""
    root = match.code[:2]
    if root not in _ADDRESSEE_ROOTS and root not in _COMPLEMENT_ACT_ROOTS:
        return []
    for clause in children_with(match.token, {"ccomp", "xcomp"}):
        if root in _ADDRESSEE_ROOTS:
            subjects = children_with(clause, SUBJECT_DEPS)
            if subjects:
                found = actors_of(subjects[0], resolved)
                if found:
                    return found
            continue
        subjects = children_with(clause, SUBJECT_DEPS)
        if clause.dep_ == "xcomp" and not subjects:
            found = _act_recipients(clause, resolved)
        elif root == _THREAT_ROOT and subjects and subjects[0].lower_ in _SELF_PRONOUNS:
            # "ECOWAS warned that it would use force to remove Gbagbo": the threatener's
            # own act, announced in a clause of its own; the party it would hit is the
            # threat's recipient (and "to remove Gbagbo" names it when "force" does not)
            found = _act_recipients(clause, resolved) or next(
                (
                    f
                    for purpose in clause.children
                    if purpose.dep_ in {"xcomp", "advcl"} and infinitive(purpose)
                    if (f := _act_recipients(purpose, resolved))
                ),
                [],
            )
        else:
            continue  # a complement with a subject of its own is that subject's act
        if found:
            return found
    return []


_THREAT_ROOT = "13"
# subjects that stand for the threatener in its own announced act ("warned that it would")
_SELF_PRONOUNS = frozenset({"it", "they", "we", "he", "she", "i"})


def _act_recipients(clause: Node, resolved: ResolvedDoc) -> list[Mention]:
    """The party an act in a complement is directed at: its object, or the object's or the
    verb's recipient phrase ("to return the prisoners to Chad")."""
    for obj in children_with(clause, OBJECT_DEPS):
        found = actors_at(obj, resolved) or prep_actors(obj, _COMPLEMENT_TARGET_PREPS, resolved)
        if found:
            return found
    return prep_actors(clause, _COMPLEMENT_TARGET_PREPS, resolved)


def _own_target_actors(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    token, trigger = match.token, match.trigger
    if trigger.pos == "NOUN":
        # "the invasion of Ukraine", "the arrest of two activists": "of" gives the
        # patient, except for meetings and visits ("the visit of the president").
        preps = (*trigger.target_preps, "against", "on")
        if match.code[:2] != "04" and lemma_of(token) not in lexicon().agentive_of_nouns:
            preps = (*preps, "of")
        # "the suspension of budget support to Uganda", "its refusal to grant visas to UN
        # investigators": the recipient named in the act's theme or its infinitive
        carriers = [
            c
            for c in token.children
            if (c.dep_ == "acl" and infinitive(c))
            or (c.dep_ == "prep" and c.lower_ == "of" and match.code[:2] != "04")
        ]
        themes = [t for c in carriers for t in (c, *children_with(c, {"pobj"})) if t.dep_ != "prep"]
        actors = next(
            (found for t in themes if (found := prep_actors(t, ("to", "for"), resolved))), []
        )
        if not actors:
            actors = prep_actors(token, preps, resolved)
        if not actors and lemma_of(token.head) in lexicon().light_verbs:
            actors = prep_actors(token.head, trigger.target_preps, resolved)
        held = _counted_by(token, lexicon())
        if not actors and held.dep_ == "pobj":
            verb = held.head.head
            if (lemma_of(verb), held.head.lower_) in lexicon().prep_light_verbs:
                # "French warships joined the Indian navy for joint exercises": the party
                # joined in the act
                actors = next(
                    (
                        found
                        for obj in children_with(verb, OBJECT_DEPS)
                        if (found := actors_at(obj, resolved))
                    ),
                    [],
                )
        return actors
    recipients = [
        m
        for child in token.children
        if child.dep_ == "dative" and child.pos_ != "ADP"
        for m in actors_at(child, resolved)
    ]
    if not recipients and match.theme is not None and match.theme.head.i == token.i:
        # "handed Turkish authorities files": the small parser reads the indirect object as
        # a second direct object before the theme
        recipients = [
            m
            for child in children_with(token, {"dobj", "obj"})
            if child.i < match.theme.i
            for m in actors_at(child, resolved)
        ]
    if recipients:
        return recipients  # "gave Malawi 12 million euros": the recipient of the aid
    if match.theme is not None:
        theme_owner = actor_mention(match.theme, resolved)
        if theme_owner is not None and not (theme_owner.country or theme_owner.role):
            # "fired Katyusha rockets into Israel": a name on the theme that is no known actor
            # (a weapon's, a ship's) does not hide the recipient in the verb's phrase
            theme_owner = None
        if theme_owner is not None:
            owners = [theme_owner]
            if match.theme.dep_ == "conj" and match.theme.head.i != match.theme.i:
                # the small parser reads "Finland's and Sweden's bids" as Finland + bids
                first = resolved.mention_at(match.theme.head.i)
                if first is not None and first.country and first not in owners:
                    owners.insert(0, first)
            for poss in children_with(match.theme, {"poss"}):
                for conjunct in poss.conjuncts:  # "Finland's and Sweden's bids"
                    other = actor_mention(conjunct, resolved)
                    if other is not None and other not in owners:
                        owners.append(other)
            return owners
        preps = (*trigger.target_preps, "from")
        if match.code[:2] in _FOR_RECIPIENT_ROOTS:
            # "voiced firm support on Wednesday for the Uzbek government": the support's
            # (or aid's) "for" phrase, hung on the verb
            preps = (*preps, "for")
        found = prep_actors(match.theme, preps, resolved) or prep_actors(token, preps, resolved)
        if not found:
            # "sent warships and bombers around Japan": the last conjunct holds the phrase
            found = next(
                (f for c in match.theme.conjuncts if (f := prep_actors(c, preps, resolved))), []
            )
        if not found and match.theme.dep_ == "pobj":
            # "asked the Tanzanians for forgiveness": the theme is the preposition's object,
            # the party addressed the verb's own
            found = next(
                (f for obj in children_with(token, OBJECT_DEPS) if (f := actors_at(obj, resolved))),
                [],
            )
        if not found and match.code[:2] in _GIVING_ROOTS:
            # "passed information about the plot to Israeli officials", "approved food aid
            # for North Korea": the recipient inside the theme's own phrase
            found = next(
                (
                    f
                    for t in match.theme.subtree
                    if t.dep_ == "prep" and t.lower_ in {"to", "for"}
                    for pobj in children_with(t, {"pobj"})
                    if (f := actors_at(pobj, resolved))
                ),
                [],
            )
        carrier = match.theme.head
        if not found and match.theme.dep_ in {"dobj", "pobj"} and carrier.dep_ in {"acl", "prep"}:
            # "sent ships carrying supplies to the Maldives": the parser hangs the
            # destination on the participle that names the cargo
            verb = carrier if carrier.dep_ == "acl" else carrier.head
            if verb.dep_ == "acl":
                found = prep_actors(verb, trigger.target_preps, resolved)
        return found
    objects = children_with(token, OBJECT_DEPS) or [
        # "denounced as an ugly crime Serbia's suppression of ...": the parser reads the
        # object after the "as" phrase as that phrase's apposition
        appos
        for prep in children_with(token, {"prep"})
        if prep.lower_ == "as"
        for pobj in children_with(prep, {"pobj"})
        for appos in children_with(pobj, {"appos"})
    ]
    if match.code[:2] in _REACTION_ROOTS:
        # "condemned the arrest of the journalist by Turkish police", "welcomed the release
        # of the sailors by Iran": a reaction to an act is directed at its agent
        for obj in objects:
            if agent := prep_actors(obj, ("by",), resolved):
                return agent
    own_resources: list[Mention] = []
    for obj in objects:
        actors = actors_at(obj, resolved)
        if actors and (_held_by_the_actor(obj) or not any(m.country or m.role for m in actors)):
            # "offered its troops to Lebanon's president": the actor's own forces are what
            # is given, and a name of no known actor ("mobilized navy reservists for a war
            # against Iraq") tells no recipient: the recipient is in the act's phrases, if
            # they name one
            own_resources = own_resources or actors
            continue
        if actors:
            return actors
    # "hosted talks with Ethiopia", "offered support to Lebanon": the object's own phrase.
    for obj in objects:
        actors = prep_actors(obj, trigger.target_preps, resolved)
        if actors:
            return actors
    found = prep_actors(token, trigger.target_preps, resolved)
    if not found and trigger.particle:
        particle = particle_of(token, trigger.particle)
        if particle is not None:
            found = prep_actors(particle, trigger.target_preps, resolved)
    return found or own_resources


_OWN_POSSESSIVES = frozenset({"its", "their", "his", "her", "our"})


def _held_by_the_actor(obj: Node) -> bool:
    """Whether an object is the actor's own ("its troops", "their weapons")."""
    return any(c.dep_ == "poss" and c.lower_ in _OWN_POSSESSIVES for c in obj.children)


_FORCE_POSTURE_ROOT = "15"
# praise, criticism and rejection (CAMEO 05, 11, 12): reactions to what another did
_REACTION_ROOTS = frozenset({"05", "11", "12"})
_PURPOSE_CONFLICT_PREPS = ("against", "with", "on")


def _readied_against(token: Node, resolved: ResolvedDoc) -> list[Mention]:
    """ "mobilized reservists for a possible war against Iraq", "put troops on alert for an
    attack on the capital": a show of force's purpose names the party it is readied against
    (CAMEO 15, PLOVER MOBILIZE: the recipient is whom the force is directed at)."""
    for prep in children_with(token, {"prep"}):
        if prep.lower_ != "for":
            continue
        for purpose in children_with(prep, {"pobj"}):
            found = prep_actors(purpose, _PURPOSE_CONFLICT_PREPS, resolved)
            if found:
                return found
    return []


def _counted_by(token: Node, lex: Lexicon) -> Node:
    """The quantity noun that counts an act ("for a week *of* joint exercises"), which holds
    the act's place in the clause; else the act itself."""
    via = token.head
    if token.dep_ == "pobj" and via.lower_ == "of" and lemma_of(via.head) in lex.quantity_nouns:
        return via.head
    return token


def _access_place(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    """ "allowed aid convoys to enter Gaza", "reopened the crossing into Gaza": the place an
    allowed entry is into."""
    if match.theme is not None:
        found = prep_actors(match.theme, ("into", "to"), resolved)
        if found:
            return found
    for clause in children_with(match.token, {"ccomp", "xcomp"}):
        found = next(
            (f for obj in children_with(clause, OBJECT_DEPS) if (f := actors_at(obj, resolved))),
            [],
        ) or prep_actors(clause, ("into", "to", "in"), resolved)
        if found:
            return found
    return []


# CAMEO 05 (support, praise) and 07 (aid): a theme that is "for" someone ("support for",
# "aid for") names its recipient
_FOR_RECIPIENT_ROOTS = frozenset({"05", "07"})
# CAMEO 064 (share information) and 07 (provide aid): acts with a recipient "to"
_GIVING_ROOTS = frozenset({"06", "07"})
# CAMEO 086 "Allow international involvement" (0861-0863: peacekeepers, inspectors, aid)
_ACCESS_CODE = "086"


def source_and_target(
    match: Match,
    lex: Lexicon,
    resolved: ResolvedDoc,
    previous: Mention | None,
    sentence_source: Mention | None = None,
) -> tuple[list[ActorRef], list[Mention], bool]:
    """Sources (with how each was found), targets, and whether the pair is reciprocal.
    ``previous`` is the source of the article's previous sentence, ``sentence_source`` of
    this sentence's earlier act."""
    token = match.token
    sources: list[ActorRef] = []
    targets = _target_actors(match, resolved)
    reciprocal = False
    if match.trigger.pos == "NOUN":
        owners = [c for c in token.children if c.dep_ == "poss"]
        between = [
            p for p in token.children if p.dep_ == "prep" and p.lower_ in {"between", "among"}
        ]
        agents = prep_actors(token, ("by",), resolved) or [
            # "the arrest of three reporters by Belarus": "by" often hangs off the patient.
            m
            for prep in children_with(token, {"prep"})
            if prep.lower_ == "of"
            for pobj in children_with(prep, {"pobj"})
            for m in prep_actors(pobj, ("by",), resolved)
        ]
        if owners:
            sources = [ActorRef(m, "parse") for m in actors_at(owners[0], resolved)]
        if owners and (sources or owners[0].pos_ != "PRON"):
            pass
        elif between:
            pobjs = children_with(between[0], {"pobj"})
            parties = [m for pobj in pobjs for m in actors_at(pobj, resolved)]
            if len(parties) < 2:
                # "talks between the foreign secretaries of India and Pakistan": the
                # offices' countries, conjoined under "of"
                owned = [
                    m
                    for pobj in pobjs
                    for of in children_with(pobj, {"prep"})
                    if of.lower_ == "of"
                    for state in children_with(of, {"pobj"})
                    for party in (state, *state.conjuncts)
                    for m in actors_at(party, resolved)
                ]
                if len({m.country for m in owned}) > 1:
                    parties = owned
            return [ActorRef(m, "parse") for m in parties], [], len(parties) > 1
        elif agents:
            sources = [ActorRef(m, "parse") for m in agents]  # "the arrest of X by Y"
        elif token.dep_ == "nsubjpass" and (
            by := [m for pobj in agent_objects(token.head) for m in actors_at(pobj, resolved)]
        ):
            # "a demand for their release was made by Norway's ambassador": the agent of the
            # verb the act noun is the passive subject of
            sources = [ActorRef(m, "parse") for m in by]
        elif lemma_of(token) in lex.agentive_of_nouns and (
            doers := prep_actors(token, ("of",), resolved)
        ):
            sources = [ActorRef(m, "parse") for m in doers]  # "the resignation of the minister"
        elif (held := _counted_by(token, lex)).dep_ in OBJECT_DEPS and (
            lemma_of(held.head) in lex.light_verbs
        ):
            # "began war games", "began a week of war games": the light verb's subject
            subject, _ = subject_token(held.head)
            if subject is not None:
                sources = [ActorRef(m, "parse") for m in actors_at(subject, resolved)]
        elif (held := _counted_by(token, lex)).dep_ == "pobj" and (
            lemma_of(held.head.head),
            held.head.lower_,
        ) in lex.prep_light_verbs:
            # "the militia was engaged in forced expulsions": the light verb's subject.
            subject, _ = subject_token(held.head.head)
            if subject is not None:
                sources = [ActorRef(m, "parse") for m in actors_at(subject, resolved)]
        if not sources:
            # "Israeli shelling", "US sanctions": an actor modifier of the noun itself.
            modifiers = [
                m
                for child in token.children
                if child.dep_ in {"amod", "compound", "nmod"}
                for m in actors_at(child, resolved)
            ]
            sources = [ActorRef(m, "parse") for m in modifiers]
        if not sources:
            return [], targets, False
        if (
            not targets
            and match.code[:2] == "11"
            and token.dep_ in OBJECT_DEPS
            and lemma_of(token.head) in _DENIAL_VERBS
        ):
            # "Uzbekistan denied Kyrgyz accusations": the accused is who denies them
            denier, _ = subject_token(token.head)
            if denier is not None:
                source_names = {ref.mention.canonical for ref in sources}
                targets = [
                    m for m in actors_at(denier, resolved) if m.canonical not in source_names
                ]
        if not targets and match.code[:3] in _VISIT_CODES and token.dep_ in OBJECT_DEPS:
            # "Japan welcomed the visit by the Indian prime minister": the host, the
            # governing verb's subject, receives the visit.
            host, _ = subject_token(token.head)
            if host is not None:
                source_names = {ref.mention.canonical for ref in sources}
                targets = [m for m in actors_at(host, resolved) if m.canonical not in source_names]
    elif match.trigger.speaker_threat:
        # "Pyongyang warned that Seoul would pay a heavy price": the speaker threatens the
        # subject; said by no one, it is a forecast
        subject, _ = subject_token(token)
        speaker = _speaker(token, lex, resolved, composition_rules().pledge_lemmas)
        if subject is None or speaker is None:
            return [], [], False
        return [ActorRef(speaker, "speaker")], actors_of(subject, resolved), False
    elif match.trigger.inverse:
        # "Georgia received assurances from Russia": the giver is the source.
        subject, _ = subject_token(token)
        givers = _inverse_sources(match, resolved)
        if subject is None or not givers:
            return [], [], False
        return [ActorRef(m, "parse") for m in givers], actors_of(subject, resolved), False
    else:
        subject, passive = subject_token(token)
        agent_tokens = agent_objects(token)
        # A passive trigger whose subject is shared with an active verb ("the civilians
        # imprisoned ... were released by Putin") still has its patient as subject; a past
        # participle modifying a noun ("a member jailed last year", "Israeli-occupied") is
        # passive too: without a "by" agent it has no source.
        passive = (
            passive
            or bool(agent_tokens)
            or any(c.dep_ == "auxpass" for c in token.children)
            or (token.tag_ == "VBN" and token.dep_ in {"acl", "amod"})
        )
        relative = subject is not None and relative_antecedent(subject) is not None
        if relative and not passive and subject is not None:
            antecedent = relative_antecedent(subject)
            # "the group that seized Mosul": the antecedent, never the speaker.
            sources = [
                ActorRef(m, "parse")
                for m in (actors_at(antecedent, resolved) if antecedent else [])
            ]
            subject = None
            passive = True  # no speaker/previous fallback below
        elif passive and subject is not None:
            asked = match.code[:2] in {"02", "10"} and (
                match.inner is not None or subject is match.theme
            )
            if match.code[:2] in _REACTION_ROOTS and (
                agent := prep_actors(subject, ("by",), resolved)
            ):
                targets = agent  # "the arrest of X by the police was condemned"
            elif not (asked and targets) or (
                subject is not match.theme and actors_at(subject, resolved)
            ):
                # a demand's addressee is its clause's subject ("the release of X was
                # demanded": X's captors), but one named as the passive's subject ("Kenya was
                # urged to withdraw its troops") is who was asked
                targets = actors_at(subject, resolved) or targets
            agent_tokens = agent_tokens or stray_agent_objects(token)
            owners = children_with(subject, {"poss"}) if _restates_theme(match, lex) else []
            if agent_tokens:
                sources = [ActorRef(m, "parse") for m in _agents(agent_tokens[0], resolved)]
            elif owners and (mine := actors_at(owners[0], resolved)):
                # "the EU's demand that ... was repeated": the act noun's owner made it
                sources = [ActorRef(m, "parse") for m in mine]
                targets = [m for m in targets if m not in mine]
            else:
                sources, targets = _agentless_passive(match, subject, targets, lex, resolved)
        elif passive and agent_tokens:
            sources = [ActorRef(m, "parse") for m in actors_at(agent_tokens[0], resolved)]
        elif subject is not None:
            sources = [ActorRef(m, "parse") for m in actors_at(subject, resolved)]
            if not any(ref.mention.country for ref in sources) and subject.pos_ == "NOUN":
                # "an attack by the Taliban killed nine soldiers", "Katyusha rockets fired by
                # Hezbollah hit the town": the act or weapon named as subject carries its doer
                sources = [ActorRef(m, "parse") for m in _agents(subject, resolved)]
            unnamed = all(ref.mention.country is None for ref in sources)
            if unnamed and owned_by_pronoun(subject) and sentence_source is None:
                # "the army said its soldiers had killed ...": the speaker's own forces
                speaker = _speaker(token, lex, resolved)
                if speaker is not None and speaker.country:
                    sources = [ActorRef(speaker, "speaker")]
            elif not sources and (subject.pos_ == "PRON" or _own_country_noun(subject)):
                speaker = _speaker(token, lex, resolved)
                if speaker is not None:
                    sources = [ActorRef(speaker, "speaker")]
                elif previous is not None and subject.lower_ not in FIRST_PERSON | {"you"}:
                    sources = [ActorRef(previous, "previous")]
            elif (
                (story_state := sentence_source or previous) is not None
                and story_state.country
                and all(ref.mention.country is None for ref in sources)
                and _bare_office(subject, resolved)
            ):
                # "Venezuela massed troops, and the president warned Bogota": an office named
                # by its title alone is the office of the state the story is about
                sources = [ActorRef(story_state, "previous")]
        if not sources and subject is None and not passive:
            speaker = _speaker(token, lex, resolved)
            if speaker is not None:
                sources = [ActorRef(speaker, "speaker")]
    if sources and targets and own_forces_preps(match.code) is not None:
        targets = _own_forces_mobilized(match, sources, targets, resolved)
    if (
        len(sources) > 1
        and not targets
        and (match.code[:2] in SYMMETRIC_ROOTS or match.code in SYMMETRIC_CODES)
    ):
        reciprocal = True
    return sources, targets, reciprocal


_DENIAL_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "rebuff"})


def _agents(doer: Node, resolved: ResolvedDoc) -> list[Mention]:
    """The actors a doer token names; for an act or weapon with no country of its own, the
    doer it names (``_doers_of_instrument``)."""
    found = actors_at(doer, resolved)
    if doer.pos_ == "NOUN" and not any(m.country for m in found):
        return _doers_of_instrument(doer, resolved) or found
    return found


def _doers_of_instrument(noun: Node, resolved: ResolvedDoc) -> list[Mention]:
    """The doer a subject noun names for its act: its "by" phrase ("an attack by the
    Taliban") or the agent of the participle describing it ("a bomb planted by rebels")."""
    doers = prep_actors(noun, ("by",), resolved)
    if doers:
        return doers
    for participle in children_with(noun, {"acl"}):
        if participle.tag_ == "VBN":
            for pobj in agent_objects(participle):
                if found := actors_at(pobj, resolved):
                    return found
    return []


def _restates_theme(match: Match, lex: Lexicon) -> bool:
    """Whether the verb only restates the act its theme noun names ("the EU's demand was
    repeated", "Japan's protest was lodged"), so the noun's owner is the actor; a verb with
    an act of its own ("Russia's offer was rejected") is someone else's."""
    theme = match.theme
    if theme is None or theme.pos_ != "NOUN":
        return False
    named = match_noun(theme, lex)
    return named is not None and named.code[:2] == match.code[:2]


def owned_by_pronoun(subject: Node) -> bool:
    """ "its troops", "their forces": a subject owned by a pronoun, in reported speech the
    speaker's own."""
    return any(
        c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in {"its", "their", "our"}
        for c in subject.children
    )


def own_forces_preps(code: str) -> tuple[str, ...] | None:
    """The prepositions naming where a state's own forces are sent or withdrawn from, for
    the codes whose patient is those forces (``own_forces_roots``); None for other codes."""
    table = composition_rules().own_forces_roots
    return table.get(code[:3]) or table.get(code[:2])


def _fronts(
    heads: tuple[Node, ...], own: set[str | None], resolved: ResolvedDoc, preps: tuple[str, ...]
) -> list[Mention]:
    """Whom a mobilization faces or a withdrawal leaves: the other country of the front its
    forces are sent to, stand on or leave ("massed near the Ukrainian border", "units along
    the border with Cambodia", "withdrew its troops from Moldova")."""
    return [
        m
        for head in heads
        for prep in children_with(head, {"prep"})
        if prep.lower_ in preps
        for pobj in (
            children_with(prep, {"pobj"})  # "out of Niger": the object of the "of"
            or [p for of in children_with(prep, {"prep"}) for p in children_with(of, {"pobj"})]
        )
        for m in (actors_at(pobj, resolved) or prep_actors(pobj, ("with",), resolved))
        if m.country not in own
    ]


# Roles of a state's own armed and police forces (``nlp.resolve`` role codes)
_FORCE_ROLES = frozenset({"MIL", "COP", "SPY"})


def _own_forces_mobilized(
    match: Match, sources: list[ActorRef], targets: list[Mention], resolved: ResolvedDoc
) -> list[Mention]:
    """ "Pakistan put its air force on alert": a state's own forces mobilized are not the
    act's recipient; the front they face is, where the sentence names one."""
    own = {ref.mention.country for ref in sources}
    kept = [t for t in targets if not (t.role in _FORCE_ROLES and t.country in {None, *own})]
    preps = own_forces_preps(match.code)
    if kept or not targets or preps is None:
        return kept
    objects = tuple(children_with(match.token, OBJECT_DEPS))
    return _fronts((match.token, *objects), own, resolved, preps)


_DEPLOYED_IN_PREPS = ("in", "across", "throughout", "around")


def _agentless_passive(
    match: Match, subject: Node, targets: list[Mention], lex: Lexicon, resolved: ResolvedDoc
) -> tuple[list[ActorRef], list[Mention]]:
    """The source of a passive with no "by" agent where the sentence still names it
    (``agentless_sources`` and ``own_forces_roots`` in composition.yaml), and the target
    that goes with it; no source otherwise."""
    rules = composition_rules()
    token, code = match.token, match.code
    front_preps = own_forces_preps(code)
    if front_preps is not None and (code[:2] == "15" or code[:3] == "087"):
        # "Russian troops have been massed near the border", "Ethiopian troops were
        # withdrawn from Somalia": the forces are the actor's own
        forces = [m for m in actors_at(subject, resolved) if m.country]
        speaker = None if forces else _speaker(token, lex, resolved)
        owners = forces or ([speaker] if speaker is not None and speaker.country else [])
        if not owners and code[:2] == "15":
            # "thousands of riot police were deployed across the Kyrgyz capital": forces of
            # no named country deployed inside one are that country's, turned on its own
            places = [m for m in prep_actors(token, _DEPLOYED_IN_PREPS, resolved) if m.country]
            if places:
                return [ActorRef(places[0], "place")], [places[0]]
        if not owners:
            return [], targets
        own = {m.country for m in owners}
        kind = "parse" if forces else "speaker"
        return [ActorRef(m, kind) for m in owners], _fronts(
            (token, subject), own, resolved, front_preps
        )
    preps = next(
        (
            found
            for prefix in (code[:4], code[:3])
            if (found := rules.agentless_sources.get(prefix))
        ),
        None,
    )
    if preps is None:
        return [], targets
    # "was detained in Beijing": the authorities of the place; "was extradited from Colombia"
    places = [m for m in prep_actors(token, preps, resolved) if m.country]
    return [ActorRef(m, "place") for m in places], targets


def _inverse_sources(match: Match, resolved: ResolvedDoc) -> list[Mention]:
    """The giver of a "received/faced/came under ... from X" trigger."""
    heads = [match.token]
    if match.theme is not None:
        heads.append(match.theme)
    heads.extend(
        pobj
        for prep in children_with(match.token, {"prep"})
        if prep.lower_ == match.trigger.prep
        for pobj in children_with(prep, {"pobj"})
    )
    for head in heads:
        found = prep_actors(head, ("from", "by"), resolved)
        if found:
            return found
    return []


# "his country would cut ties": a state named by a possessive pronoun is the speaker's
_OWN_COUNTRY_NOUNS = frozenset({"country", "nation", "state", "side"})


def _own_country_noun(subject: Node) -> bool:
    """ "his country", "their nation": a pronoun for the speaker's state (CAMEO codes the
    speaker's country as the actor of what "his country" will do)."""
    return subject.lower_ in _OWN_COUNTRY_NOUNS and any(
        c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children
    )


def _bare_office(subject: Node, resolved: ResolvedDoc) -> bool:
    """ "the president", "the government", "the foreign minister": a definite office or
    authority with nothing in its phrase naming whose it is."""
    if subject.lemma_.lower() not in composition_rules().bare_office_nouns:
        return False
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children):
        return False
    return not any(
        resolved.mention_at(t.i) is not None and t.i != subject.i
        for c in subject.children
        if c.dep_ != "det"
        for t in c.subtree
    )
