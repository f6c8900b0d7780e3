from __future__ import annotations

import pytest

from peermatch import create_app
from peermatch.config import ConfigError, Settings, normalise_database_url
from tests.conftest import production_settings


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env({"PEERMATCH_ENV": "production"}).flask_config(str(tmp_path))


def test_production_cookies_are_secure_and_debug_is_off(tmp_path):
    settings = Settings.from_env({"PEERMATCH_ENV": "production", "SECRET_KEY": "x" * 32,
                                  "DATABASE_URL": "postgresql://app@db:5432/peermatch",
                                  "REDIS_URL": "redis://cache:6379/0", "MAIL_BACKEND": "smtp",
                                  "PUBLIC_URL": "https://peermatch.example"})
    config = settings.flask_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["DEBUG"] is False
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db:5432/peermatch"


def test_development_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    config = Settings.from_env({}).flask_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/peermatch.sqlite3"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_development_secret_key_is_read_from_the_instance_folder(tmp_path):
    (tmp_path / "secret_key").write_text("kept-secret\n")
    assert Settings.from_env({}).flask_config(str(tmp_path))["SECRET_KEY"] == "kept-secret"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@127.0.0.1:5432/test", "postgresql+psycopg://u@127.0.0.1:5432/test"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_plain_postgresql_urls_are_driven_by_psycopg(given, expected):
    assert normalise_database_url(given) == expected


def test_production_500_page_has_no_traceback(tmp_path):
    app = create_app({
        "PEERMATCH": production_settings(database_url=f"sqlite:///{tmp_path}/p.sqlite3"),
    })

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.view_functions["boom"].is_public = True
    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize(("hops", "expected"), [(0, "127.0.0.1 http"), (1, "203.0.113.9 https")])
def test_forwarded_headers_are_believed_only_behind_trusted_proxies(tmp_path, hops, expected):
    from flask import request

    app = create_app({"PEERMATCH": Settings(env="testing", secret_key="k", trusted_proxies=hops,
                                            database_url=f"sqlite:///{tmp_path}/p.sqlite3")})

    @app.route("/whoami")
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    app.view_functions["whoami"].is_public = True
    response = app.test_client().get("/whoami", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == expected


@pytest.mark.parametrize(("missing", "message"), [
    ({"redis_url": None}, "REDIS_URL"), ({"public_url": None}, "PUBLIC_URL"),
    ({"mail_backend": "console"}, "MAIL_BACKEND=console"), ({"mail_backend": "pigeon"}, "unknown")])
def test_production_refuses_settings_that_would_weaken_it(tmp_path, missing, message):
    with pytest.raises(ConfigError, match=message):
        production_settings(**missing).flask_config(str(tmp_path))
