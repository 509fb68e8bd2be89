import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON that can be stored: no NaN or Infinity, no unpaired surrogate characters.

    Python's json module accepts both, and the database would then fail with a 500
    (PostgreSQL can't encode a lone surrogate, and NaN is not a number a field holds).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # nested deeper than Python's parser goes
            raise ParseError(_("JSON nested too deeply.")) from None
        try:
            json.dumps(data, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            raise ParseError(
                _("JSON with NaN, Infinity or unpaired surrogates is refused.")
            ) from None
        return data
