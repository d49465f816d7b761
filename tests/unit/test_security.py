"""Broker security settings reach the Kafka clients; secrets never reach output.

SASL (PLAIN, SCRAM) and SSL settings must arrive unchanged at aiokafka, both
through Faust (``workers.kafka.faust_credentials``) and for the plain clients
parley opens itself (``workers.kafka.client_options``: topic creation, tail,
produce). The SASL password is
a ``SecretStr`` from the environment or a file and must not show up in
``parley settings`` or ``Settings.redacted()``; the worker's start-up log is
checked with a real process in tests/functional/test_security_log.py.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import certifi
import pytest
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import SecretStr
from typer.testing import CliRunner

from workers.cli import app as cli_app
from workers.kafka import client_options as kafka_client_options
from workers.kafka import faust_credentials as broker_credentials
from workers.settings import Settings

SECRET = "s3cr3t-Pa55word-do-not-log"
FILE_SECRET = "another-s3cr3t-from-a-file"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("PARLEY_"):
            monkeypatch.delenv(name)


def settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


def test_plaintext_has_no_credentials() -> None:
    plain = settings()
    assert broker_credentials(plain) is None
    assert kafka_client_options(plain) == {"security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_plaintext_passes_mechanism_user_and_password(mechanism: str) -> None:
    config = settings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=mechanism,
        sasl_username="parley",
        sasl_password=SECRET,
    )
    credentials = broker_credentials(config)
    assert isinstance(credentials, SASLCredentials)
    # What Faust hands to aiokafka's producer and consumer.
    auth = credentials_to_aiokafka_auth(credentials)
    assert auth["security_protocol"] == "SASL_PLAINTEXT"
    assert auth["sasl_mechanism"] == mechanism
    assert auth["sasl_plain_username"] == "parley"
    assert auth["sasl_plain_password"] == SECRET
    assert auth["ssl_context"] is None

    options = kafka_client_options(config)
    assert options == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "parley",
        "sasl_plain_password": SECRET,
    }


def test_sasl_ssl_uses_the_ca_file_for_both_clients() -> None:
    config = settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="parley",
        sasl_password=SECRET,
        ssl_cafile=Path(certifi.where()),
    )
    auth = credentials_to_aiokafka_auth(broker_credentials(config))
    assert auth["security_protocol"] == "SASL_SSL"
    assert auth["sasl_mechanism"] == "SCRAM-SHA-512"
    context = auth["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0  # the bundle was loaded

    options = kafka_client_options(config)
    assert options["security_protocol"] == "SASL_SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["sasl_plain_password"] == SECRET


def test_ssl_only_passes_a_context_and_no_sasl() -> None:
    config = settings(security_protocol="SSL", ssl_cafile=Path(certifi.where()))
    credentials = broker_credentials(config)
    assert isinstance(credentials, SSLCredentials)
    auth = credentials_to_aiokafka_auth(credentials)
    assert auth["security_protocol"] == "SSL"
    assert isinstance(auth["ssl_context"], ssl.SSLContext)
    options = kafka_client_options(config)
    assert set(options) == {"security_protocol", "ssl_context"}
    assert isinstance(options["ssl_context"], ssl.SSLContext)


def test_a_missing_ca_file_fails_loudly() -> None:
    config = settings(security_protocol="SSL", ssl_cafile=Path("/nonexistent/ca.pem"))
    with pytest.raises(OSError):
        broker_credentials(config)


def test_password_from_env_is_a_secret_and_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("PARLEY_SASL_PASSWORD", SECRET)
    loaded = Settings()
    assert isinstance(loaded.sasl_password, SecretStr)
    assert loaded.sasl_password.get_secret_value() == SECRET
    assert SECRET not in repr(loaded) and SECRET not in str(loaded)
    assert SECRET not in str(loaded.redacted())
    assert loaded.redacted()["sasl_password"] == "**********"


def test_password_from_file_is_a_secret_and_redacted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "password"
    secret_file.write_text(FILE_SECRET + "\n")
    monkeypatch.setenv("PARLEY_SASL_PASSWORD_FILE", str(secret_file))
    loaded = Settings()
    assert isinstance(loaded.sasl_password, SecretStr)
    assert loaded.sasl_password.get_secret_value() == FILE_SECRET
    assert FILE_SECRET not in str(loaded.redacted()) and FILE_SECRET not in repr(loaded)


@pytest.mark.parametrize("source", ["env", "file"])
def test_parley_settings_never_prints_the_password(
    source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PARLEY_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("PARLEY_SASL_USERNAME", "parley")
    if source == "env":
        monkeypatch.setenv("PARLEY_SASL_PASSWORD", SECRET)
        secret = SECRET
    else:
        (tmp_path / "password").write_text(FILE_SECRET)
        monkeypatch.setenv("PARLEY_SASL_PASSWORD_FILE", str(tmp_path / "password"))
        secret = FILE_SECRET
    for args in (["settings"], ["settings", "--markdown"]):
        result = CliRunner().invoke(cli_app, args)
        assert result.exit_code == 0, result.output
        assert "PARLEY_SASL_PASSWORD=" in result.output or "PARLEY_SASL_PASSWORD`" in result.output
        assert secret not in result.output
