"""Every German catalogue is complete: no empty translation, no fuzzy entry."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ANKOMMEN = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ANKOMMEN.glob("*/locale/de/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)


def parse_po(text: str) -> list[Entry]:
    """The few parts of the gettext format that matter here: flags, msgid, msgid_plural, msgstr[n]."""
    entries: list[Entry] = []
    flags: set[str] = set()
    current: Entry | None = None
    key = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("msgid "):
            current = Entry(line=number, flags=flags)
            flags = set()
            entries.append(current)
            key, value = line.split(" ", 1)
            current.strings[key] = ast.literal_eval(value)
        elif line.startswith(("msgid_plural ", "msgstr")) and current is not None:
            key, value = line.split(" ", 1)
            current.strings[key] = ast.literal_eval(value)
        elif line.startswith('"') and current is not None:
            current.strings[key] += ast.literal_eval(line)
    return entries


def problems_in(path: Path) -> list[str]:
    return problems_in_text(path.read_text(encoding="utf-8"), path)


def problems_in_text(text: str, path: Path) -> list[str]:
    problems = []
    for entry in parse_po(text):
        msgid = entry.strings.get("msgid", "")
        where = f"{path.relative_to(ANKOMMEN.parent)}:{entry.line} msgid {msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is marked fuzzy")
        if msgid == "":
            continue
        translations = {key: value for key, value in entry.strings.items() if key.startswith("msgstr")}
        if not translations or any(value == "" for value in translations.values()):
            problems.append(f"{where} has no German translation")
    return problems


def test_the_parser_finds_empty_and_fuzzy_entries(tmp_path):
    sample = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "Hello"\nmsgstr "Hallo"\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        'msgid "%(n)s file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "%(n)s Datei"\nmsgstr[1] ""\n\n'
        'msgid "Long"\nmsgstr ""\n"Lang"\n'
    )
    path = ANKOMMEN / "core" / "tests" / "sample.po"
    problems = [problem.split(" ", 1)[1] for problem in problems_in_text(sample, path)]
    assert len(problems) == 3
    assert "'Hello' is marked fuzzy" in problems[0]
    assert "'Open' has no German translation" in problems[1]
    assert "'%(n)s file' has no German translation" in problems[2]


def test_there_are_german_catalogues():
    assert any(path.parts[-5] == "core" for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-5])
def test_every_german_entry_is_translated_and_not_fuzzy(path):
    problems = problems_in(path)
    assert not problems, "\n".join(problems)
