"""What a page may show of a person, by the rules in evac/people/privacy.py."""

from django import template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

from evac.core.widgets import input_html
from evac.people import privacy

register = template.Library()


@register.filter
def mask_document(number: str) -> str:
    """A document number as lists show it: {{ person.document_number|mask_document }}."""
    return privacy.mask_document(number)


@register.simple_tag(takes_context=True)
def may_see(context: template.Context, field: str) -> bool:
    """{% may_see "medical_details" as shown %}: whether the reader's role may see `field`.

    The role comes from the request (`operation_page` puts it there); a page rendered
    without one shows nothing restricted.
    """
    request = context.get("request")
    permissions = getattr(request, "permissions", frozenset())
    return field not in privacy.withheld_fields(permissions)


@register.filter
def option_input(choice: BoundWidget) -> SafeString:
    """{{ choice|option_input }}: what {{ choice.tag }} writes for one box of a list of
    checkboxes, without a template per box (evac/core/widgets.py)."""
    return input_html(choice.data)
