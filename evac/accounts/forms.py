from django import forms
from django.utils.translation import gettext_lazy as _

from evac.operations.models import Role


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "size": 14}
        ),
    )


class MemberAddForm(forms.Form):
    """A person to bring into the operation: an account already in Evac by its username, or
    a new one (its e-mail and name help them recognise the invitation)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER)
    email = forms.EmailField(label=_("E-mail (for a new account)"), required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Surname"), max_length=150, required=False)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


# Longer than any password a person types; bounds what the hasher is given.
PASSWORD_MAX_LENGTH = 128


class InvitationPasswordForm(forms.Form):
    """The invitation's code (put here from the link by static/js/invitation.js, or pasted)
    and a new staff member's own password, typed twice. Its strength is the service's to
    judge (Django's password validators, in invitations.invitation_accept)."""

    token = forms.CharField(
        label=_("Invitation code"),
        max_length=64,
        help_text=_("What follows the # in the link of your invitation e-mail."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    password = forms.CharField(
        label=_("New password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
