from __future__ import annotations

from ankommen.accounts.models import Role
from ankommen.core.access import role_required

# Everyone who works with the centre's persons; state and research roles never reach a person.
centre_roles_required = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)
PAGE_SIZE = 25
