"""How names become searchable: NFC, case-folded, accent-free, Cyrillic and Greek in Latin letters.

Plain Python so that the services, the demo loader (COPY) and the search form all agree.
"""

from __future__ import annotations

import unicodedata

# Simple, reversible-enough tables: a search for "Kovalenko" finds "Коваленко".
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "ё": "e",
    "ы": "y",
    "э": "e",
    "ъ": "",
}
_GREEK = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ł": "l", "đ": "d", "þ": "th"}
_TABLE = str.maketrans({**_CYRILLIC, **_GREEK, **_LATIN_EXTRA})


def normalise_name(value: str) -> str:
    """Names are stored in NFC so that the same name typed on two keyboards is the same string."""
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _fold(value: str) -> str:
    if value.isascii():
        # Nothing to decompose or recompose: the common case of an import's many rows, taken quickly.
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Recompose what is left (Arabic, Hangul, …) so that scripts without a table stay searchable as typed.
    return unicodedata.normalize("NFC", without_marks)


def fold_for_search(value: str) -> str:
    """Lower-case, accent-free; keeps the original script and adds its Latin form where one is simple."""
    folded = _fold(value)
    latin = folded.translate(_TABLE)
    words = folded.split()
    if latin != folded:
        words += latin.split()
    return " ".join(dict.fromkeys(words))


def search_text_for(*names: str) -> str:
    return " ".join(dict.fromkeys(" ".join(fold_for_search(name) for name in names if name).split()))


def search_terms(query: str) -> list[str]:
    """Each word of a query, folded the same way; Cyrillic words become their Latin form."""
    return [_fold(word).translate(_TABLE) for word in query.split() if word.strip()]
