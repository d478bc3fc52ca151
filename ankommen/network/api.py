"""The network of local actors endpoints."""

from __future__ import annotations

from ninja import Router

from ankommen.api.auth import authenticated

router = Router(auth=authenticated, tags=["network"])
