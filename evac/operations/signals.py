"""Signals of evac.operations, for layers above it to follow without being imported here."""

from django.dispatch import Signal

# An operation's status or schedule changed by a conditional UPDATE (closing, reopening, a
# new anonymisation date), which sends no post_save. Sent with `operation`; the portal
# forgets the operations it keeps for a few seconds, so a closed one's pages close at once.
operation_status_changed = Signal()
