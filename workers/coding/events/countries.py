"""Actor countries as the gold attaches them, applied once an event's actors are found.

Conventions (PLOVER gold-standard records, CAMEO actor codebook): a role noun takes the
dateline's country; an unknown named group takes the one country of its sentence (an
international name takes IGO); an ethnic group takes the country it is placed in; an
unattributed attack takes the attacker its own phrase names, else the country it
happened in.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pycountry

from schemas.models import Article
from workers.coding.doctree import Node, doc_tree
from workers.coding.events.actors import ActorRef, actor_mention
from workers.coding.events.parse import OBJECT_DEPS, children_with, lemma_of, subject_token
from workers.coding.events.rules import composition_rules
from workers.nlp.gazetteer import IGO_COUNTRY
from workers.nlp.places import country_name
from workers.nlp.types import Mention, ResolvedDoc


def with_dateline_country(source: ActorRef, article: Article) -> ActorRef:
    """A role actor of unknown country ("police", "the government") takes the dateline's.

    Wire copy names the country once, in the dateline ("KABUL, May 2 -"); bare role
    nouns in the story then refer to that country's institutions.
    """
    mention = source.mention
    dateline = article.dateline
    if mention.country or not mention.role or dateline is None or not dateline.country:
        return source
    country = dateline.country
    return ActorRef(
        replace(mention, country=country, actor_code=country + mention.role), source.via
    )


_INTERNATIONAL_WORDS = frozenset(
    {
        "international",
        "world",
        "global",
        "united",
        "nations",
        "european",
        "community",
        "league",
        "commission",
        "organization",
        "organisation",
        "forum",
        "cross",
        "crescent",
        "cooperation",
    }
)


def with_sentence_country(
    source: ActorRef, sentence_mentions: list[Mention], resolved: ResolvedDoc | None = None
) -> ActorRef:
    """A named group the gazetteer gives no country (a party, a rebel movement, an
    ethnic group: "the Umma party", "the Hutu rebel group") takes the one country the
    sentence names, as CAMEO actor codes give domestic groups their country's prefix
    (CAMEO actor codebook, domestic actors: country code + role); of several, the one
    the sentence places the act in. Left as it is when the sentence names no country or
    several with no single place; an international name takes IGO."""
    mention = source.mention
    if mention.country is not None:
        return source
    if _INTERNATIONAL_WORDS & set(mention.canonical.lower().split()) or (
        resolved is not None and _of_international_body(mention, resolved)
    ):
        # "The European Community", "Amnesty International": an international body the
        # gazetteer lacks is coded with the group code, as the PLOVER records code them.
        return ActorRef(replace(mention, country=IGO_COUNTRY, actor_code=IGO_COUNTRY), source.via)
    countries = {
        m.country
        for m in sentence_mentions
        if m.country and m is not mention and is_country_code(m.country)
    }
    if len(countries) > 1 and resolved is not None:
        # several countries: the one the sentence places the act in ("stormed the US
        # embassy in Tunis": the protesters are Tunisia's)
        place = place_as_source(sentence_mentions, resolved)
        countries = {place.country} if place is not None and place.country else countries
    if len(countries) != 1:
        return source
    country = countries.pop()
    return ActorRef(
        replace(mention, country=country, actor_code=country + (mention.role or "")),
        source.via,
    )


def target_country(
    target: Mention, article: Article, sentence_mentions: list[Mention], resolved: ResolvedDoc
) -> Mention:
    """The recipient takes the same actor-coding conventions as the actor: a role noun
    the dateline's country, a named group the gazetteer gives no country the one country
    its sentence names (an international name IGO). The CAMEO actor codebook codes both
    ends of a dyad alike; the PLOVER records do ("lifted the ban on the Umma party" has
    the party's country as recipient, "handed medicine to the Red Cross" IGO)."""
    ref = ActorRef(target, "parse")
    ref = with_dateline_country(ref, article)
    return with_sentence_country(ref, sentence_mentions, resolved).mention


@lru_cache(maxsize=1024)
def is_country_code(code: str) -> bool:
    """ISO 3166 alpha-3 (a state), not a group code such as IGO or NGO (pycountry's
    lookup is read once per code: it runs for every mention of every coded sentence)."""
    return pycountry.countries.get(alpha_3=code) is not None


def own_country_recipient(source: Mention, target: Mention | None) -> Mention | None:
    """The recipient of a domestic act (``own_country_recipient_types`` in
    composition.yaml): the actor's own country where the sentence names no recipient
    ("police rounded up activists"; the source's words, coded as the country alone), and
    a named recipient of no country takes the actor's ("arrested two rebel commanders")."""
    country = source.country
    if country is None or not is_country_code(country):
        return target
    if target is None:
        return replace(
            source, canonical=country_name(country) or country, role=None, actor_code=country
        )
    if target.country is None:
        return replace(target, country=country, actor_code=country + (target.role or ""))
    return target


def with_residence_country(source: ActorRef, trigger: Node, resolved: ResolvedDoc) -> ActorRef:
    """An ethnic group ("ethnic Albanians") is coded by the country the sentence places
    it or its act in ("ethnic Albanians in south Serbia", "... demonstrated in Serbia"):
    CAMEO and PLOVER code a domestic ethnic group with the country it lives in, not with
    the state its name comes from (PLOVER gold-standard records; CAMEO actor codebook,
    ethnic groups as sub-state actors of their country)."""
    mention = source.mention
    if mention.label != "NORP":
        return source
    tree = doc_tree(resolved.doc)
    span = tree.nodes[mention.token_start : mention.token_end]
    root = tree.root(mention.token_start, mention.token_end)
    noun = root if root.dep_ not in {"amod", "compound"} else root.head
    words = {t.lower_ for t in span} | {
        c.lower_ for t in (noun, *span) for c in t.children if c.dep_ == "amod"
    }
    if "ethnic" not in words:
        return source
    for holder in (noun, trigger):
        for prep in children_with(holder, {"prep"}):
            if prep.lower_ != "in":
                continue
            for pobj in children_with(prep, {"pobj"}):
                place = actor_mention(pobj, resolved)
                if (
                    place is not None
                    and place.country
                    and place.country != mention.country
                    and is_country_code(place.country)
                ):
                    country = place.country
                    code = country + (mention.role or "")
                    return ActorRef(replace(mention, country=country, actor_code=code), source.via)
    return source


_PLACE_PREPS = frozenset({"in", "near", "at", "outside", "across"})


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def place_as_source(sentence_mentions: list[Mention], resolved: ResolvedDoc) -> Mention | None:
    """The one country a sentence places an unattributed violent act in ("was killed in a
    car bomb explosion in Beirut", "a minefield explosion near Samarra killed ..."): the
    PLOVER gold-standard records code such an act with the country where it happened as
    its actor, where parley otherwise has no source and codes nothing."""
    countries: dict[str, Mention] = {}
    tree = doc_tree(resolved.doc)
    for mention in sentence_mentions:
        if not mention.country or not is_country_code(mention.country):
            continue
        root = tree.root(mention.token_start, mention.token_end)
        if mention.label not in _PLACE_LABELS:
            if _nationality_of_a_place(root):
                countries.setdefault(mention.country, mention)
            continue
        holder = root.head if root.dep_ in {"compound", "poss", "nmod"} else root
        via = holder.head if holder.dep_ == "pobj" else None
        if via is None and holder.dep_ == "pobj":
            continue
        if holder.dep_ == "pobj" and via is not None and via.lower_ in _PLACE_PREPS:
            countries.setdefault(mention.country, mention)
        elif holder.dep_ == "pobj" and via is not None and via.lower_ == "of":
            # "near the town of Samarra": the place named by its own "of"
            outer = via.head.head if via.head.dep_ == "pobj" else None
            if outer is not None and outer.lower_ in _PLACE_PREPS:
                countries.setdefault(mention.country, mention)
    if len(countries) != 1:
        return None
    return next(iter(countries.values()))


def _nationality_of_a_place(root: Node) -> bool:
    """ "in the Mexican state of Guerrero": a nationality adjective on a place noun that a
    place preposition governs."""
    place = root.head
    return (
        root.dep_ == "amod"
        and place.lemma_.lower() in composition_rules().place_nouns
        and place.dep_ == "pobj"
        and place.head.lower_ in _PLACE_PREPS
    )


def in_main_clause(token: Node) -> bool:
    """Whether the trigger is the act its sentence reports, not a relative, adverbial or
    nominal clause's ("where 24 people were killed last March", "after clashes")."""
    current = token
    for _ in range(3):  # a noun trigger: up to its verb
        if current.pos_ in {"VERB", "AUX"} or current.dep_ == "ROOT":
            break
        current = current.head
    for _ in range(6):
        if current.dep_ == "ROOT" or current.head.i == current.i:
            return True
        if current.dep_ not in {"conj", "xcomp", "ccomp", "parataxis"}:
            return False
        current = current.head
    return False


def attacker_in_phrase(trigger: Node, resolved: ResolvedDoc) -> Mention | None:
    """The attacker an unattributed violent verb names in its own "in"/"by" phrase or "when"
    clause: "were wounded in Syrian artillery fire", "died in a drone strike by army units"."""
    for prep in children_with(trigger, {"prep", "agent"}):
        if prep.lower_ not in {"in", "by"}:
            continue
        for pobj in children_with(prep, {"pobj"}):
            for child in pobj.children:
                if child.dep_ in {"amod", "compound", "poss", "nmod"}:
                    found = actor_mention(child, resolved)
                    if found is not None and found.country:
                        return found
            for inner in children_with(pobj, {"prep"}):
                if inner.lower_ == "by":
                    for agent in children_with(inner, {"pobj"}):
                        found = actor_mention(agent, resolved)
                        if found is not None and found.country:
                            return found
    # "were killed when a Russian missile slammed into ...", "died when Israeli troops opened
    # fire": the actor of the "when" clause that says how
    for clause in children_with(trigger, {"advcl"}):
        if not any(c.lower_ == "when" and c.dep_ in {"advmod", "mark"} for c in clause.children):
            continue
        for subject in children_with(clause, {"nsubj"}):
            found = actor_mention(subject, resolved)
            if found is not None and found.country:
                return found
    return None


def _of_international_body(mention: Mention, resolved: ResolvedDoc) -> bool:
    """ "Red Cross officials": a role noun whose compound names an international body."""
    head = doc_tree(resolved.doc).root(mention.token_start, mention.token_end)
    for child in head.children:
        if child.dep_ != "compound":
            continue
        named = resolved.mention_at(child.i)
        if (
            named is not None
            and named is not mention
            and (_INTERNATIONAL_WORDS & set(named.canonical.lower().split()))
        ):
            return True
    return False


def crowd_source(
    trigger: Node,
    sentence_mentions: list[Mention],
    resolved: ResolvedDoc,
    article: Article,
    own_phrase_only: bool = False,
) -> Mention | None:
    """The unnamed crowd of a protest ("thousands of farmers marched ...", "dock workers
    in the port of Antwerp went on strike", "protests broke out in Tehran"): its country is
    the one its own phrase names, else the one the sentence places the act in, else the one
    country the sentence names, else the dateline's. The PLOVER gold-standard records code
    a demonstration's source as the country of the people in the street (civilians, CAMEO's
    CVL), where parley would otherwise find no actor and code nothing. ``own_phrase_only``:
    for acts other than protests, only the country the group's own phrase names ("human
    rights lawyers in Kenya filed a lawsuit")."""
    tree = doc_tree(resolved.doc)
    subject, passive = subject_token(trigger)
    if subject is None and trigger.dep_ in OBJECT_DEPS:
        subject, passive = subject_token(trigger.head)  # "went on strike", "staged a rally"
    if subject is None and trigger.dep_ == "pobj" and trigger.head.dep_ == "prep":
        subject, passive = subject_token(trigger.head.head)  # "went on strike"
    if passive:
        return None
    if own_phrase_only and (
        subject is None or lemma_of(subject) not in composition_rules().group_nouns
    ):
        return None  # only a named kind of group ("lawyers in Kenya") acts as its country
    crowd = subject if subject is not None else trigger  # "Protests erupted in Tehran"
    named = resolved.mention_at(crowd.i)  # "Thousands" may be a CARDINAL entity
    if crowd.pos_ not in {"NOUN", "NUM"} or (named is not None and named.label in _NAMED):
        return None
    phrase = sorted(crowd.subtree, key=lambda node: node.i)
    country: str | None = None
    for node in phrase:
        found = resolved.mention_at(node.i)
        if found is not None and found.country and is_country_code(found.country):
            country = found.country
            break
    if country is None and own_phrase_only:
        return None
    if country is None:
        place = place_as_source(sentence_mentions, resolved)
        country = place.country if place is not None else None
    if country is None:
        placed = {
            m.country
            for m in sentence_mentions
            if m.label in _PLACE_LABELS and m.country and is_country_code(m.country)
        }
        country = placed.pop() if len(placed) == 1 else None
    if country is None and article.dateline is not None and article.dateline.country:
        country = article.dateline.country
    if country is None:
        return None
    start, end = phrase[0], phrase[-1]
    return Mention(
        start=start.idx,
        end=end.idx + len(end.text),
        token_start=start.i,
        token_end=end.i + 1,
        text=tree.span_text(start.i, end.i + 1),
        label="NORP",
        canonical=tree.span_text(start.i, end.i + 1),
        country=country,
        role=CROWD_ROLE,
        actor_code=country + CROWD_ROLE,
    )


CROWD_ROLE = "CVL"
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
