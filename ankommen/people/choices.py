"""Nationalities (ISO 3166 alpha-2) and languages (ISO 639) with their names in the current language."""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

from ankommen.people.search import fold_for_search, normalise_name


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "de").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("de")


# Cached: an import checks the same few codes on every row.
@lru_cache(maxsize=4096)
def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=4096)
def is_language_code(code: str) -> bool:
    if not code.islower():
        return False
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def _sort_key(label: str) -> str:
    # Accent-free ordering, so that "Österreich" sorts under O as a German reader expects.
    return fold_for_search(normalise_name(label))


@lru_cache(maxsize=16)
def _nationality_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale().territories
    pairs = [(code, names.get(code, country.name)) for country in pycountry.countries if (code := country.alpha_2)]
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


@lru_cache(maxsize=16)
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale().languages
    pairs = [(code, name) for code, name in names.items() if "_" not in code and is_language_code(code)]
    # Dari has its own ISO 639-3 code but Babel names it only as the Afghan variant of Persian.
    if "fa_AF" in names:
        pairs.append(("prs", names["fa_AF"]))
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


def nationality_choices() -> list[tuple[str, str]]:
    return list(_nationality_choices(get_language() or "de"))


def language_choices() -> list[tuple[str, str]]:
    return list(_language_choices(get_language() or "de"))


def country_name(code: str) -> str:
    return dict(_nationality_choices(get_language() or "de")).get(code, code)


def language_name(code: str) -> str:
    return dict(_language_choices(get_language() or "de")).get(code, code)
