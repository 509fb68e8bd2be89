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
