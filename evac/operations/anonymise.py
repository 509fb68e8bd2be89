"""An operation and its staff hold nothing of the people it helped: anonymising it leaves
them as they are (its hotline and advice are the embassy's, not a person's)."""

from evac.core.anonymise import declare
from evac.operations.models import Membership, Operation

FIELDS = {
    Operation: declare(
        kept={"name", "slug", "country", "status", "hotline_phone", "hotline_email", "advice"}
    ),
    Membership: declare(kept={"role"}),
}
