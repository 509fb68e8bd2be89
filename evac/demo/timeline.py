"""When the demo's week happens: 5–11 January 2022 as it was, or replayed in the present.

A replay moves every moment of the story by one `shift`, chosen when the demo is loaded so
that the story's "now" (the night before the 13 January flight) is the real now: the
9 January flight has landed days ago, the 13 January flight leaves in a few hours, the
16 January one in a few days, and the first reminder still ahead falls due a minute or two
after loading, so the worker sends it while the user watches. Dates of birth and documents
move with it, so the ages and the passports' validity stay as they were that week.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from evac.flights.models import default_report_minutes

# How soon after loading the first reminder falls due: the worker and beat of `make run`
# start within seconds, and beat dispatches every 30 seconds.
FIRST_REMINDER_AFTER = timedelta(minutes=1)
STORY_DAYS = range(5, 17)  # 5–16 January 2022: the days the story's notes name


@dataclass(frozen=True)
class Timeline:
    shift: timedelta = timedelta()

    @property
    def historical(self) -> bool:
        return not self.shift

    def at(self, moment: datetime) -> datetime:
        # In UTC: adding to a zoned time would add to its wall clock, and Almaty's offset of
        # 2022 (UTC+6) is not today's (UTC+5).
        return moment.astimezone(UTC) + self.shift

    def day(self, day: date) -> date:
        """A calendar day of the story, moved by the shift (taken at noon UTC)."""
        return self.at(datetime.combine(day, time(12), tzinfo=UTC)).date()

    def words(self, day: date) -> str:
        """The day as the story's notes say it: "13 January"."""
        moved = self.day(day)
        return f"{moved.day} {moved:%B}"

    def january(self) -> dict[str, str]:
        """The notes' placeholders: {jan13} is "13 January" of the story, moved."""
        return {f"jan{n}": self.words(date(2022, 1, n)) for n in STORY_DAYS}


def replay_timeline(*, next_departure: datetime, now: datetime) -> Timeline:
    """The shift that puts the first reminder still ahead for `next_departure` (a story
    time) a minute or two after `now`, in whole minutes."""
    report_at = next_departure.astimezone(UTC) - timedelta(minutes=default_report_minutes())
    first_reminder = report_at - timedelta(hours=min(settings.EVAC_REMINDER_OFFSETS_HOURS))
    seconds = (now + FIRST_REMINDER_AFTER - first_reminder).total_seconds()
    return Timeline(timedelta(minutes=math.ceil(seconds / 60)))
