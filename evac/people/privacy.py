"""What staff see of the most sensitive parts of a person's record: one place for each rule.

Health. Whether a person has a medical need, reduced mobility or a pregnancy is shown to
every member of an operation: the waiting list's priority order explains itself with those
flags. What the need is (`medical_details`, free text) is shown only to roles that arrange
care, those with Permission.VIEW_MEDICAL. Pages, forms, the change history and the API all
ask `withheld_fields`, so a new restricted field is added here and nowhere else.

Lists. A list (the registry, the API's citizen list) says of each person what finds them
and shows where they stand, `LIST_FIELDS`, and writes no access log row. Contacts, address,
date of birth, the whole document number, health details and notes are on the person's own
page or endpoint, which writes one (evac.audit).

Travel documents. Lists show a document number masked to its last characters
(`mask_document`); the person's own page and the edit form show it whole, and so do the
printed manifest and the carrier files for the roles that may take whole documents away
(Permission.EXPORT_DOCUMENTS), because that is where it is checked against the passport or
handed to the airline. Search compares whole numbers in the database, so masking what a
list shows costs the search nothing.
"""

from collections.abc import Collection

from evac.operations.access import Permission

# Fields of a person shown only to a reader holding the permission named.
RESTRICTED_FIELDS: dict[str, Permission] = {
    "medical_details": Permission.VIEW_MEDICAL,
}


def withheld_fields(permissions: Collection[Permission]) -> frozenset[str]:
    """The fields of a person that a reader holding `permissions` may not see."""
    return frozenset(
        field for field, needed in RESTRICTED_FIELDS.items() if needed not in permissions
    )


# What a list shows of a person; `document_number` masked (`mask_document`).
LIST_FIELDS = (
    "surname",
    "given_names",
    "surname_native",
    "given_names_native",
    "sex",
    "nationality",
    "document_type",
    "document_number",
    "preferred_language",
    "preferred_channel",
    "medical_need",
    "reduced_mobility",
    "pregnant",
    "current_city",
    "household",
    "status",
    "registered_at",
    "last_contacted_at",
)

MASK = "•"
# The hidden part is always drawn this wide, so the mask does not tell a number's length
# (which would hint at the kind of document and the country that issued it).
MASK_WIDTH = 5
SHOWN_TAIL = 4
# A number shorter than this is masked whole: showing 4 of its characters would give away
# more than half of it.
SHORTEST_WITH_TAIL = 8


def mask_document(number: str) -> str:
    """A document number as a list shows it: "•••••3456", or "" when there is none.

    The last four characters are enough to tell two people of the same name apart and to
    check a passport in hand against the list; a number under 8 characters is masked whole
    ("•••••••••"), at the same width.
    """
    compact = "".join((number or "").split())
    if not compact:
        return ""
    if len(compact) < SHORTEST_WITH_TAIL:
        return MASK * (MASK_WIDTH + SHOWN_TAIL)
    return MASK * MASK_WIDTH + compact[-SHOWN_TAIL:]


def document_tail(number: str) -> str:
    """The characters of a document number that `mask_document` leaves visible."""
    return mask_document(number).lstrip(MASK)
