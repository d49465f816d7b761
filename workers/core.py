"""The enrichment core: Article in, EnrichedArticle out. No Kafka, no Faust.

The same code runs inside the worker's NLP processes, in ``parley enrich``,
in ``parley eval`` and in the tests.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from spacy.language import Language
from spacy.tokens import Doc

from schemas.models import Article, EnrichedArticle, ModelInfo
from workers import __version__
from workers.coding.events import extract_events
from workers.nlp.pipeline import build_pipeline
from workers.nlp.resolve import resolve_doc

# One short article written for warming a freshly loaded pipeline up (see
# ``Enricher.warm_up``): a headline, a dateline-like opening and a few diplomatic events,
# so that spaCy, the gazetteer, resolution and the event coder all run once.
WARM_UP_TITLE = "Ministers meet after border dispute"
WARM_UP_BODY = (
    "The foreign minister of France met his counterpart from Germany in Paris on Monday.\n\n"
    "Germany accused Russia of violating the cease-fire, and Moscow denied it. "
    "President Emmanuel Macron urged both sides to release the detained journalists. "
    "Officials in Beijing said China would send humanitarian aid to Ukraine. "
    "Iran threatened to impose sanctions on Poland, and India expelled two diplomats."
)
WARM_UP_TEXT = f"{WARM_UP_TITLE}\n\n{WARM_UP_BODY}"


def warm_up_article() -> Article:
    """The warm-up article as ingestion would make it (fixed id and date)."""
    return Article(
        article_id="parley-warm-up",
        title=WARM_UP_TITLE,
        body=WARM_UP_BODY,
        source="parley.invalid",
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


def article_text(article: Article) -> str:
    """The text parley analyses; every character offset it publishes refers to it."""
    return f"{article.title}\n\n{article.body}" if article.title else article.body


@dataclass
class StageTimings:
    """Seconds spent in spaCy (``nlp``), in resolution + event coding (``coding``) and,
    in the worker's NLP processes, building the output records (``encode``)."""

    nlp_s: float = 0.0
    coding_s: float = 0.0
    encode_s: float = 0.0

    def add(self, other: StageTimings) -> None:
        self.nlp_s += other.nlp_s
        self.coding_s += other.coding_s
        self.encode_s += other.encode_s


@dataclass(frozen=True)
class EnrichFailure:
    """An article the core could not enrich, with the reason (goes to the DLQ).

    ``stage`` and ``reason`` are the dead letter's; the NLP pool uses
    ``nlp``/``process_died`` for an article that kills its process.
    """

    article: Article
    error_class: str
    message: str
    stage: str = "enrich"
    reason: str = "nlp_error"


class Enricher:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.model_info = ModelInfo(
            name=f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
            version=str(nlp.meta.get("version", "0")),
        )

    @classmethod
    def load(cls, model: str) -> Enricher:
        return cls(build_pipeline(model))

    def enrich_doc(self, article: Article, doc: Doc) -> EnrichedArticle:
        resolved = resolve_doc(doc, article.published_at)
        events = extract_events(resolved, article)
        return EnrichedArticle(
            article=article,
            text=resolved.text,
            entities=resolved.entities(),
            actors=resolved.actors(),
            events=events,
            model=self.model_info,
            parley_version=__version__,
        )

    def enrich(self, article: Article) -> EnrichedArticle:
        return self.enrich_doc(article, self.nlp(article_text(article)))

    def enrich_many(
        self,
        articles: Sequence[Article],
        batch_size: int = 16,
        timings: StageTimings | None = None,
    ) -> list[EnrichedArticle | EnrichFailure]:
        """Enrich in input order; one article's failure never fails the batch."""
        return list(self.iter_enrich(articles, batch_size, timings))

    def iter_enrich(
        self,
        articles: Iterable[Article],
        batch_size: int = 16,
        timings: StageTimings | None = None,
    ) -> Iterator[EnrichedArticle | EnrichFailure]:
        timings = timings if timings is not None else StageTimings()
        articles = list(articles)
        started = time.perf_counter()
        docs = self._parse(articles, batch_size)
        timings.nlp_s += time.perf_counter() - started
        for article, doc in zip(articles, docs, strict=True):
            if isinstance(doc, EnrichFailure):
                yield doc
                continue
            started = time.perf_counter()
            try:
                result: EnrichedArticle | EnrichFailure = self.enrich_doc(article, doc)
            except Exception as exc:  # noqa: BLE001 - reported per article
                result = EnrichFailure(article, type(exc).__name__, str(exc)[:500])
            timings.coding_s += time.perf_counter() - started
            yield result

    def _parse(self, articles: Sequence[Article], batch_size: int) -> list[Doc | EnrichFailure]:
        try:
            return list(self.nlp.pipe((article_text(a) for a in articles), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - retried one by one below
            # One bad text fails a whole nlp.pipe batch: redo one by one to
            # find it and keep the others.
            docs: list[Doc | EnrichFailure] = []
            for article in articles:
                try:
                    docs.append(self.nlp(article_text(article)))
                except Exception as exc:  # noqa: BLE001 - reported per article
                    docs.append(EnrichFailure(article, type(exc).__name__, str(exc)[:500]))
            return docs
