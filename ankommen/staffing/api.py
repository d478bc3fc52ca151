from ninja import Router

from ankommen.api.auth import authenticated

router = Router(auth=authenticated, tags=["staffing"])
