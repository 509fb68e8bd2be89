"""Staff accounts' second factor and invitations: nothing of the people an operation helped."""

from evac.accounts.models import BackupCode, BackupCodeDevice, Invitation
from evac.core.anonymise import declare

FIELDS = {
    BackupCodeDevice: declare(kept={"name"}),
    BackupCode: declare(kept={"code_hash"}),
    Invitation: declare(kept={"token_hash"}),
}
