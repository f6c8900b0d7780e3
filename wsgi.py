"""The WSGI entry point: ``gunicorn wsgi:app``."""

from peermatch import create_app

app = create_app()
