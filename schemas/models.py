"""Pydantic v2 models of every message parley reads or writes.

These models are the single source of the downstream contract: the JSON
Schema files under ``schemas/json/`` are generated from them
(``parley schemas export``) and a test fails when the two drift apart.
Evolve them backward-compatibly: add optional fields only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = "1.0.0"


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputFormat(StrEnum):
    JSON = "json"
    RSS = "rss"
    ATOM = "atom"
    TEXT = "text"


class Dateline(_Frozen):
    """Place named at the head of a wire story ("GENEVA, March 2 (Agency) -")."""

    place: str
    country: str | None = Field(default=None, description="ISO 3166 alpha-3, when resolvable")


class Article(_Frozen):
    """One normalized news article, whatever shape it arrived in."""

    schema_version: str = SCHEMA_VERSION
    article_id: str = Field(description="Stable id: from the canonical URL, else a content hash")
    title: str
    body: str = Field(min_length=1)
    source: str | None = None
    url: str | None = None
    language: str = "en"
    published_at: datetime = Field(description="Timezone-aware UTC publication time")
    published_at_assumed_utc: bool = Field(
        default=False, description="True when the feed gave a naive timestamp, taken as UTC"
    )
    published_at_missing: bool = Field(
        default=False, description="True when the input had no date: published_at is ingested_at"
    )
    dateline: Dateline | None = None
    ingested_at: datetime = Field(default_factory=utcnow)
    input_format: InputFormat = InputFormat.JSON
    content_hash: str = ""
    version: int = Field(default=1, ge=1, description="1 for a new article, n+1 for an update")
    is_update: bool = False

    @field_validator("published_at", "ingested_at")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamp must be timezone-aware")
        return value.astimezone(UTC)


class Entity(_Frozen):
    """One entity mention in the article text (title + blank line + body)."""

    text: str
    label: str
    start: int = Field(ge=0, description="Character offset in EnrichedArticle.text")
    end: int = Field(ge=0)
    canonical: str
    kb_id: str | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-3 or group code")
    role: str | None = None
    actor_code: str | None = Field(default=None, description="CAMEO-style code, e.g. USAGOV")


class CanonicalEntity(_Frozen):
    """All mentions of one real-world entity in the article, merged."""

    canonical: str
    label: str
    kb_id: str | None = None
    country: str | None = None
    role: str | None = None
    actor_code: str | None = None
    mentions: int = Field(ge=1)
    first_offset: int = Field(ge=0)


class Actor(_Frozen):
    text: str
    canonical: str
    country: str | None = None
    role: str | None = None
    code: str | None = Field(default=None, description="CAMEO-style actor code, e.g. RUSGOV")


class Cameo(_Frozen):
    code: str = Field(pattern=r"^\d{2,4}$")
    root: str = Field(pattern=r"^\d{2}$")
    label: str


class Plover(_Frozen):
    type: str
    mode: str | None = None
    context: str | None = Field(
        default=None,
        description="PLOVER context of the CAMEO code (the authors' crosswalk), e.g. military",
    )


class Modality(_Frozen):
    negated: bool = False
    hypothetical: bool = False
    intent: bool = False


class Temporal(_Frozen):
    event_date: date | None = None
    historical: bool = False
    date_text: str | None = Field(default=None, description="The date expression that set it")


class Location(_Frozen):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Evidence(_Frozen):
    sentence: str
    sentence_index: int = Field(ge=0)
    trigger: str
    start: int = Field(ge=0, description="Trigger character offset in the article text")
    end: int = Field(ge=0)
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None


class Event(_Frozen):
    """One coded diplomatic event: who did what to whom, when and where."""

    schema_version: str = SCHEMA_VERSION
    event_id: str
    article_id: str
    cameo: Cameo
    plover: Plover
    quad_class: int = Field(ge=1, le=4)
    goldstein: float = Field(ge=-10.0, le=10.0)
    source: Actor | None = None
    target: Actor | None = None
    reciprocal: bool = False
    modality: Modality = Modality()
    temporal: Temporal = Temporal()
    location: Location | None = None
    evidence: Evidence
    confidence: float = Field(ge=0.0, le=1.0)
    mentions: int = Field(default=1, ge=1)
    sources: int = Field(default=1, ge=1)
    story_id: str | None = Field(
        default=None,
        description="Id of the real-world event this report belongs to (cross-article link)",
    )
    is_update: bool = Field(default=False, description="A later report of an already emitted event")
    published_at: datetime | None = None
    article_url: str | None = None
    article_source: str | None = None


class ModelInfo(_Frozen):
    name: str
    version: str


class EnrichedArticle(_Frozen):
    schema_version: str = SCHEMA_VERSION
    article: Article
    text: str = Field(description="The text entity and evidence offsets refer to")
    entities: list[Entity] = []
    actors: list[CanonicalEntity] = []
    events: list[Event] = []
    model: ModelInfo
    parley_version: str
    enriched_at: datetime = Field(default_factory=utcnow)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Alert(_Frozen):
    schema_version: str = SCHEMA_VERSION
    alert_id: str
    rule_id: str
    severity: Severity
    is_update: bool = False
    summary: str
    event: Event
    raised_at: datetime = Field(default_factory=utcnow)


class UnsupportedArticle(_Frozen):
    """An article parley read but does not run through the English pipeline."""

    schema_version: str = SCHEMA_VERSION
    reason: Literal["unsupported_language"] = "unsupported_language"
    language: str
    article: Article
