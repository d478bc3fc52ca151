"""The starting list of work permit categories. Operators change the list in the admin as the law changes."""

from __future__ import annotations

ALL_KINDS = ["ausbildung", "job", "internship", "eq"]
# (code, label, what it allows, kinds allowed without approval, kinds allowed with approval)
DEFAULT_CATEGORIES: list[tuple[str, str, str, list[str], list[str]]] = [
    (
        "any_work",
        "Erwerbstätigkeit erlaubt",
        "Jede Beschäftigung und Ausbildung ist ohne weitere Zustimmung erlaubt.",
        ALL_KINDS,
        [],
    ),
    (
        "agency_approval",
        "Beschäftigung nur mit Zustimmung",
        "Jede Beschäftigung braucht die Erlaubnis der Ausländerbehörde, meist mit Zustimmung der Bundesagentur "
        "für Arbeit.",
        [],
        ALL_KINDS,
    ),
    (
        "training_only",
        "Ausbildung erlaubt, Beschäftigung mit Zustimmung",
        "Ausbildung und Einstiegsqualifizierung sind erlaubt; andere Beschäftigung braucht die Zustimmung.",
        ["ausbildung", "eq"],
        ["job", "internship"],
    ),
    (
        "no_work_yet",
        "Noch keine Beschäftigung erlaubt",
        "Zurzeit ist keine Beschäftigung erlaubt (z. B. in den ersten Monaten des Asylverfahrens).",
        [],
        [],
    ),
]


def permit_categories_ensure(model: type | None = None) -> None:
    """Add the default categories that are missing; existing ones keep what operators changed."""
    if model is None:
        from ankommen.work.models import WorkPermitCategory

        model = WorkPermitCategory
    for position, (code, label, explanation, allowed, approval) in enumerate(DEFAULT_CATEGORIES):
        model.objects.get_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "label": label,
                "explanation": explanation,
                "allowed_kinds": allowed,
                "approval_kinds": approval,
                "position": position,
            },
        )
