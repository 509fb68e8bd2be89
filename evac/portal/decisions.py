"""What a person's own decision on the portal ("I stay", "I left") does to the children of
their household, said before they ask for a code, and the refusal portal_decide makes with it.

The rule is evac.flights.minors', the one every booking and cancellation obeys: a minor does
not fly without an adult of their household. Staff may let a child fly without one, with a
reason; a parent on the portal can't give that reason, so a decision that would leave their
children on a flight alone is refused here and taken by phone. Children who are only waiting
are told about: the decision is the parent's, and the embassy sees the household's warning.
The page names nobody but the person: it counts the children.
"""

from dataclasses import dataclass

from django.utils.translation import ngettext

from evac.core.errors import Conflict
from evac.flights.minors import minors_left_alone, minors_left_behind
from evac.flights.models import Booking
from evac.people.models import Citizen


class ChildrenOnBoard(Conflict):
    """The decision would leave the person's children on a flight without an adult."""


@dataclass(frozen=True)
class DecisionPreview:
    flight_number: str
    children_on_board: int  # would fly without an adult: refused on the portal
    children_left_behind: int  # would wait with no adult of the household

    @property
    def refusal(self) -> str:
        if not self.children_on_board:
            return ""
        return ngettext(
            "Your child holds a seat on flight %(flight)s with you, and a child does not fly "
            "without an adult of the family. This can't be changed here: please call the "
            "hotline, and the embassy will decide with you what your child does.",
            "Your %(n)d children hold seats on flight %(flight)s with you, and a child does "
            "not fly without an adult of the family. This can't be changed here: please call "
            "the hotline, and the embassy will decide with you what your children do.",
            self.children_on_board,
        ) % {"n": self.children_on_board, "flight": self.flight_number}

    @property
    def consequences(self) -> list[str]:
        said = [self.refusal] if self.refusal else []
        if self.children_left_behind:
            said.append(
                ngettext(
                    "Your child stays on the waiting list with no adult of the family to "
                    "travel with: they can be given a seat only if the embassy agrees they "
                    "travel without you. Please tell the hotline what they should do.",
                    "Your %(n)d children stay on the waiting list with no adult of the family "
                    "to travel with: they can be given seats only if the embassy agrees they "
                    "travel without you. Please tell the hotline what they should do.",
                    self.children_left_behind,
                )
                % {"n": self.children_left_behind}
            )
        return said


def portal_decision_preview(*, citizen: Citizen, status: str) -> DecisionPreview:
    """What `citizen` deciding `status` would do to the children of their household."""
    seat = (
        Booking.objects.filter(citizen=citizen, is_active=True)
        .select_related("flight__departure_airport")
        .first()
    )
    on_board = minors_left_alone(seat.flight, leaving=[citizen.pk]) if seat else []
    behind = minors_left_behind(citizen, status=status, on_board=on_board)
    return DecisionPreview(
        flight_number=seat.flight.number if seat else "",
        children_on_board=len(on_board),
        children_left_behind=len(behind),
    )


def refuse_children_on_board(*, citizen: Citizen, status: str) -> None:
    """Raise ChildrenOnBoard when the decision would leave children on a flight alone."""
    refusal = portal_decision_preview(citizen=citizen, status=status).refusal
    if refusal:
        raise ChildrenOnBoard(refusal)
