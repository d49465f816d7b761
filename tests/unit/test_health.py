"""Liveness and readiness rules of the worker (workers.app.Health), no broker."""

from __future__ import annotations

from workers.app import Health


def test_idle_worker_is_alive_however_long_it_waits() -> None:
    health = Health(last_progress=0.0)
    assert health.liveness(stuck_after_s=60, now=10_000) == (True, "ok")


def test_batch_running_longer_than_the_limit_is_stuck() -> None:
    health = Health(busy_since=100.0, last_progress=100.0)
    alive, reason = health.liveness(stuck_after_s=60, now=161.0)
    assert not alive
    assert "batch in progress for 61s" in reason
    assert health.liveness(stuck_after_s=60, now=159.0)[0]


def test_lag_without_progress_is_stuck() -> None:
    health = Health(last_progress=0.0, total_lag=25)
    alive, reason = health.liveness(stuck_after_s=30, now=31.0)
    assert not alive and "lag 25" in reason
    health.progress()
    assert health.liveness(stuck_after_s=30)[0]


def test_ready_only_with_model_broker_partitions_and_state() -> None:
    health = Health()
    ready, checks = health.readiness()
    assert not ready and checks == {
        "model_loaded": False,
        "broker_reachable": False,
        "partitions_assigned": False,
        "state_recovered": False,
    }
    health.model_loaded = health.broker_reachable = True
    assert not health.readiness()[0]
    health.assigned_partitions = 2
    assert not health.readiness()[0], "not ready before the state journal is read"
    health.state_recovered = True
    assert health.readiness() == (
        True,
        {
            "model_loaded": True,
            "broker_reachable": True,
            "partitions_assigned": True,
            "state_recovered": True,
        },
    )
