"""A file SMS backend whose provider stops answering, for the fault test to kill a worker in
the worst moment: the message is handed over, the answer has not come back yet.

The first HANDED_OVER_BEFORE_HANG messages get a quick answer; after that the provider takes
the message and then hangs, so every send in flight stays "sending" until the worker is
killed. That makes the moment of the kill certain rather than a matter of timing.
"""

import time

from evac.notifications.sms import FileSmsBackend

ANSWER_SECONDS = 0.05
HANDED_OVER_BEFORE_HANG = 30
HANG_SECONDS = 600  # far longer than the test waits: the worker is killed during it


class SlowFileSmsBackend(FileSmsBackend):
    def send(self, *, to: str, text: str, reference: str) -> str:
        message_id = super().send(to=to, text=text, reference=reference)
        with self.path.open("rb") as handed_over:
            hang = sum(1 for _ in handed_over) > HANDED_OVER_BEFORE_HANG
        # The provider's latency, not a wait in the test.
        time.sleep(HANG_SECONDS if hang else ANSWER_SECONDS)
        return message_id
