from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas.models import Severity
from tests.unit.publish import factories
from workers.publish.alerts import (
    AlertEngine,
    AlertRule,
    AlertRulesError,
    load_alert_rules,
    parse_alert_rules,
)
from workers.settings import Settings

HOUR = 3600.0

WATCHLIST = AlertRule(
    id="watch",
    severity=Severity.CRITICAL,
    countries=frozenset({"RUS", "IRN"}),
    plover_types=frozenset({"SANCTION", "ASSAULT"}),
)


def engine(*rules: AlertRule, window: float = 24 * HOUR) -> tuple[AlertEngine, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = {}
    return AlertEngine(rules or (WATCHLIST,), state, window), state


# --- rule matching -------------------------------------------------------


def test_watchlist_matches_source_or_target_by_default() -> None:
    assert WATCHLIST.matches(factories.event(source="RUS", target="USA"))
    assert WATCHLIST.matches(factories.event(source="USA", target="IRN"))
    assert not WATCHLIST.matches(factories.event(source="USA", target="GBR"))


def test_actor_match_both_source_and_target() -> None:
    both = WATCHLIST.model_copy(update={"actor_match": "both"})
    assert not both.matches(factories.event(source="RUS", target="USA"))
    assert both.matches(factories.event(source="RUS", target="IRN"))
    source_only = WATCHLIST.model_copy(update={"actor_match": "source"})
    assert not source_only.matches(factories.event(source="USA", target="RUS"))
    target_only = WATCHLIST.model_copy(update={"actor_match": "target"})
    assert target_only.matches(factories.event(source="USA", target="RUS"))


def test_actor_codes_match_by_prefix() -> None:
    rule = AlertRule(id="mil", actor_codes=("RUSMIL",))
    hit = factories.event().model_copy(update={"source": factories.actor("RUS", "RUSMIL")})
    assert rule.matches(hit)
    assert not rule.matches(factories.event())  # RUSGOV


def test_plover_cameo_prefix_goldstein_quad_and_confidence_selectors() -> None:
    assert not WATCHLIST.matches(factories.event(plover="CONSULT", cameo="040"))
    expulsions = AlertRule(id="exp", cameo_codes=("16",))
    assert expulsions.matches(factories.event(cameo="1663"))
    assert not expulsions.matches(factories.event(cameo="172"))
    violent = AlertRule(id="v", goldstein_max=-9.0)
    assert violent.matches(factories.event(goldstein=-10.0))
    assert violent.matches(factories.event(goldstein=-9.0))
    assert not violent.matches(factories.event(goldstein=-7.0))
    verbal = AlertRule(id="q", quad_classes=frozenset({3}))
    assert not verbal.matches(factories.event(quad_class=4))
    confident = AlertRule(id="c", min_confidence=0.7)
    assert confident.matches(factories.event(confidence=0.7))
    assert not confident.matches(factories.event(confidence=0.69))


def test_negated_hypothetical_and_historical_events_are_excluded_unless_asked() -> None:
    for flag in ("negated", "hypothetical", "historical"):
        event = factories.event(**{flag: True})
        assert not WATCHLIST.matches(event), flag
        assert WATCHLIST.model_copy(update={f"include_{flag}": True}).matches(event), flag


# --- suppression and updates ---------------------------------------------


def test_one_story_alerts_once_then_as_update_when_mentions_grow() -> None:
    alerts, _ = engine()
    first = alerts.evaluate(factories.event(story_id="s1", mentions=1), now=0.0)
    again = alerts.evaluate(factories.event(story_id="s1", mentions=1), now=10.0)
    grown = alerts.evaluate(factories.event(story_id="s1", mentions=3), now=20.0)
    fewer = alerts.evaluate(factories.event(story_id="s1", mentions=2), now=30.0)
    assert len(first) == 1 and not first[0].is_update
    assert again == []
    assert len(grown) == 1 and grown[0].is_update
    assert fewer == []
    assert len({first[0].alert_id, grown[0].alert_id}) == 2


def test_alert_ids_are_deterministic() -> None:
    one, _ = engine()
    two, _ = engine()
    event = factories.event(story_id="s9")
    assert one.evaluate(event, 0.0)[0].alert_id == two.evaluate(event, 500.0)[0].alert_id


def test_story_key_without_story_id_uses_date_dyad_and_code() -> None:
    alerts, _ = engine()
    assert alerts.evaluate(factories.event(event_id="a"), 0.0)
    assert alerts.evaluate(factories.event(event_id="b"), 1.0) == []
    assert alerts.evaluate(factories.event(event_id="c", target="GBR"), 2.0)


def test_a_new_alert_after_the_suppression_window() -> None:
    alerts, state = engine(window=HOUR)
    assert alerts.evaluate(factories.event(story_id="s"), 0.0)
    later = alerts.evaluate(factories.event(story_id="s"), 2 * HOUR)
    assert len(later) == 1 and not later[0].is_update
    assert alerts.expire(4 * HOUR) == 1
    assert state == {}


def test_each_matching_rule_alerts_with_its_severity_and_state_is_json() -> None:
    expulsions = AlertRule(id="exp", severity=Severity.WARNING, cameo_codes=("166",))
    alerts, state = engine(WATCHLIST, expulsions)
    raised = alerts.evaluate(factories.event(story_id="s"), 0.0)
    assert {(a.rule_id, a.severity) for a in raised} == {
        ("watch", Severity.CRITICAL),
        ("exp", Severity.WARNING),
    }
    assert json.loads(json.dumps(state)) == state


def test_summary_line() -> None:
    (alert,) = engine()[0].evaluate(factories.event(story_id="s"), 0.0)
    assert alert.summary == (
        "RUS -> USA  SANCTION (expel diplomats)  Goldstein -7.0  Moscow  2024-03-02"
    )


# --- rule files ----------------------------------------------------------


def test_the_shipped_example_is_valid_and_is_the_default_setting() -> None:
    path = Settings().alert_rules
    assert path is not None
    rules = load_alert_rules(path)
    assert 3 <= len(rules) <= 5
    assert len({r.id for r in rules}) == len(rules)
    by_id = {r.id: r for r in rules}
    assert by_id["watchlist-coercion"].matches(factories.event(source="RUS", target="USA"))
    assert by_id["diplomatic-expulsions"].matches(factories.event(cameo="166"))


def test_empty_file_has_no_rules() -> None:
    assert parse_alert_rules("") == []
    assert parse_alert_rules("version: 1\nrules: []\n") == []


def _error(text: str) -> AlertRulesError:
    with pytest.raises(AlertRulesError) as caught:
        parse_alert_rules(text, "rules.yaml")
    return caught.value


def test_invalid_value_names_file_line_and_field() -> None:
    error = _error("rules:\n  - id: ok\n  - id: bad\n    severity: urgent\n")
    assert error.line == 4
    assert str(error).startswith("rules.yaml:4: rules.1.severity:")


def test_unknown_key_is_reported_on_its_line() -> None:
    error = _error("rules:\n  - id: a\n    plover_type: [ASSAULT]\n")
    assert error.line == 3
    assert "plover_type" in str(error)


def test_unknown_plover_type_and_unquoted_cameo_code() -> None:
    assert _error("rules:\n  - id: a\n    plover_types: [ATTACK]\n").line == 3
    error = _error("rules:\n  - id: a\n\n    cameo_codes: [166]\n")
    assert error.line == 4
    assert "cameo_codes" in str(error)


def test_missing_id_points_at_the_rule() -> None:
    error = _error("rules:\n  - id: a\n  - severity: info\n")
    assert error.line == 3
    assert "rules.1.id" in str(error)


def test_duplicate_rule_ids() -> None:
    error = _error("rules:\n  - id: a\n  - id: b\n  - id: a\n")
    assert error.line == 4
    assert "duplicate rule id 'a'" in str(error)


def test_yaml_syntax_error_has_a_line() -> None:
    error = _error("rules:\n  - id: a\n    countries: [RUS\n")
    assert error.line is not None
    assert "invalid YAML" in str(error)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(AlertRulesError, match="cannot read"):
        load_alert_rules(tmp_path / "missing.yaml")


def test_a_replayed_event_raises_its_alert_again_whatever_came_in_meanwhile() -> None:
    """Redelivery after a crash: the state was written before the alert went out."""
    state: dict[str, Any] = {}
    engine = AlertEngine([], state, suppression_window_s=3600)
    assert engine.decide("watch", "story-1", 1, 0.0, event_hash="a") == 0
    assert engine.decide("watch", "story-1", 2, 1.0, event_hash="b") == 1
    assert engine.decide("watch", "story-1", 2, 2.0, event_hash="c") is None  # no new mentions
    # The replays get the update numbers first given, not "suppressed".
    assert engine.decide("watch", "story-1", 1, 3.0, event_hash="a") == 0
    assert engine.decide("watch", "story-1", 2, 4.0, event_hash="b") == 1
    # Without an event hash (a caller that does not replay), as before.
    assert engine.decide("watch", "story-1", 1, 5.0) is None
