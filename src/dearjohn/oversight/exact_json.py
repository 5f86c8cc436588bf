"""Django's JSON fixture format, with times kept to the microsecond.

Django's own JSON serializer cuts times to milliseconds. A backup written
with it would not give back the records it was taken from: every timestamp
moves by up to a millisecond, and records made within the same millisecond
lose their order. This one writes times in full ISO 8601, which Django's
JSON deserializer reads as they are, so restore needs nothing special.
"""

import datetime

from django.core.serializers.json import Deserializer  # noqa: F401  (a serializer module names both)
from django.core.serializers.json import Serializer as JSONSerializer


class Serializer(JSONSerializer):
    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return super()._value_from_field(obj, field)
