from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Membership, User
from ankommen.accounts.services import TOKEN_EXPIRY_DAYS_MAX


class KernBoundField(BoundField):
    """Puts the KERN input classes on every widget; Django already links hint and error by aria-describedby."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.CheckboxInput):
            css_class = "kern-form-check__checkbox"
        elif isinstance(widget, forms.Select):
            css_class = "kern-form-input__select"
        else:
            css_class = "kern-form-input__input"
        classes = [css_class, f"{css_class}--error"] if self.errors else [css_class]
        attrs["class"] = " ".join([*classes, str(attrs.get("class", ""))]).strip()
        return attrs


class KernFormMixin:
    bound_field_class: type[BoundField] | None = KernBoundField


class LoginForm(KernFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorCodeForm(KernFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TotpConfirmForm(KernFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        min_length=6,
        max_length=6,
        help_text=_("Enter the six-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code consists of six digits."), code="not_digits")
        return code


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return str(obj)


class ApiTokenCreateForm(KernFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “statistics script”."),
    )
    membership = MembershipChoiceField(
        label=_("Role"),
        queryset=Membership.objects.none(),
        empty_label=None,
        help_text=_("The token acts with this role only."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=TOKEN_EXPIRY_DAYS_MAX,
        initial=90,
        help_text=_("Between 1 and 365 days."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (  # type: ignore[attr-defined]
            user.memberships.filter(is_active=True).select_related("centre", "school").order_by("id")
        )


class PasswordChangeForm(KernFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(KernFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(KernFormMixin, auth_forms.SetPasswordForm):
    pass
