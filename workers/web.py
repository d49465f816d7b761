"""The health and metrics pages every long-running parley process serves.

The worker (``workers/app.py``) and the feed poller (``workers/feeds``) answer
the same three pages with the same rules, each from its own health object and
Prometheus registry:

- ``/metrics``: the process's registry in the Prometheus text format;
- ``/healthz``: 200 while the process makes progress (or has nothing to do),
  503 once it is stuck, so the orchestrator restarts it;
- ``/readyz``: 200 when it can do its work, 503 with the failing checks.

``register_health_pages`` puts them on a Faust app. ``serve_not_ready`` answers
them before Faust starts (while topics are being created and the broker may
be away): alive, not ready, since an orchestrator that finds nothing
listening on the port cannot tell "starting" from "hung".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.metrics import Gauge

log = logging.getLogger(__name__)

T = TypeVar("T")


class HealthState(Protocol):
    def liveness(self, stuck_after_s: float, now: float | None = None) -> tuple[bool, str]: ...

    def readiness(self) -> tuple[bool, dict[str, bool]]: ...


def register_health_pages(
    app: Any,
    health: HealthState,
    registry: CollectorRegistry,
    stuck_after_s: float,
    before_scrape: Callable[[], None] | None = None,
    extra_readiness: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """Serve /metrics, /healthz and /readyz on a Faust app's web server."""

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        if before_scrape is not None:
            before_scrape()
        body = generate_latest(registry)
        return web.bytes(body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        alive, reason = health.liveness(stuck_after_s)
        return web.json({"alive": alive, "reason": reason}, status=200 if alive else 503)

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        ready, checks = health.readiness()
        extra = extra_readiness() if extra_readiness is not None else {}
        return web.json({"ready": ready, **checks, **extra}, status=200 if ready else 503)


async def serve_not_ready(
    host: str,
    port: int,
    registry: CollectorRegistry,
    ready_gauge: Gauge,
    waiting: Awaitable[T],
) -> T:
    """Answer the three pages as "alive, not ready" while ``waiting`` runs.

    Faust takes the port over once this returns.
    """
    from aiohttp import web

    async def readyz(request: web.Request) -> web.Response:
        return web.json_response(
            {"ready": False, "broker_reachable": False, "waiting_for": "broker"}, status=503
        )

    async def healthz(request: web.Request) -> web.Response:
        # Waiting for Kafka is not a reason to restart the process.
        return web.json_response({"alive": True, "reason": "waiting for the broker"})

    async def metrics_page(request: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    ready_gauge.set(0)
    application = web.Application()
    application.add_routes(
        [
            web.get("/readyz", readyz),
            web.get("/healthz", healthz),
            web.get("/metrics", metrics_page),
        ]
    )
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        # Faust will fail on the same port with a clearer error; do not block on it here.
        log.warning("cannot serve health endpoints on port %d: %s", port, exc)
    try:
        return await waiting
    finally:
        await runner.cleanup()


def prepare_before_faust(
    host: str,
    port: int,
    registry: CollectorRegistry,
    ready_gauge: Gauge,
    preparing: Awaitable[Any],
) -> None:
    """Run ``preparing`` (topic creation, start offsets) while answering "not ready".

    A broker problem a user can fix becomes a ``CliError``. Afterwards a fresh
    event loop is installed for Faust, which must not inherit the closed one.
    """
    from workers.broker import BrokerError
    from workers.errors import CliError

    try:
        asyncio.run(serve_not_ready(host, port, registry, ready_gauge, preparing))
    except BrokerError as exc:
        raise CliError(str(exc)) from exc
    asyncio.set_event_loop(asyncio.new_event_loop())
