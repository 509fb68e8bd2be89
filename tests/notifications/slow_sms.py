"""A file SMS backend whose provider answers slowly, for the fault test to kill a worker in
the worst moment: the message is handed over, the answer has not come back yet."""

import time

from evac.notifications.sms import FileSmsBackend

ANSWER_SECONDS = 0.05


class SlowFileSmsBackend(FileSmsBackend):
    def send(self, *, to: str, text: str, reference: str) -> str:
        message_id = super().send(to=to, text=text, reference=reference)
        time.sleep(ANSWER_SECONDS)  # the provider's latency, not a wait in the test
        return message_id
