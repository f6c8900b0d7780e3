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

    logs.configure(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    auth.init_login(login_manager)
    throttle.init_app(app)

    app.register_blueprint(pages.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(matches.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(settings.bp)
    errors.register(app)
    web.register(app)
    templating.register(app)
    cli.register(app)
    proxies = app.config["PEERMATCH"].trusted_proxies
    if proxies:  # behind a load balancer: trust its X-Forwarded-* headers, that many hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
    return app
