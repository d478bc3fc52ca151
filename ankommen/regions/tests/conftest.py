from __future__ import annotations

from collections.abc import Iterator

import pytest

from ankommen.regions.loaders import LOADED_MODELS, reference_data_load
from ankommen.regions.models import Centre, IscoGroup, Municipality, Occupation, Postcode, Region, School


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker) -> Iterator[dict[str, tuple[int, int]]]:
    """The real reference data, loaded once per test module and removed afterwards.

    Tests that use it run in their own rolled-back transaction (the `db` fixture), so they see the loaded
    rows but cannot change them for the next test. Other apps' tests never see these rows; data
    that was there before (loaded by someone else) is left in place.
    """
    with django_db_blocker.unblock():
        already_loaded = Centre.objects.filter(slug="staedteregion-aachen").exists()
        counts = reference_data_load()
    yield counts
    if already_loaded:
        return
    with django_db_blocker.unblock():
        for model in (Occupation, IscoGroup, Postcode, School, Municipality, Centre, Region):
            model._default_manager.all().delete()
        assert all(not model._default_manager.exists() for model in LOADED_MODELS)
