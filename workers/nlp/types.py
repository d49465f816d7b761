"""The hand-off between entity resolution (nlp/) and event coding (coding/).

A ``ResolvedDoc`` pairs a spaCy ``Doc`` of the article text with every
actor-bearing mention in it, each resolved to a canonical actor valid on the
article's date. Event coding reads only this; it never re-resolves names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import TypeAdapter
from spacy.tokens import Doc

from schemas.models import Actor, CanonicalEntity, Entity

_ENTITIES = TypeAdapter(list[Entity])
_CANONICAL_ENTITIES = TypeAdapter(list[CanonicalEntity])


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity or actor in the text (character and token offsets)."""

    start: int
    end: int
    token_start: int
    token_end: int  # exclusive
    text: str
    label: str  # PERSON, ORG, GPE, NORP, LOC, FAC, ...
    canonical: str
    kb_id: str | None = None
    country: str | None = None  # ISO3 or group code (IGO, NGO, ...)
    role: str | None = None  # GOV, MIL, OPP, REB, JUD, BUS, MED, CVL, IGO, ...
    actor_code: str | None = None  # e.g. RUSGOV

    @property
    def is_actor(self) -> bool:
        return self.country is not None

    def to_entity(self) -> Entity:
        return Entity(
            text=self.text,
            label=self.label,
            start=self.start,
            end=self.end,
            canonical=self.canonical,
            kb_id=self.kb_id,
            country=self.country,
            role=self.role,
            actor_code=self.actor_code,
        )

    def to_actor(self) -> Actor:
        return Actor(
            text=self.text,
            canonical=self.canonical,
            country=self.country,
            role=self.role,
            code=self.actor_code,
        )


@dataclass
class ResolvedDoc:
    doc: Doc
    mentions: list[Mention] = field(default_factory=list)
    _by_token: dict[int, Mention] = field(default_factory=dict, repr=False)
    # ``doc.text``, read once: Doc.text joins every token again on each call.
    # ``resolve_doc`` passes the one it rebuilt; left empty, it is read here.
    text: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.doc.text
        self.mentions.sort(key=lambda m: m.start)
        for mention in self.mentions:
            for i in range(mention.token_start, mention.token_end):
                self._by_token[i] = mention

    def mention_at(self, token_index: int) -> Mention | None:
        """The mention covering the token, if any."""
        return self._by_token.get(token_index)

    def entities(self) -> list[Entity]:
        # One validation call for the whole list: the same models as ``to_entity`` per
        # mention, without a Python-level ``__init__`` for each (about 80 an article).
        return _ENTITIES.validate_python(
            [
                {
                    "text": m.text,
                    "label": m.label,
                    "start": m.start,
                    "end": m.end,
                    "canonical": m.canonical,
                    "kb_id": m.kb_id,
                    "country": m.country,
                    "role": m.role,
                    "actor_code": m.actor_code,
                }
                for m in self.mentions
            ]
        )

    def actors(self) -> list[CanonicalEntity]:
        """Mentions merged per canonical entity, in order of first mention."""
        merged: dict[tuple[str, str | None], list[Mention]] = {}
        for mention in self.mentions:
            merged.setdefault((mention.canonical, mention.kb_id), []).append(mention)
        return _CANONICAL_ENTITIES.validate_python(
            [
                {
                    "canonical": first.canonical,
                    "label": first.label,
                    "kb_id": first.kb_id,
                    "country": first.country,
                    "role": first.role,
                    "actor_code": first.actor_code,
                    "mentions": len(group),
                    "first_offset": first.start,
                }
                for group in merged.values()
                for first in (group[0],)
            ]
        )
