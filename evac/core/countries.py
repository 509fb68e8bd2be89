"""A country field checked by a look-up of its code.

Django checks a value with choices by walking them (Field.validate, ChoiceField.valid_value),
and django_countries' choices are ~250 names translated on the walk: two country fields
cost a person's validation more than everything else together, and an import validates
each row twice. The same rule (a code among the countries) as a set look-up. Stored,
migrated and shown exactly as django_countries' CountryField.
"""

from typing import Any

from django.core import exceptions
from django_countries.fields import CountryField, LazyTypedChoiceField


class CountryChoiceField(LazyTypedChoiceField):
    countries: Any = ()  # the model field's Countries

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.countries


class CountryCodeField(CountryField):
    def validate(self, value: Any, model_instance: Any) -> None:
        code = getattr(value, "code", value)
        if code not in self.empty_values and code not in self.countries:
            raise exceptions.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        # Field.validate's own checks, after its walk through the choices.
        if code is None and not self.null:
            raise exceptions.ValidationError(self.error_messages["null"], code="null")
        if not self.blank and code in self.empty_values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs: Any) -> Any:
        field = super().formfield(choices_form_class=CountryChoiceField, **kwargs)
        field.countries = self.countries
        return field

    def deconstruct(self) -> tuple:
        # Migrations see the field it is: nothing about the column changes.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django_countries.fields.CountryField", args, kwargs
