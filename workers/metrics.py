"""Prometheus metrics, in base units, with bounded label values.

Names follow Prometheus conventions: counters end in ``_total``, durations
are histograms in seconds, metadata is ``_info``. Label values are topic
names, stages, reasons, PLOVER types and quad classes: all bounded sets;
never an article or event id.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

REGISTRY = CollectorRegistry(auto_describe=True)

_STAGE_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0, 60.0)

RECORDS_CONSUMED = Counter(
    "parley_records_consumed_total", "Raw records consumed.", ["topic"], registry=REGISTRY
)
RECORDS_PRODUCED = Counter(
    "parley_records_produced_total", "Records produced.", ["topic"], registry=REGISTRY
)
ARTICLES_ENRICHED = Counter(
    "parley_articles_enriched_total", "Articles enriched and published.", registry=REGISTRY
)
FAILURES = Counter(
    "parley_failures_total",
    "Records that failed, by stage (decode, parse, validate, enrich, publish) and reason.",
    ["stage", "reason"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "parley_dead_letters_total",
    "Records written to the dead-letter topic.",
    ["stage"],
    registry=REGISTRY,
)
DUPLICATES = Counter(
    "parley_duplicates_dropped_total",
    "Articles dropped as duplicates.",
    ["kind"],
    registry=REGISTRY,
)
UNSUPPORTED = Counter(
    "parley_articles_unsupported_total",
    "Articles routed away from the English pipeline.",
    ["reason"],
    registry=REGISTRY,
)
EVENTS = Counter(
    "parley_events_total",
    "Events coded, by PLOVER type and quad class.",
    ["plover_type", "quad_class"],
    registry=REGISTRY,
)
DYAD_EVENTS = Counter(
    "parley_dyad_events_total",
    "Events per source->target country pair, for pairs within the dyad watchlist "
    "(PARLEY_DYAD_WATCHLIST); every other pair counts as 'other' to keep labels bounded.",
    ["dyad"],
    registry=REGISTRY,
)
EVENT_UPDATES = Counter(
    "parley_event_updates_total",
    "Event reports linked to an already emitted event.",
    registry=REGISTRY,
)
ALERTS = Counter(
    "parley_alerts_total",
    "Alerts raised, by rule and severity.",
    ["rule", "severity"],
    registry=REGISTRY,
)
STAGE_SECONDS = Histogram(
    "parley_stage_duration_seconds",
    "Processing time per batch and stage.",
    ["stage"],
    buckets=_STAGE_BUCKETS,
    registry=REGISTRY,
)
END_TO_END_SECONDS = Histogram(
    "parley_end_to_end_latency_seconds",
    "From the raw record's timestamp to publication of its outputs.",
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
BATCH_SIZE = Histogram(
    "parley_batch_size_articles",
    "Articles per NLP batch.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "parley_consumer_lag_records",
    "End offset minus committed offset.",
    ["topic", "partition"],
    registry=REGISTRY,
)
NLP_QUEUE_DEPTH = Gauge(
    "parley_nlp_queue_depth_articles",
    "Articles submitted to the NLP pool, not yet returned.",
    registry=REGISTRY,
)
LAST_PROGRESS = Gauge(
    "parley_last_progress_timestamp_seconds",
    "Unix time the processing loop last made progress.",
    registry=REGISTRY,
)
READY = Gauge(
    "parley_ready", "1 when the worker is ready (model, broker, assignment).", registry=REGISTRY
)
MODEL_INFO = Info("parley_model", "spaCy pipeline in use.", registry=REGISTRY)
BUILD_INFO = Info("parley_build", "parley build.", registry=REGISTRY)
NLP_PROCESS_RESTARTS = Counter(
    "parley_nlp_process_restarts_total",
    "NLP processes that died (killed, out of memory, crashed) and were replaced.",
    registry=REGISTRY,
)
TABLE_ENTRIES = Gauge(
    "parley_table_entries",
    "Entries in a windowed state table (dedup, event-links, alert-suppression), as of the "
    "last sweep; every worker holds all of each table.",
    ["table"],
    registry=REGISTRY,
)
TABLE_EXPIRED = Counter(
    "parley_table_entries_expired_total",
    "Entries the state sweep deleted because their window had passed.",
    ["table"],
    registry=REGISTRY,
)
