"""Alert rules over coded events, with suppression of repeated reports.

Rules come from a YAML file (``Settings.alert_rules``; the documented example
is ``workers/data/alert_rules.yaml``). An invalid file fails at start with
``AlertRulesError`` naming the file, the line and the problem.

``AlertEngine.evaluate`` turns one event into zero or more alerts. One
real-world event (its ``story_id`` from cross-article linking, else a key of
event date, source, target and CAMEO code) alerts once per rule within the
suppression window; a later report with more mentions alerts again as an
update; a report with the same or fewer mentions (a duplicate) alerts
nothing. A replay of an event that alerted (redelivery after a crash)
raises the same alert again: the decision is recorded per event. The
engine's state is a mapping of small JSON values (the worker's state store,
``workers/journal.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from schemas.models import Actor, Alert, Event, Severity
from workers.publish.summary import event_summary


class AlertRulesError(ValueError):
    """An alert rules file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class AlertRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    severity: Severity = Severity.WARNING
    countries: frozenset[str] = frozenset()
    actor_codes: tuple[str, ...] = ()
    actor_match: Literal["either", "both", "source", "target"] = "either"
    plover_types: frozenset[str] = frozenset()
    cameo_codes: tuple[str, ...] = ()
    goldstein_max: float | None = Field(default=None, ge=-10.0, le=10.0)
    quad_classes: frozenset[Literal[1, 2, 3, 4]] = frozenset()
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    include_negated: bool = False
    include_hypothetical: bool = False
    include_historical: bool = False

    @field_validator("countries", mode="after")
    @classmethod
    def _iso3(cls, value: frozenset[str]) -> frozenset[str]:
        bad = sorted(c for c in value if len(c) != 3 or not c.isalpha() or not c.isupper())
        if bad:
            raise ValueError(f"countries must be ISO 3166 alpha-3 codes, got {bad}")
        return value

    @field_validator("plover_types", mode="after")
    @classmethod
    def _plover(cls, value: frozenset[str]) -> frozenset[str]:
        bad = sorted(value - PLOVER_TYPES)
        if bad:
            raise ValueError(f"unknown PLOVER type(s) {bad}; known: {sorted(PLOVER_TYPES)}")
        return value

    @field_validator("cameo_codes", mode="after")
    @classmethod
    def _cameo(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in value if not (c.isdigit() and 2 <= len(c) <= 4)]
        if bad:
            raise ValueError(f"CAMEO codes are 2 to 4 digits (quote them in YAML), got {bad}")
        return value

    def matches(self, event: Event) -> bool:
        if event.modality.negated and not self.include_negated:
            return False
        if event.modality.hypothetical and not self.include_hypothetical:
            return False
        if event.temporal.historical and not self.include_historical:
            return False
        if event.confidence < self.min_confidence:
            return False
        if self.plover_types and event.plover.type not in self.plover_types:
            return False
        if self.cameo_codes and not event.cameo.code.startswith(self.cameo_codes):
            return False
        if self.goldstein_max is not None and event.goldstein > self.goldstein_max:
            return False
        if self.quad_classes and event.quad_class not in self.quad_classes:
            return False
        return self._watchlist_matches(event)

    def _on_watchlist(self, actor: Actor | None) -> bool:
        if actor is None:
            return False
        if actor.country is not None and actor.country in self.countries:
            return True
        return bool(actor.code and self.actor_codes and actor.code.startswith(self.actor_codes))

    def _watchlist_matches(self, event: Event) -> bool:
        if not self.countries and not self.actor_codes:
            return True
        source, target = self._on_watchlist(event.source), self._on_watchlist(event.target)
        return {
            "either": source or target,
            "both": source and target,
            "source": source,
            "target": target,
        }[self.actor_match]


# PLOVER manual (draft 2.0), openeventdata/PLOVER: the sixteen event types.
PLOVER_TYPES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)


class AlertRulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: list[AlertRule] = []


def parse_alert_rules(text: str, path: Path | str = "<string>") -> list[AlertRule]:
    """Rules from YAML text; ``AlertRulesError`` (file, line, problem) when invalid."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise AlertRulesError(path, line, f"invalid YAML: {exc.problem or exc}") from exc
    if data is None:
        return []
    if not isinstance(data, dict):
        raise AlertRulesError(path, _line(node, ()), "expected a mapping with a 'rules' list")
    try:
        parsed = AlertRulesFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = tuple(error["loc"])
        field = ".".join(str(p) for p in location) or "file"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise AlertRulesError(
            path, _line(node, location), f"{field}: {error['msg']}{more}"
        ) from exc
    seen: dict[str, int] = {}
    for index, rule in enumerate(parsed.rules):
        if rule.id in seen:
            raise AlertRulesError(
                path,
                _line(node, ("rules", index, "id")),
                f"duplicate rule id {rule.id!r} (first defined in rules[{seen[rule.id]}])",
            )
        seen[rule.id] = index
    return parsed.rules


def load_alert_rules(path: Path | str) -> list[AlertRule]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AlertRulesError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    return parse_alert_rules(text, path)


def _line(node: yaml.Node | None, location: Sequence[int | str]) -> int | None:
    """1-based line of the YAML node at ``location``, else of its deepest existing parent.

    For a missing key this is the mapping that lacks it; for a bad value, the
    key's line (which is where an editor should look).
    """
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in location:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
                line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def event_story_key(event: Event) -> str:
    if event.story_id:
        return event.story_id
    source = event.source.code or event.source.country if event.source else ""
    target = event.target.code or event.target.country if event.target else ""
    when = event.temporal.event_date.isoformat() if event.temporal.event_date else "undated"
    return f"{when}|{source or ''}|{target or ''}|{event.cameo.code}"


#: Alert decisions remembered per story and rule, for replays (``AlertEngine.decide``).
MAX_DECIDED = 256


def alert_id_for(rule_id: str, story_key: str, update: int) -> str:
    digest = hashlib.sha256(f"{rule_id}|{story_key}|{update}".encode()).hexdigest()[:24]
    return f"alert-{digest}"


class AlertEngine:
    def __init__(
        self,
        rules: Sequence[AlertRule],
        state: MutableMapping[str, dict[str, Any]],
        suppression_window_s: float,
    ) -> None:
        self.rules = list(rules)
        self.state = state
        self.suppression_window_s = suppression_window_s

    def is_expired(self, entry: Mapping[str, Any], now: float) -> bool:
        """Suppression lasts one window from the first alert of a story and rule."""
        return now - float(entry["first_at"]) > self.suppression_window_s

    def decide(
        self, rule_id: str, story: str, mentions: int, now: float, event_hash: str = ""
    ) -> int | None:
        """Record a matching report; the alert's update number (0: first), None: suppressed.

        One real-world event alerts once per rule within the suppression
        window, and again (as an update) only when it has more mentions.
        With ``event_hash``, an alert decided for that event is recorded
        (the last ``MAX_DECIDED``), and a replay of the event (at-least-once
        redelivery after a crash) raises the same alert again instead of
        being suppressed by its own first report: the state can then be
        written before the alert is published without ever losing it.
        """
        state_key = f"{rule_id}|{story}"
        entry = self.state.get(state_key)
        if entry is not None and self.is_expired(entry, now):
            entry = None
        decided: list[list[Any]] = list(entry.get("decided", ())) if entry is not None else []
        if event_hash:
            for seen_hash, seen_update in decided:
                if seen_hash == event_hash:
                    return int(seen_update)
        if entry is None:
            update = 0
        elif mentions > int(entry["mentions"]):
            update = int(entry["updates"]) + 1
        else:
            return None
        if event_hash:
            decided = [*decided, [event_hash, update]][-MAX_DECIDED:]
        self.state[state_key] = {
            "first_at": now if entry is None else entry["first_at"],
            "mentions": mentions,
            "updates": update,
            "decided": decided,
        }
        return update

    def evaluate(self, event: Event, now: float) -> list[Alert]:
        alerts = []
        story = event_story_key(event)
        for rule in self.rules:
            if not rule.matches(event):
                continue
            update = self.decide(rule.id, story, event.mentions, now)
            if update is None:
                continue
            alerts.append(
                Alert(
                    alert_id=alert_id_for(rule.id, story, update),
                    rule_id=rule.id,
                    severity=rule.severity,
                    is_update=update > 0,
                    summary=event_summary(event),
                    event=event,
                    raised_at=datetime.fromtimestamp(now, UTC),
                )
            )
        return alerts

    def expire(self, now: float) -> int:
        """Drop suppression entries past their window; returns how many were dropped."""
        expired = [key for key, entry in list(self.state.items()) if self.is_expired(entry, now)]
        for key in expired:
            del self.state[key]
        return len(expired)
