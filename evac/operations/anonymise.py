"""An operation and its staff hold nothing of the people it helped: anonymising it leaves
them as they are (its hotline and advice are the embassy's, not a person's)."""

from evac.core.anonymise import declare
from evac.operations.models import Headquarters, Membership, Operation

FIELDS = {
    Operation: declare(
        kept={
            "name",
            "slug",
            "country",
            "status",
            "hotline_phone",
            "hotline_email",
            "advice",
            # The embassy's contact for carriers and border control (PAXLST's reporting
            # party): an official, not one of the people helped.
            "embassy_contact_name",
            "embassy_contact_phone",
            "languages",
            "phone_regions",
        }
    ),
    Headquarters: declare(),
    Membership: declare(kept={"role"}),
}
