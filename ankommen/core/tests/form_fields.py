"""Read back what a browser would send: the fields of the form on a page that carries a given hidden field."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        present = {name for name, _ in attrs}
        if tag == "form":
            self._fields = []
        elif self._fields is None or "disabled" in present:
            return
        elif tag == "input" and attr.get("name"):
            kind = attr.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in present:
                return
            self._fields.append((attr["name"], attr.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and attr.get("name"):
            self._select, self._select_values, self._first_option = attr["name"], [], None
            self._multiple = "multiple" in present
        elif tag == "option" and self._select is not None:
            self._option_value, self._option_selected, self._option_text = attr.get("value"), "selected" in present, ""
            if "value" not in present:
                self._option_value = None
        elif tag == "textarea" and attr.get("name"):
            self._textarea, self._text = attr["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        elif self._select is not None and self._option_value is None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            if self._first_option is None:
                self._first_option = value
            if self._option_selected:
                self._select_values.append(value)
        elif tag == "select" and self._select is not None:
            values = self._select_values or ([] if self._multiple else [self._first_option or ""])
            self._fields.extend((self._select, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def form_with(html: str, field: str) -> dict[str, str | list[str]]:
    """The values of the (first) form that has a field named `field`; repeated names become lists."""
    reader = _FormReader()
    reader.feed(html)
    for fields in reader.forms:
        if any(name == field for name, _ in fields):
            values: dict[str, str | list[str]] = {}
            for name, value in fields:
                if name in values:
                    previous = values[name]
                    values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
                else:
                    values[name] = value
            return values
    raise AssertionError(f"no form with a field {field!r} on the page")


def opened_version(client: Any, url: str) -> dict[str, str]:
    """The version of the edit form at `url`, as a browser sends it back with the form (docs/concurrency.md).

    An edit form posted without it is refused, so tests that post their own values add this to them.
    """
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    found = re.search(r'name="((?:[\w-]+-)?record_version)" value="([0-9a-f]+)"', response.content.decode())
    assert found, f"no version on {url}"
    return {found.group(1): found.group(2)}
