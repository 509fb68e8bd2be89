"""Places hold nothing personal: an operation's anonymisation leaves them as they are."""

from evac.core.anonymise import declare
from evac.places.models import Airport, City

FIELDS = {
    City: declare(kept={"name", "name_native", "name_ru", "country"}),
    Airport: declare(kept={"iata_code", "name", "status", "status_note"}),
}
