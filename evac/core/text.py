"""Free text that staff and citizens type: every such column has a limit, checked everywhere.

A limit of a few thousand characters is generous for a person (a page of notes) and keeps a
script from storing megabytes through the portal or the API. `LimitedTextField` is a
TextField whose `max_length` holds in three places: forms (Django gives the form field the
limit), the API (Django REST framework's serializers read it) and `full_clean()` in the
services (the validator: Django leaves a TextField's `max_length` to forms alone).
tests/core/test_text_limits.py fails on a free-text column, form field or API field added
without a limit.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

# An address where someone is staying: a hotel, a street, a flat, directions.
ADDRESS_LENGTH = 500
# A note on one call or visit; what the crew must know of someone's health.
NOTE_LENGTH = 2000
# Standing notes on a person or a flight, a transfer's description.
LONG_TEXT_LENGTH = 4000


class LimitedTextField(models.TextField):
    def __init__(self, *args, max_length: int = LONG_TEXT_LENGTH, **kwargs) -> None:
        validators = [*kwargs.pop("validators", ()), MaxLengthValidator(max_length)]
        super().__init__(*args, max_length=max_length, validators=validators, **kwargs)

    def deconstruct(self):
        # Migrations record a plain TextField with its limit (the validator follows from
        # max_length here), so no migration needs to import this module.
        name, _path, args, kwargs = super().deconstruct()
        extra = [v for v in kwargs.pop("validators", []) if not isinstance(v, MaxLengthValidator)]
        if extra:
            kwargs["validators"] = extra
        return name, "django.db.models.TextField", args, kwargs
