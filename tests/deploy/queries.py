"""Metric names that the Grafana dashboard and the Prometheus rules query.

Shared by the offline test against ``workers.metrics.REGISTRY`` and the
lead's test against a real ``/metrics`` scrape: both compare
:func:`queried_metric_names` with the names a registry or a scrape exposes
(:func:`registry_metric_names`, :func:`scrape_metric_names`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import CollectorRegistry

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy"
DASHBOARD_PATH = DEPLOY_DIR / "grafana" / "dashboards" / "parley.json"
RULES_PATH = DEPLOY_DIR / "prometheus" / "rules.yml"

# Histogram series suffixes: a query names the series, the registry the family.
# Counters keep their `_total`: it is part of the queried and exposed name.
_SERIES_SUFFIXES = ("_bucket", "_sum", "_count")
# Quoted strings hold label values and regexes, never metric names.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_PARLEY_NAME = re.compile(r"(?<![\w:])parley_[A-Za-z0-9_:]*")


def metric_names_in(expression: str) -> set[str]:
    """parley_* metric names referenced by one PromQL expression."""
    unquoted = _QUOTED.sub('""', expression)
    return {_strip_series_suffix(name) for name in _PARLEY_NAME.findall(unquoted)}


def _strip_series_suffix(name: str) -> str:
    for suffix in _SERIES_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def dashboard_expressions(path: Path = DASHBOARD_PATH) -> list[str]:
    """Every PromQL string in a dashboard: panel targets and template variables."""
    dashboard = json.loads(path.read_text())
    expressions = [
        node["expr"]
        for node in _walk(dashboard.get("panels", []))
        if isinstance(node.get("expr"), str)
    ]
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if isinstance(query, str):
            expressions.append(query)
    return expressions


def rule_expressions(path: Path = RULES_PATH) -> list[str]:
    """Every ``expr`` of every alerting and recording rule in a rule file."""
    document = yaml.safe_load(path.read_text())
    return [str(rule["expr"]) for group in document["groups"] for rule in group["rules"]]


_JOB = re.compile(r'job="([^"]+)"')


def queried_metric_names(job: str | None = None) -> set[str]:
    """parley_* names queried by the dashboard and the alert rules.

    Histogram series names are reduced to the family name
    (``parley_end_to_end_latency_seconds_bucket`` -> ``parley_end_to_end_latency_seconds``);
    counters keep ``_total`` and info metrics keep ``_info``. With ``job``,
    only expressions selecting that scrape job (``parley`` is the worker,
    ``parley-poll`` the feed poller: each exposes its own registry).
    """
    names: set[str] = set()
    for expression in [*dashboard_expressions(), *rule_expressions()]:
        if job is None or job in _JOB.findall(expression):
            names |= metric_names_in(expression)
    return names


def jobs_queried() -> set[str]:
    """Every scrape job an expression selects."""
    return {
        job
        for expression in [*dashboard_expressions(), *rule_expressions()]
        for job in _JOB.findall(expression)
    }


def exposed_names(families: Iterable[Metric]) -> set[str]:
    """Names a query may use for these families: family name and every series name."""
    names: set[str] = set()
    for family in families:
        names.add(family.name)
        # A labelled metric has no samples until first used: derive the
        # series names from the type so an idle registry still lists them.
        if family.type == "counter":
            names.add(f"{family.name}_total")
        elif family.type == "info":
            names.add(f"{family.name}_info")
        elif family.type == "histogram":
            names.update(f"{family.name}{suffix}" for suffix in _SERIES_SUFFIXES)
        names.update(sample.name for sample in family.samples)
    return names


def registry_metric_names(registry: CollectorRegistry) -> set[str]:
    """Names exposed by an in-process registry (e.g. ``workers.metrics.REGISTRY``)."""
    return exposed_names(registry.collect())


def scrape_metric_names(exposition: str) -> set[str]:
    """Names exposed by a Prometheus text-format scrape of ``/metrics``."""
    return exposed_names(text_string_to_metric_families(exposition))


def _walk(nodes: Any) -> Iterator[dict[str, Any]]:
    if isinstance(nodes, dict):
        yield nodes
        for value in nodes.values():
            yield from _walk(value)
    elif isinstance(nodes, list):
        for item in nodes:
            yield from _walk(item)
