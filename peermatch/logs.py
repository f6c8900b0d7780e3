"""Application logging: one record per line start, so user text cannot forge a record."""

from __future__ import annotations

import logging
import sys

from flask import Flask


class SingleRecordFormatter(logging.Formatter):
    """Indents every continuation line, so a newline in user input never starts a record."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\n    | ")


def configure(app: Flask) -> None:
    logger = logging.getLogger("peermatch")
    if logger.handlers or app.testing:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        SingleRecordFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
