"""API tokens belong to staff and their systems: nothing of the people an operation helped."""

from evac.api.models import ApiToken
from evac.core.anonymise import declare

FIELDS = {ApiToken: declare(kept={"name", "prefix", "key_hash"})}
