"""PDF documents (WeasyPrint) of every module: letters, lists, certificates.

A document needs nothing from outside; refusing every URL keeps documents with personal data from reaching out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"Documents load no external resources ({url[:40]}).")


def render_pdf(html: str, *, stylesheet: Path) -> bytes:
    from weasyprint import CSS, HTML

    css = CSS(string=stylesheet.read_text(encoding="utf-8"))
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[css])
    return pdf
