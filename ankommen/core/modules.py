"""What each module (settings.ANKOMMEN_MODULES) adds to the whole: navigation entries and demo data.

A module may define `navigation.py` with `navigation_entries(membership) -> list[(label, url name)]` (membership
None for a visitor who is not logged in) and `demo.py` with `seed_demo(*, centres, seed, size, log) -> str`, which
loads its demo data for the given centres and returns one line for the summary. A module may also define `home.py`
with `centre_home_panel(request) -> str` and `state_home_panel(request) -> str`: a section of the start page of a
centre's users and of the state's users, rendered HTML ("" for nothing), shown in the order of the setting.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.conf import settings


def _submodule(app: str, name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{app}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{app}.{name}":
            return None  # the module has no such part
        raise


def module_hooks(part: str, function: str) -> list[Callable[..., Any]]:
    """`function` of `<module>.<part>` for every module that has it, in the order of the setting."""
    hooks = []
    for app in settings.ANKOMMEN_MODULES:
        module = _submodule(app, part)
        if module is not None and hasattr(module, function):
            hooks.append(getattr(module, function))
    return hooks


def home_panels(request: Any, function: str) -> list[str]:
    """The sections the modules add to a start page (`centre_home_panel` or `state_home_panel`), empty ones left out."""
    return [panel for hook in module_hooks("home", function) if (panel := hook(request))]
