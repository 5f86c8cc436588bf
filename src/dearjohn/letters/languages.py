"""How each letter language writes dates, times and lists, and which font prints it."""

from dataclasses import dataclass

_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
_ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]
_FIL_MONTHS = ["Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunyo", "Hulyo", "Agosto", "Setyembre", "Oktubre",
               "Nobyembre", "Disyembre"]


def _twelve_hour(t):
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def _twenty_four_hour(t):
    return f"{t.hour:02d}:{t.minute:02d}"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    font_class: str
    date: object
    time: object
    separator: str

    def dates(self, days):
        return self.separator.join(self.date(d) for d in days)


LANGUAGES = {
    "en": Language("en", "English", "latin", lambda d: f"{_EN_MONTHS[d.month - 1]} {d.day}, {d.year}", _twelve_hour, "; "),
    "es": Language("es", "Español (Spanish)", "latin", lambda d: f"{d.day} de {_ES_MONTHS[d.month - 1]} de {d.year}",
                   _twenty_four_hour, "; "),
    "zh": Language("zh", "中文 (Chinese)", "cjk", lambda d: f"{d.year}年{d.month}月{d.day}日", _twenty_four_hour, "、"),
    "fil": Language("fil", "Filipino", "latin", lambda d: f"{_FIL_MONTHS[d.month - 1]} {d.day}, {d.year}", _twelve_hour,
                    "; "),
}


def get(code):
    return LANGUAGES.get(code) or LANGUAGES["en"]


def choices(enabled):
    return [(code, LANGUAGES[code].name) for code in enabled if code in LANGUAGES]
