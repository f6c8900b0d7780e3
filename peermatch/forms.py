"""Form pieces shared by several blueprints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget


class TrimmedStringField(StringField):
    """A text field whose value loses surrounding white space."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        value = getattr(self, "data", None)
        if isinstance(value, str):
            self.data = value.strip()


class CheckboxGroupField(SelectMultipleField):
    """Several checkboxes, one per choice; rendered as a fieldset by the templates."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(
    vocabulary: Mapping[str, str] | Iterable[tuple[str, str]], prompt: str | None = None
) -> list[SelectChoice]:
    """Select options from a vocabulary, optionally led by an empty "choose" prompt."""
    pairs = vocabulary.items() if isinstance(vocabulary, Mapping) else vocabulary
    leading = [SelectChoice("", prompt)] if prompt else []
    return leading + [SelectChoice(code, label) for code, label in pairs]
