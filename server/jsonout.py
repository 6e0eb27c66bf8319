"""JSON output: ISO 8601 dates (Flask's default is RFC 822) and UUIDs as strings."""

import uuid
from datetime import date, datetime

from flask.json.provider import DefaultJSONProvider


class IsoJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, uuid.UUID):
            return str(value)
        return DefaultJSONProvider.default(value)
