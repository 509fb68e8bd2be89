"""Staff accounts' second factor: nothing of the people an operation helped."""

from evac.accounts.models import BackupCode, BackupCodeDevice
from evac.core.anonymise import declare

FIELDS = {
    BackupCodeDevice: declare(kept={"name"}),
    BackupCode: declare(kept={"code_hash"}),
}
