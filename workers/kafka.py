"""How parley connects to Kafka: bootstrap servers and security (SASL/SSL), in one place.

Every client parley opens uses this module: the worker (through Faust),
topic creation and start offsets (``workers.broker``), ``parley produce``,
``parley tail``, the demo and the benchmark. It imports neither Faust nor
aiokafka at module level, so the command-line tools that only need plain
aiokafka clients never load the Faust app; ``faust_credentials`` imports
Faust's credential classes when the worker asks for them.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

from workers.settings import Settings

if TYPE_CHECKING:
    from faust.auth import Credentials


def bootstrap_list(bootstrap: str) -> list[str]:
    """``host:port[,host:port]`` as a list of ``host:port``, blanks dropped."""
    return [server.strip() for server in bootstrap.split(",") if server.strip()]


def faust_broker_urls(bootstrap: str) -> list[str]:
    """The bootstrap servers as Faust broker URLs (``kafka://host:port``)."""
    return [f"kafka://{server}" for server in bootstrap_list(bootstrap)]


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for SSL and SASL_SSL (CA bundle, client certificate); else None."""
    if settings.security_protocol not in ("SSL", "SASL_SSL"):
        return None
    context = ssl.create_default_context(
        cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None
    )
    if settings.ssl_certfile:
        context.load_cert_chain(
            str(settings.ssl_certfile),
            str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
        )
    return context


def _sasl_password(settings: Settings) -> str | None:
    return settings.sasl_password.get_secret_value() if settings.sasl_password else None


def client_options(settings: Settings) -> dict[str, Any]:
    """Security keyword arguments for plain aiokafka clients (producer, consumer, admin)."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.sasl_mechanism or "PLAIN"
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = _sasl_password(settings)
    return options


def faust_credentials(settings: Settings) -> Credentials | None:
    """The same security settings as Faust ``broker_credentials``; None for PLAINTEXT."""
    protocol = settings.security_protocol
    if protocol == "PLAINTEXT":
        return None
    from faust.auth import SASLCredentials, SSLCredentials

    context = ssl_context(settings)
    if protocol == "SSL":
        assert context is not None
        return SSLCredentials(context)
    return SASLCredentials(
        username=settings.sasl_username,
        password=_sasl_password(settings),
        mechanism=settings.sasl_mechanism or "PLAIN",
        ssl_context=context,
    )
