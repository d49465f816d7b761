"""Resolve a Doc's entities to actors valid on the article's date.

Coding conventions (CAMEO style, see also the gazetteer data headers):

- actor_code = country + role: ``RUSGOV``, ``ISRMIL``; a country-level actor
  with no role is just the ISO3 code (``RUS``). IGOs get country ``IGO``,
  role ``IGO`` and code ``IGO`` + org code (``IGOUNO``, ``IGONAT``).
- A listed person is coded with the role held on the article date. Outside
  every role, a person who held office before is coded ``ELI`` (CAMEO's
  "elites": former officials) with the country of the last role; a person whose
  first role lies after the date is coded by country only.
- Places (countries, regions, cities) are coded by country only; the event
  coder decides whether a capital stands for its government.
- Demonyms and country names followed by a role noun ("Iranian troops",
  "Chinese officials", "Russia-based hackers") become one mention spanning
  both, with the noun's role (roles.yaml). A country followed by an office
  title ("the Russian foreign minister") becomes a mention of the person
  holding it on that date.
- A role noun outside any entity ("police", "the government", "a court",
  "rebels") is an actor with that role. Its country comes from the noun's own
  phrase: "a court in Guyana", "the government of Iraq", "troops from Chad"
  (dependency parse). With none, the country stays unknown (CAMEO's ``---``)
  and the event coder may fill it from the article's dateline. Business,
  media and intelligence nouns need a country to count.
- Within an article, a later bare surname, or a bare title ("the foreign
  minister", "the president"), resolves to the person introduced earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy
from spacy.attrs import IDX, LOWER, ORTH, POS, SPACY
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span, Token

from workers.nlp.gazetteer import IGO_COUNTRY, IGO_ROLE, Gazetteer, GazetteerEntry, load_gazetteer
from workers.nlp.places import resolve_place
from workers.nlp.types import Mention, ResolvedDoc
from workers.nlp.typos import correction

FORMER_OFFICIAL_ROLE = "ELI"
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_CONNECTORS = frozenset({"-", "based", "backed", "led", "linked", "aligned", "'s", "’s"})
_MAX_MODIFIERS = 1
_MIN_TYPO_NAME = 6  # "Ethopia"; shorter names have too many neighbours one letter away
_TITLE_MAX_TOKENS = 4
_ROLE_PREPS = frozenset({"in", "of", "from"})
_ROLES_NEEDING_COUNTRY = frozenset({"BUS", "MED", "SPY"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


# finite verbs and modals: no modifier of a role noun ("Britain mobilized army ...")
_FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass(frozen=True, slots=True)
class _Actor:
    canonical: str
    kb_id: str | None
    country: str | None
    role: str | None
    code: str | None
    office: str | None = None


_NAME_LABELS = frozenset({"ORG", "NORP", "GPE", "LOC", "FAC"})


def actor_code(country: str | None, role: str | None) -> str | None:
    if country is None:
        return None
    if role is None or country == IGO_COUNTRY:
        return country
    return country + role


def _entry_actor(gaz: Gazetteer, entry: GazetteerEntry, day: date) -> _Actor:
    if entry.kind == "igo":
        return _Actor(
            entry.canonical, entry.kb_id, IGO_COUNTRY, IGO_ROLE, f"{IGO_COUNTRY}{entry.org_code}"
        )
    if entry.kind in ("country", "demonym", "region", "city"):
        return _Actor(entry.canonical, entry.kb_id, entry.country, None, entry.country)
    spell = entry.role_on(day)
    if spell is not None:
        if spell.country == IGO_COUNTRY:
            words = (spell.title or "").split()
            org = gaz.igo_title_codes.get(words[0], "") if words else ""
            return _Actor(
                entry.canonical,
                entry.kb_id,
                IGO_COUNTRY,
                IGO_ROLE,
                IGO_COUNTRY + org,
                gaz.office_of(spell.title),
            )
        return _Actor(
            entry.canonical,
            entry.kb_id,
            spell.country,
            spell.role,
            actor_code(spell.country, spell.role),
            gaz.office_of(spell.title),
        )
    before = entry.last_role_before(day)
    if before is not None:
        return _Actor(
            entry.canonical,
            entry.kb_id,
            before.country,
            FORMER_OFFICIAL_ROLE,
            actor_code(before.country, FORMER_OFFICIAL_ROLE),
        )
    if entry.roles:
        first = entry.roles[0].country
        return _Actor(entry.canonical, entry.kb_id, first, None, first)
    return _Actor(entry.canonical, entry.kb_id, None, None, None)


def _country_of_name(gaz: Gazetteer, text: str) -> str | None:
    """Country of a country name or demonym as written, else None."""
    for candidate in (text, text.removeprefix("the ").removeprefix("The ")):
        entry = gaz.entry_for(candidate)
        if entry is not None and entry.kind in ("country", "demonym"):
            return entry.country
    return None


def _misspelled_country(gaz: Gazetteer, text: str) -> GazetteerEntry | None:
    """The country or demonym a one-word name misspells by one letter ("Nicaragau",
    "Afganistan", "Ethopia"; the PLOVER records have such typos), if the word is no known
    English word or name itself (``typos.correction``)."""
    if len(text) < _MIN_TYPO_NAME or not text.isalpha() or not text[0].isupper():
        return None
    fixed = correction(text.lower())
    if fixed is None:
        return None
    entry = gaz.entry_for(fixed.title())
    return entry if entry is not None and entry.kind in ("country", "demonym") else None


def _role_noun_at(
    gaz: Gazetteer, lower: list[str], i: int, limit: int
) -> tuple[int, str | None] | None:
    """(end token, role) of a role noun starting at token i, two-word nouns first.

    ``lower`` is the Doc's ``lower_`` per token. A token that starts no role noun is
    turned away by its first word (a token holding a space is looked up in full).
    """
    if i >= limit:
        return None
    first = lower[i]
    if first not in gaz.role_noun_first_words and " " not in first:
        return None
    if i + 1 < limit:
        pair = f"{first} {lower[i + 1]}"
        if pair in gaz.role_nouns:
            return i + 2, gaz.role_nouns[pair]
    if first in gaz.role_nouns:
        return i + 1, gaz.role_nouns[first]
    return None


def _title_at(gaz: Gazetteer, lower: list[str], i: int, limit: int) -> tuple[int, str] | None:
    """(end token, office) of an office title starting at token i (longest first)."""
    if i >= limit:
        return None
    first = lower[i]
    if first not in gaz.title_first_words and " " not in first:
        return None
    for length in range(_TITLE_MAX_TOKENS, 0, -1):
        if i + length > limit:
            continue
        office = gaz.title_offices.get(" ".join(lower[i : i + length]))
        if office is not None:
            return i + length, office
    return None


class _Resolver:
    def __init__(self, doc: Doc, day: date) -> None:
        self.doc = doc
        self.day = day
        self.gaz = load_gazetteer()
        self.people: list[_Actor] = []  # introduced people, in order
        self.surnames: dict[str, _Actor] = {}
        # A name the statistical model found in a lower-case plural common noun
        # ("warplanes" as an ORG) is noise, not a name: left out, its words are read as
        # ordinary nouns (a role noun, "Saudi warplanes"), as when the model tags nothing.
        # (Lower-case names stay: wire copy writes "congress", "obama".)
        self.ents = tuple(
            ent
            for ent in doc.ents
            if ent.kb_id_
            or ent.label_ not in _NAME_LABELS
            or not ent.text.islower()
            or ent[-1].tag_ != "NNS"
        )
        self.person_starts = {e.start for e in self.ents if e.label_ == "PERSON"}
        self.entity_tokens = {i for e in self.ents for i in range(e.start, e.end)}
        # Each token's text, lower case and offset, read once from the Doc's arrays:
        # resolution probes them a few thousand times per article, and every
        # ``doc[i]`` (or ``span.text``, token by token) builds new Token objects.
        strings = doc.vocab.strings
        orths, lowers, self.idx, spaces = doc.to_array([ORTH, LOWER, IDX, SPACY]).T.tolist()
        self.text: list[str] = [strings[h] for h in orths]
        self.lower: list[str] = [strings[h] for h in lowers]
        # Doc.text, which is each token's text and trailing space (one at most) joined.
        self.doc_text = "".join(
            [t + " " if space else t for t, space in zip(self.text, spaces, strict=True)]
        )

    def introduce(self, actor: _Actor) -> None:
        self.people.append(actor)
        self.surnames.setdefault(actor.canonical.split()[-1], actor)

    def office_holder(self, country: str, office: str) -> _Actor | None:
        offices = self.gaz.leader_offices if office == "leader" else [office]
        for candidate in reversed(self.people):
            if candidate.country == country and candidate.office in offices:
                return candidate
        for wanted in offices:
            holders = self.gaz.holders(country, wanted, self.day)
            if holders:
                return _entry_actor(self.gaz, holders[0], self.day)
        return None

    def recent_with_office(self, office: str) -> _Actor | None:
        offices = self.gaz.leader_offices if office == "leader" else [office]
        for candidate in reversed(self.people):
            if candidate.office in offices:
                return candidate
        return None

    def span_chars(self, start: int, end: int) -> tuple[int, int]:
        """``doc[start:end]``'s start_char and end_char (end > start), without building it."""
        return self.idx[start], self.idx[end - 1] + len(self.text[end - 1])

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` (end > start)."""
        start_char, end_char = self.span_chars(start, end)
        return self.doc_text[start_char:end_char]

    def mention(self, start: int, end: int, label: str, actor: _Actor) -> Mention:
        start_char, end_char = self.span_chars(start, end)
        return Mention(
            start=start_char,
            end=end_char,
            token_start=start,
            token_end=end,
            text=self.doc_text[start_char:end_char],
            label=label,
            canonical=actor.canonical,
            kb_id=actor.kb_id,
            country=actor.country,
            role=actor.role,
            actor_code=actor.code,
        )

    def entity_actor(self, ent: Span) -> _Actor:
        gaz = self.gaz
        if ent.kb_id_ and ent.kb_id_ in gaz.entries:
            return _entry_actor(gaz, gaz.entries[ent.kb_id_], self.day)
        text = self.span_text(ent.start, ent.end)
        plain = _Actor(text, None, None, None, None)
        if ent.end - ent.start == 1 and text not in self.surnames:
            misspelled = _misspelled_country(gaz, text)
            if misspelled is not None:
                return _Actor(text, None, misspelled.country, None, misspelled.country)
        if ent.label_ in ("PERSON", "ORG", "GPE", "NORP") and text in self.surnames:
            return self.surnames[text]
        if ent.label_ == "PERSON":
            hint = self.title_prefix(ent.start)
            if hint is not None:
                country, role = hint
                return _Actor(text, None, country, role, actor_code(country, role))
            return plain
        if ent.label_ in _PLACE_LABELS and not text.islower():
            place = resolve_place(text)
            if place is not None:
                return _Actor(place.name, None, place.country, None, place.country)
            return plain
        if ent.label_ == "NORP":
            norp_country = _country_of_name(gaz, text)
            if norp_country is None:
                return plain
            return _Actor(text, None, norp_country, None, norp_country)
        if ent.label_ == "ORG":
            return self.org_actor(ent) or plain
        return plain

    def org_actor(self, ent: Span) -> _Actor | None:
        """An unlisted organisation named after a country ("the Iranian Foreign Ministry")."""
        country = None
        role = None
        for i in range(ent.start, ent.end):
            country = country or _country_of_name(self.gaz, self.text[i])
            noun = _role_noun_at(self.gaz, self.lower, i, ent.end)
            if noun is not None and noun[1] is not None:
                role = noun[1]
        if country is None:
            return None
        return _Actor(
            self.span_text(ent.start, ent.end), None, country, role, actor_code(country, role)
        )

    def title_prefix(self, person_start: int) -> tuple[str, str] | None:
        """Country and role from "Iranian President" / "Russia's Defence Minister" before a name."""
        lo = max(0, person_start - _TITLE_MAX_TOKENS - 2)
        for i in range(lo, person_start):
            country = _country_of_name(self.gaz, self.text[i])
            if country is None:
                continue
            j = i + 1
            if j < person_start and self.text[j] in ("'s", "’s"):
                j += 1
            title = _title_at(self.gaz, self.lower, j, person_start)
            if title is not None and title[0] == person_start:
                return country, "MIL" if title[1] == "defence minister" else "GOV"
        return None

    def extend_country(self, ent: Span, actor: _Actor) -> tuple[int, str, _Actor] | None:
        """A country/demonym followed by a role noun or an office title."""
        doc, gaz, lower = self.doc, self.gaz, self.lower
        assert actor.country is not None
        i = ent.end
        limit = len(doc)
        while i < limit and lower[i] in _CONNECTORS:
            i += 1
        for skip in range(_MAX_MODIFIERS + 1):
            j = i + skip
            if j >= limit or j in self.entity_tokens or doc[j].is_punct:
                return None
            title = _title_at(gaz, lower, j, limit)
            if title is not None:
                end, office = title
                if end in self.person_starts or (
                    end < limit and self.text[end] == "," and end + 1 in self.person_starts
                ):
                    return None
                holder = self.office_holder(actor.country, office)
                if holder is not None:
                    return end, "PERSON", holder
                role = "MIL" if office == "defence minister" else "GOV"
                return (
                    end,
                    "NORP",
                    _Actor(
                        self.span_text(ent.start, end),
                        None,
                        actor.country,
                        role,
                        actor_code(actor.country, role),
                    ),
                )
            noun = _role_noun_at(gaz, lower, j, limit)
            if noun is not None:
                end, noun_role = noun
                return (
                    end,
                    "NORP",
                    _Actor(
                        actor.canonical
                        if noun_role is None
                        else f"{actor.canonical} ({noun_role})",
                        None,
                        actor.country,
                        noun_role,
                        actor_code(actor.country, noun_role),
                    ),
                )
            if not doc[j].is_alpha or not doc[j].is_lower or doc[j].tag_ in _FINITE_VERB_TAGS:
                # "Britain mobilized army reservists": a finite verb ends the phrase
                return None
        return None

    def resolve(self) -> list[Mention]:
        mentions: list[Mention] = []
        covered: set[int] = set()
        for ent in self.ents:
            if ent.start in covered:
                continue
            actor = self.entity_actor(ent)
            start, end, label = ent.start, ent.end, ent.label_
            entry = self.gaz.entries.get(ent.kb_id_) if ent.kb_id_ else None
            is_country_like = (entry is not None and entry.kind in ("country", "demonym")) or (
                entry is None
                and actor.country is not None
                and ent.label_ in ("NORP", "GPE")
                and actor.kb_id is None
                and _country_of_name(self.gaz, self.span_text(ent.start, ent.end))
            )
            if is_country_like and actor.country is not None:
                extended = self.extend_country(ent, actor)
                if extended is not None:
                    end, label, actor = extended
            if label == "PERSON" and actor.country is not None:
                self.introduce(actor)
            mentions.append(self.mention(start, end, label, actor))
            covered.update(range(start, end))
        misspelled = self.misspelled_country_mentions(covered)
        mentions.extend(misspelled)
        covered.update(m.token_start for m in misspelled)  # one token each
        mentions.extend(self.bare_mentions(covered))
        by_token = {i: m for m in mentions for i in range(m.token_start, m.token_end)}
        covered.update(by_token)
        mentions.extend(self.role_noun_mentions(covered, by_token))
        return mentions

    def role_noun_mentions(self, covered: set[int], by_token: dict[int, Mention]) -> list[Mention]:
        """Role nouns outside entities ("a court in Guyana", "the police") as role actors."""
        doc = self.doc
        if not doc.has_annotation("DEP"):
            return []
        out: list[Mention] = []
        i = 0
        limit = len(doc)
        while i < limit:
            found = None if i in covered else _role_noun_at(self.gaz, self.lower, i, limit)
            if found is None or found[1] is None or any(k in covered for k in range(i, found[0])):
                i += 1
                continue
            end, role = found
            head = doc[end - 1]
            if head.pos_ not in _NOUN_POS or head.dep_ in {"compound", "amod", "poss"}:
                i += 1
                continue
            country = self.phrase_country(head, by_token)
            needs_country = (
                role in _ROLES_NEEDING_COUNTRY
                or self.span_text(i, end).lower() in self.gaz.role_nouns_need_country
            )
            if country is None and needs_country:
                i = end
                continue
            text = self.span_text(i, end)
            out.append(
                self.mention(
                    i,
                    end,
                    "NORP",
                    _Actor(
                        text,
                        None,
                        country,
                        role,
                        actor_code(country, role) if country else None,
                    ),
                )
            )
            i = end
        return out

    def phrase_country(self, head: Token, by_token: dict[int, Mention]) -> str | None:
        """Country of a country/place named in the noun's own phrase ("in Guyana", "Iraq's")."""
        for child in head.children:
            candidates: list[Token] = []
            if child.dep_ == "prep" and child.lower_ in _ROLE_PREPS:
                candidates = [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ in {"poss", "nmod", "compound", "amod"}:
                candidates = [child]
            for token in candidates:
                mention = by_token.get(token.i)
                if mention is not None and mention.country and mention.role is None:
                    return mention.country
        return None

    def misspelled_country_mentions(self, covered: set[int]) -> list[Mention]:
        """A proper noun outside every entity that misspells a country by one letter
        ("Ethopia has agreed ...": the model tags no entity on the unknown word)."""
        out: list[Mention] = []
        # the proper nouns found in one array read: this runs on every article's every token
        for i in numpy.flatnonzero(self.doc.to_array(POS) == PROPN).tolist():
            text = self.text[i]
            if i in covered or text in self.surnames:
                continue
            entry = _misspelled_country(self.gaz, text)
            if entry is not None:
                label = "NORP" if entry.kind == "demonym" else "GPE"
                actor = _Actor(text, None, entry.country, None, entry.country)
                out.append(self.mention(i, i + 1, label, actor))
        return out

    def bare_mentions(self, covered: set[int]) -> list[Mention]:
        """Untagged surnames and bare titles ("the foreign minister") of people seen earlier."""
        doc, text, lower = self.doc, self.text, self.lower
        out: list[Mention] = []
        i = 0
        limit = len(doc)
        while i < limit:
            if i in covered:
                i += 1
                continue
            if text[i] in self.surnames and doc[i].is_title:
                token = doc[i]
                actor = self.surnames[token.text]
                if token.ent_type_ != "DATE":
                    out.append(self.mention(i, i + 1, "PERSON", actor))
                    i += 1
                    continue
            if i > 0 and lower[i - 1] == "the":
                title = _title_at(self.gaz, lower, i, limit)
                if title is not None and not any(k in covered for k in range(i, title[0])):
                    end, office = title
                    phrase = self.span_text(i, end).lower()
                    implied = self.gaz.title_countries.get(phrase)
                    actor_opt = (
                        self.office_holder(implied, office)
                        if implied
                        else self.recent_with_office(office)
                    )
                    if actor_opt is not None and end not in self.person_starts:
                        out.append(self.mention(i, end, "PERSON", actor_opt))
                        i = end
                        continue
            i += 1
        return out


def resolve_doc(doc: Doc, published_at: datetime) -> ResolvedDoc:
    resolver = _Resolver(doc, published_at.date())
    return ResolvedDoc(doc=doc, mentions=resolver.resolve(), text=resolver.doc_text)
