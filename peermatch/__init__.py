"""PeerMatch: peer support matching for people living with breast cancer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, with ``config`` overriding them (tests)."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    overrides = dict(config or {})
    env_settings = overrides.pop("PEERMATCH", None) or Settings.from_env()
    app.config.from_mapping(env_settings.flask_config(app.instance_path))
    app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from . import (
        auth,
        cli,
        errors,
        inbox,
        logs,
        matches,
        moderation,
        pages,
        profiles,
        settings,
        templating,
        throttle,
        web,
    )
    from .extensions import csrf, db, login_manager, migrate

    app.url_map.converters["int"] = web.IdConverter  # before any route is added
    logs.configure(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    auth.init_login(login_manager)
    throttle.init_app(app)

    for feature in (pages, auth, profiles, matches, inbox, moderation, settings):
        app.register_blueprint(feature.bp)
    for part in (errors, web, templating, cli):
        part.register(app)
    _trust_proxies(app, app.config["PEERMATCH"].trusted_proxies)
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind a load balancer: believe its X-Forwarded-* headers, for that many hops only."""
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
