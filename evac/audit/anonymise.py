"""The access log names staff and records, never a person's name or document: the label is
a reference code or a flight ("ABCD-EFGH", "PS9004 2022-01-13"). It stays whole, so who
looked at what remains answerable after the people's data is gone."""

from evac.audit.models import AccessLogEntry
from evac.core.anonymise import declare

FIELDS = {
    AccessLogEntry: declare(kept={"username", "action", "channel", "object_kind", "object_label"}),
}
