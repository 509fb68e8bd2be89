"""Form widgets that write their HTML in Python: Django's own markup, without the templates.

Django renders a <select> through one template, and each of its options through another
(with a third for the attributes): on the registry's filter form, four lists of a few dozen
options in all, that was about a third of a search's time (BENCHMARKS.md). These widgets
keep everything Django decides — `get_context`, the option groups, which option is
selected, `required`, `aria-invalid`, `aria-describedby`, ids — and only write the result
with `format_html` instead of the templates django/forms/widgets/select.html,
select_option.html, input.html and attrs.html. tests/core/test_widgets.py checks the
markup against Django's templates, so a Django upgrade that changes them shows up there.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def attributes_html(attrs: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/attrs.html: True is a bare name, False is left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, f"{value}"))
    return mark_safe("".join(parts))  # noqa: S308 - each part is format_html's


def input_html(widget: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/input.html, for a widget's context or one option of a list."""
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', f"{value}") if value is not None else "",
        attributes_html(widget["attrs"]),
    )


def select_html(widget: Mapping[str, Any]) -> SafeString:
    """django/forms/widgets/select.html with its options, groups included."""
    parts = [format_html('<select name="{}"{}>', widget["name"], attributes_html(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    f"{option['value']}",
                    attributes_html(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    parts.append(mark_safe("\n</select>"))
    return mark_safe("".join(parts))  # noqa: S308 - each part is format_html's


# Django's names, so that `BoundField.widget_type` (which templates test, as
# people/_field.html does for "checkbox") is what it was: use them as `quick.Select`.


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return select_html(self.get_context(name, value, attrs)["widget"])


class _Input:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return input_html(self.get_context(name, value, attrs)["widget"])  # type: ignore[attr-defined]


class TextInput(_Input, forms.TextInput):
    pass


class NumberInput(_Input, forms.NumberInput):
    pass


class CheckboxInput(_Input, forms.CheckboxInput):
    pass
