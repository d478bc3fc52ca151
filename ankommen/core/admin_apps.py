from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with the operators' site, which reads across centres (ankommen/core/admin_site.py)."""

    default_site = "ankommen.core.admin_site.OperatorAdminSite"
