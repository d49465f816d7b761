"""Actors at a token: the resolved mentions a word of the parse stands for.

A token's actor is the mention at it, or the nearest one it governs through modifiers,
"of"/"from"/"for" phrases or a prepositional object ("the foreign minister of Iran"); a
role noun with its own "of" country is that country's ("the president of Armenia").
Conjuncts give one actor each. Which tokens are a trigger's source and target is
``workers.coding.events.arguments``; this module only says who a token is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from workers.coding.doctree import Node
from workers.coding.events.parse import MODIFIER_DEPS, children_with, conjuncts, relative_antecedent
from workers.coding.events.rules import composition_rules
from workers.nlp.types import Mention, ResolvedDoc

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class ActorRef:
    mention: Mention
    via: str  # parse | speaker | previous


def _is_actor(mention: Mention | None) -> bool:
    return mention is not None and (mention.is_actor or mention.label in ACTOR_LABELS)


def _coordinated_modifiers(token: Node, resolved: ResolvedDoc) -> list[Mention]:
    """Actors of coordinated modifiers of one head noun: "US and British activists"."""
    for child in token.children:
        if child.dep_ not in {"nmod", "amod", "compound"}:
            continue
        chain = conjuncts(child)
        if len(chain) < 2:
            continue
        mentions = [resolved.mention_at(t.i) for t in chain]
        actors = [m for m in mentions if m is not None and _is_actor(m)]
        if len(actors) == len(chain) and len({m.canonical for m in actors}) > 1:
            return actors
    return []


def actor_mention(token: Node, resolved: ResolvedDoc, depth: int = 3) -> Mention | None:
    """The actor mention at the token, or the nearest one governed through modifiers/'of'."""
    mention = resolved.mention_at(token.i)
    if mention is None and depth > 0 and token.lemma_.lower() in composition_rules().border_nouns:
        other = _other_side(token, resolved)
        if other is not None:
            return other
    if mention is not None and _is_actor(mention):
        if token.pos_ == "NOUN" and depth > 0:
            # "the president of Armenia": a role noun with its own "of" country is that
            # country's office holder, whatever the mention's coreference says.
            owner = _of_country(token, resolved)
            if owner is not None and owner.country not in {None, mention.country}:
                return _held_by(mention, owner)
        if (mention.label == "ORG" or (mention.kb_id is None and mention.country is None)) and (
            depth > 0
        ):
            # "Pakistan's Foreign Office": an office the gazetteer knows as one state's
            # (the UK's) is the possessor state's own when a country owns it; so is a name
            # it does not know at all ("Russia's Gazprom", which the model tags a GPE)
            owner = _possessor_country(token, resolved)
            if owner is not None and owner.country != mention.country:
                return _held_by(mention, owner)
        if (
            mention.country is None
            and (mention.role is not None or mention.label == "PERSON")
            and depth > 0
        ):
            # "dissidents from military-ruled Myanmar": the role noun takes the country
            # found in its own phrase; "former Bolivian army commander General Hugo Banzer",
            # "U.S. envoy Zalmay Khalilzad": a person the gazetteer does not know is of the
            # country his own title phrase names (PLOVER codes an individual by the state
            # they act for), with that phrase's role ("army" MIL) where it gives one
            inner = _modifier_actor(token, resolved, depth, mention)
            if inner is not None and inner.country is not None:
                code = (
                    inner.actor_code
                    if inner.role is not None
                    else inner.country + (mention.role or "")
                )
                return replace(mention, country=inner.country, actor_code=code)
        return mention
    if depth == 0:
        return None
    return _modifier_actor(token, resolved, depth, None)


def _other_side(border: Node, resolved: ResolvedDoc) -> Mention | None:
    """The state a border is "with": "Venezuela's border with Colombia" -> Colombia."""
    for prep in children_with(border, {"prep"}):
        if prep.lower_ == "with":
            for pobj in children_with(prep, {"pobj"}):
                found = resolved.mention_at(pobj.i)
                if found is not None and found.country:
                    return found
    return None


def _held_by(mention: Mention, owner: Mention) -> Mention:
    """The mention as the office or body of the owner's country, its role kept."""
    role = mention.role or (mention.actor_code or "")[3:] or None
    return replace(
        mention,
        country=owner.country,
        role=role,
        canonical=mention.text,
        actor_code=(owner.country or "") + (role or ""),
    )


def _possessor_country(token: Node, resolved: ResolvedDoc) -> Mention | None:
    for poss in children_with(token, {"poss"}):
        found = resolved.mention_at(poss.i)
        if found is not None and found.label == "GPE" and found.country:
            return found
    return None


def _of_country(token: Node, resolved: ResolvedDoc) -> Mention | None:
    for prep in children_with(token, {"prep"}):
        if prep.lower_ == "of":
            for pobj in children_with(prep, {"pobj"}):
                found = resolved.mention_at(pobj.i)
                if found is not None and found.country and found.label in {"GPE", "NORP"}:
                    return found
    return None


def _modifier_actor(
    token: Node, resolved: ResolvedDoc, depth: int, own: Mention | None
) -> Mention | None:
    """An actor governed by the token through modifiers, 'of'/'from'/'for' or a pobj."""
    for child in token.children:
        if child.dep_ in MODIFIER_DEPS or (
            child.dep_ == "prep" and child.lower_ in {"of", "from", "for"}
        ):
            found = actor_mention(child, resolved, depth - 1)
            if found is not None and found is not own:
                return found
        elif child.dep_ == "prep" and child.lower_ == "at" and own is not None:
            # "judges at the International Criminal Court", "diplomats at NATO": an office
            # held at an organisation is the organisation's (not a place: "at the border")
            for pobj in children_with(child, {"pobj"}):
                found = actor_mention(pobj, resolved, depth - 1)
                if found is not None and found.label == "ORG" and found.country:
                    return found
        elif child.dep_ == "pobj" and token.dep_ == "prep":
            found = actor_mention(child, resolved, depth - 1)
            if found is not None and found is not own:
                return found
    return None


def actors_at(token: Node, resolved: ResolvedDoc) -> list[Mention]:
    """One actor per conjunct of the token ("Chile and Peru"), or the actors of a head
    noun's coordinated modifiers ("US and British activists")."""
    found: list[Mention] = []
    for conjunct in conjuncts(token):
        coordinated = _coordinated_modifiers(conjunct, resolved)
        candidates: list[Mention | None] = [*coordinated] or [actor_mention(conjunct, resolved)]
        for mention in candidates:
            if mention is not None and mention not in found:
                found.append(mention)
    return found


def prep_actors(token: Node, preps: Iterable[str], resolved: ResolvedDoc) -> list[Mention]:
    """The actors of the first of these prepositions (or datives) of the token that has
    any ("talks *with* Ethiopia")."""
    wanted = frozenset(preps)
    for prep in token.children:
        # (a "prt" with an object is the small parser's misread preposition: "called on
        # Moroccan authorities")
        if prep.dep_ in {"prep", "dative", "prt"} and prep.lower_ in wanted:
            for pobj in children_with(prep, {"pobj"}):
                actors = actors_at(pobj, resolved)
                if actors:
                    return actors
    return []


def actors_of(token: Node, resolved: ResolvedDoc) -> list[Mention]:
    """The actors a token stands for: its conjuncts' mentions, through modifiers and
    relative pronouns ("the group *that* seized ...": the group's)."""
    antecedent = relative_antecedent(token)
    return actors_at(antecedent if antecedent is not None else token, resolved)


def property_owner(
    noun: Node, resolved: ResolvedDoc, owner_verbs: frozenset[str], holder_nouns: frozenset[str]
) -> list[Mention]:
    """Whose the property is: the possessor or name of the noun, or the agent of its
    participle of owning ("gas fields operated by Brazil's Petrobras", "the Chinese-owned
    mine", "assets belonging to the Gaddafi family"). ``holder_nouns`` ("control") are
    looked through to what they are of ("took control of the fields")."""
    if noun.lemma_.lower() in holder_nouns:
        inner = [
            pobj
            for prep in children_with(noun, {"prep"})
            if prep.lower_ == "of"
            for pobj in children_with(prep, {"pobj"})
        ]
        if not inner:
            return []
        noun = inner[0]
    for child in noun.children:
        if child.dep_ in {"poss", "compound", "nmod"}:
            found = actors_at(child, resolved)
            if found:
                return found
        if child.dep_ == "acl" and child.lemma_.lower() in owner_verbs:
            for by in child.children:
                if by.dep_ in {"agent", "prep"} and by.lower_ in {"by", "to"}:
                    for pobj in children_with(by, {"pobj"}):
                        found = actors_at(pobj, resolved)
                        if found:
                            return found
    return []
