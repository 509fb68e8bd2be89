"""The widgets that write their HTML in Python write exactly what Django's templates write.

Each case renders a field twice, once through Django's own widget (its templates) and once
through evac.core.widgets, in the states a form meets: empty, chosen values, option groups,
required, errors (aria-invalid, aria-describedby), help text, and text that needs escaping.
"""

import copy

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from evac.core import widgets as quick
from evac.people.filters import CitizenFilter
from evac.people.templatetags.people_tags import option_input

TRICKY = [("a&b", 'Tom & "Jerry" <script>'), ("2", "Два"), (3, "three")]
GROUPED = [("Europe <EU>", [("kyiv", "Kyiv"), ("warsaw", "Warsaw & co")]), ("", "None")]


def form_class(django: bool):
    """A form whose widgets are Django's own, or ours: the same fields either way."""
    source = forms if django else quick

    class Both(forms.Form):
        text = forms.CharField(
            required=False,
            help_text="Name or code",
            widget=source.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
        )
        needed = forms.CharField(widget=source.TextInput)
        days = forms.IntegerField(
            required=False, min_value=0, max_value=9, widget=source.NumberInput
        )
        ticked = forms.BooleanField(
            required=False, widget=source.CheckboxInput(attrs={"value": "1"})
        )
        one = forms.ChoiceField(
            required=False, choices=[("", "Any"), *TRICKY], widget=source.Select
        )
        grouped = forms.ChoiceField(choices=GROUPED, widget=source.Select(attrs={"class": "x"}))
        # A plain attribute that is False is left out, True is written bare.
        flags = forms.ChoiceField(
            required=False,
            choices=TRICKY,
            widget=source.Select(attrs={"disabled": False, "autofocus": True, "data-n": 0}),
        )

    return Both


STATES = [
    None,
    {},
    {"text": "<b>&", "needed": "x", "days": "3", "ticked": "on", "one": "a&b", "grouped": "kyiv"},
    {"text": "", "days": "abc", "one": "nonsense", "grouped": "nowhere", "flags": 3},
    {"days": "-1", "ticked": "", "one": "2", "flags": "2"},
]


@pytest.mark.parametrize("data", STATES)
def test_each_widget_writes_what_djangos_templates_write(data):
    theirs, ours = form_class(django=True)(data), form_class(django=False)(data)
    if data is not None:
        assert theirs.is_valid() is ours.is_valid()

    for name in theirs.fields:
        assert str(ours[name]) == str(theirs[name]), name
        assert ours[name].widget_type == theirs[name].widget_type, name


def djangos(widget: forms.Widget) -> forms.Widget:
    """The same widget, as the Django class it extends: rendered through the templates."""
    stock = copy.copy(widget)
    stock.__class__ = next(
        kind for kind in type(widget).__mro__ if kind.__module__ == "django.forms.widgets"
    )
    return stock


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": ["waiting", "booked"], "vulnerable": "1", "sort": "-name"},
        {"status": ["nonsense"], "not_contacted_days": "abc", "city": "0", "sort": "bad"},
    ],
)
def test_the_registry_filters_write_what_djangos_templates_write(operation, almaty, language, data):
    with translation.override(language):
        form = CitizenFilter(data, operation=operation).form
        form.is_valid()
        for name, field in form.fields.items():
            bound = form[name]
            assert bound.as_widget() == bound.as_widget(widget=djangos(field.widget)), name
        boxes = list(form["status"])
        assert [option_input(box) for box in boxes] == [box.tag() for box in boxes]
        assert any(name in str(form["city"]) for name in ("Almaty", "Алмати"))


class Statuses(forms.Form):
    status = forms.MultipleChoiceField(
        choices=TRICKY, widget=forms.CheckboxSelectMultiple, required=False
    )


@pytest.mark.parametrize("data", [None, {"status": ["a&b", "3"]}, {"status": ["nothing"]}])
def test_the_checkbox_list_on_the_page_is_the_one_tag_would_write(data):
    template = Template(
        "{% load people_tags %}{% for choice in form.status %}{{ choice|option_input }}|"
        "{{ choice.tag }}\n{% endfor %}"
    )
    form = Statuses(data)
    form.is_valid()

    lines = template.render(Context({"form": form})).splitlines()

    assert len(lines) == len(TRICKY)
    for line in lines:
        ours, theirs = line.split("|")
        assert ours == theirs
