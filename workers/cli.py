"""The ``parley`` command line.

Every command that is given bad input exits non-zero with a one-line message
naming the problem (``parley: error: ...``), never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console

from workers import __version__
from workers.errors import CliError
from workers.settings import Settings

__all__ = ["CliError", "app", "main"]

app = typer.Typer(
    name="parley",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Real-time diplomatic event coding from news streams.",
)
schemas_app = typer.Typer(help="JSON Schemas of parley's payloads.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")

console = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)
log = logging.getLogger("parley")

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "examples"


def fail(message: str, code: int = 2) -> NoReturn:
    console.print(f"[red]parley: error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        fail(f"invalid setting PARLEY_{where.upper()}: {first['msg']}")
    except SettingsError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read a settings file: {exc}")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@contextmanager
def broker_for(settings: Settings) -> Iterator[str]:
    """The bootstrap servers to use: the configured cluster, or a fresh embedded one."""
    if settings.broker:
        yield settings.broker
        return
    from workers.broker import BrokerError, EmbeddedBroker

    try:
        broker = EmbeddedBroker().start()
    except BrokerError as exc:
        fail(str(exc))
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


# --------------------------------------------------------------------- run
@app.command()
def run() -> None:
    """Run the worker (embedded broker when PARLEY_BROKER is unset)."""
    from workers.worker import run_worker

    settings = load_settings()
    setup_logging(settings.log_level)
    with broker_for(settings) as bootstrap:
        if not settings.broker:
            from workers.broker import TANSU_OVERRIDES

            settings = settings.model_copy(update=TANSU_OVERRIDES)
        try:
            run_worker(settings, bootstrap)
        except CliError as exc:
            fail(str(exc))


# -------------------------------------------------------------------- poll
@app.command()
def poll(
    feeds_file: Annotated[Path, typer.Argument(metavar="FEEDS.yaml", help="Feeds to follow.")],
) -> None:
    """Follow RSS/Atom/JSON feeds over HTTP into the first raw topic (needs PARLEY_BROKER)."""
    from workers.feeds.config import FeedsConfigError, load_feeds
    from workers.feeds.run import run_poller

    settings = load_settings()
    try:
        feeds = load_feeds(feeds_file)
    except FeedsConfigError as exc:
        fail(str(exc))
    if not settings.broker:
        fail("PARLEY_BROKER is not set: poll needs the worker's broker (host:port)")
    setup_logging(settings.log_level)
    try:
        run_poller(settings, settings.broker, feeds)
    except CliError as exc:
        fail(str(exc))


# -------------------------------------------------------------------- demo
@app.command()
def demo(
    once: Annotated[
        bool, typer.Option("--once", help="Exit 0 once every sample came out.")
    ] = False,
    samples: Annotated[Path, typer.Option(help="File or directory of sample articles.")] = EXAMPLES,
    timeout: Annotated[
        float, typer.Option(help="With --once: give up after this many seconds.")
    ] = 120.0,
) -> None:
    """Embedded broker + worker + the sample articles; prints what comes out."""
    from workers.demo import run_demo

    # SIGTERM (a supervisor, `timeout`, Ctrl-C in some terminals) must run the
    # same cleanup as Ctrl-C: stop the worker, then the broker.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = load_settings()
    setup_logging("WARNING")
    try:
        code = run_demo(settings, samples, once=once, timeout_s=timeout, console=out)
    except CliError as exc:
        fail(str(exc))
    raise typer.Exit(code)


# ------------------------------------------------------------------ enrich
@app.command()
def enrich(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin.")],
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (default: setting).")] = None,
) -> None:
    """Enrich articles with no Kafka: one EnrichedArticle JSON per line, in input order."""
    from workers.core import Enricher, EnrichFailure
    from workers.ingest import IngestError, InputError, parse_record, read_inputs

    settings = load_settings(model=model)
    try:
        raws = list(read_inputs(paths))
    except InputError as exc:
        fail(str(exc))
    articles = []
    problems = []
    for raw in raws:
        try:
            articles.extend(parse_record(raw.value, content_type=raw.content_type))
        except IngestError as exc:
            problems.append(f"{raw.origin}: {exc.stage}/{exc.reason}: {exc}")
    if not articles and problems:
        fail(problems[0] if len(problems) == 1 else f"{problems[0]} (and {len(problems) - 1} more)")
    try:
        enricher = Enricher.load(settings.model)
    except OSError as exc:
        fail(f"cannot load spaCy pipeline {settings.model!r}: {exc}")
    for result in enricher.iter_enrich(articles, batch_size=settings.batch_size):
        if isinstance(result, EnrichFailure):
            problems.append(f"{result.article.article_id}: enrich: {result.message}")
            continue
        sys.stdout.write(result.model_dump_json() + "\n")
    sys.stdout.flush()
    for problem in problems:
        console.print(f"[red]parley: error:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


# ----------------------------------------------------------------- produce
@app.command()
def produce(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin.")],
    topic: Annotated[str | None, typer.Option(help="Raw topic (default: first raw topic).")] = None,
) -> None:
    """Publish article files (text, JSON, JSON Lines, RSS/Atom) to a raw topic."""
    from workers.ingest import InputError, read_inputs
    from workers.producer import produce_inputs

    settings = load_settings()
    if not settings.broker:
        fail("PARLEY_BROKER is not set: produce needs a running broker (host:port)")
    try:
        raws = list(read_inputs(paths))
    except InputError as exc:
        fail(str(exc))
    target = topic or settings.raw_topics[0]
    try:
        count = asyncio.run(
            produce_inputs(settings, settings.broker, target, raws, progress=len(raws) > 20)
        )
    except Exception as exc:  # noqa: BLE001 - broker problems are one line
        fail(f"cannot produce to {target} on {settings.broker}: {exc}")
    console.print(f"produced {count} record(s) to {target}")


# -------------------------------------------------------------------- eval
@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSON Lines file (shared/eval format).")],
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (default: setting).")] = None,
    target_failures: Annotated[
        bool,
        typer.Option(
            "--target-failures",
            help="Also print, to stderr, each matched PLOVER type whose target is wrong.",
        ),
    ] = False,
) -> None:
    """Score event coding against a CAMEO- or PLOVER-coded gold file; prints one JSON object."""
    import json

    from workers.coding.evaluate import evaluate as run_eval
    from workers.coding.evaluate import print_target_failures
    from workers.core import Enricher

    settings = load_settings(model=model)
    if not gold.is_file():
        fail(f"no such gold file: {gold}")
    enricher = Enricher.load(settings.model)
    try:
        report = run_eval(gold, enricher, print_target_failures if target_failures else None)
    except (ValueError, KeyError, TypeError) as exc:
        fail(f"{gold}: not a gold file in the shared/eval format: {type(exc).__name__}: {exc}")
    print(json.dumps(report, indent=2, sort_keys=True))


# ----------------------------------------------------------------- schemas
@schemas_app.command("export")
def schemas_export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory.")] = REPO_ROOT
    / "schemas"
    / "json",
) -> None:
    """Write the JSON Schema files generated from the pydantic models."""
    from schemas.export import export_schemas

    for path in export_schemas(out_dir):
        console.print(f"wrote {path}")


# -------------------------------------------------------------------- tail
@app.command()
def tail(
    topic: Annotated[str, typer.Argument(help="Topic to follow.")],
    plover: Annotated[list[str] | None, typer.Option("--type", help="PLOVER type(s).")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Actor country ISO3.")] = None,
    max_goldstein: Annotated[float | None, typer.Option(help="Goldstein at most.")] = None,
    min_goldstein: Annotated[float | None, typer.Option(help="Goldstein at least.")] = None,
    grep: Annotated[str | None, typer.Option(help="Substring of the value.")] = None,
    from_beginning: Annotated[bool, typer.Option("--from-beginning")] = False,
    max_records: Annotated[int | None, typer.Option("--max", help="Stop after N.")] = None,
    timeout: Annotated[float | None, typer.Option(help="Stop after N idle seconds.")] = None,
) -> None:
    """Follow a topic live, pretty-printed, with filters."""
    from workers.kafka import client_options
    from workers.tail import TailFilters
    from workers.tail import tail as run_tail

    settings = load_settings()
    if not settings.broker:
        fail("PARLEY_BROKER is not set: tail needs a running broker (host:port)")
    filters = TailFilters(
        plover_types=frozenset(t.upper() for t in plover or []),
        countries=frozenset(c.upper() for c in country or []),
        min_goldstein=min_goldstein,
        max_goldstein=max_goldstein,
        grep=grep,
    )
    try:
        run_tail(
            settings.broker,
            topic,
            filters,
            from_beginning=from_beginning,
            max_records=max_records,
            timeout_s=timeout,
            console=out,
            consumer_options=client_options(settings),
        )
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # noqa: BLE001 - broker problems are one line
        fail(f"cannot tail {topic} on {settings.broker}: {exc}")


# ------------------------------------------------------------------- bench
@app.command()
def bench(
    articles: Annotated[int, typer.Option(help="Articles to process.")] = 200,
    processes: Annotated[int | None, typer.Option(help="NLP processes (default: setting).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    input_path: Annotated[Path | None, typer.Option("--input", help="Articles to use.")] = None,
) -> None:
    """Benchmark: raw spaCy ceiling vs the full pipeline through the broker."""
    from workers.bench import run_bench

    settings = load_settings(processes=processes)
    setup_logging("WARNING")
    try:
        report = run_bench(settings, articles=articles, input_path=input_path, console=console)
    except CliError as exc:
        fail(str(exc))
    if as_json:
        import json

        print(json.dumps(report, sort_keys=True))
    else:
        for key, value in report.items():
            out.print(f"{key:32} {value}")


# ---------------------------------------------------------------- settings
@app.command("settings")
def show_settings(
    markdown: Annotated[bool, typer.Option("--markdown", help="README table.")] = False,
) -> None:
    """Print every setting with its environment variable and current value."""
    settings = load_settings()
    values = settings.redacted()
    if markdown:
        print("| Variable | Default | Meaning |\n|---|---|---|")
    for name, info in Settings.model_fields.items():
        env = f"PARLEY_{name.upper()}"
        if markdown:
            default = "(cores)" if name == "processes" else values.get(name)
            if isinstance(default, list):
                default = ",".join(str(item) for item in default)
            if name == "alert_rules":
                default = "workers/data/alert_rules.yaml"
            print(f"| `{env}` | `{default}` | {info.description} |")
        else:
            print(f"{env}={values.get(name)}")


@app.command()
def version() -> None:
    """Print parley's version."""
    print(__version__)


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
