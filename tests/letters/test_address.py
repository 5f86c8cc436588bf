import pytest

from dearjohn.letters import address
from dearjohn.letters.errors import LetterError


def test_it_writes_the_address_as_usps_does():
    mailing = address.normalise("Robin  Quillfeather", "1200 Marigold Court", "apartment 4", "Oakland", "ca", "94612-3301")
    assert mailing.lines == ("ROBIN QUILLFEATHER", "1200 MARIGOLD CT", "APT 4", "OAKLAND CA 94612-3301")
    assert mailing.zip5 == "94612"


@pytest.mark.parametrize("line1,zip_code,message", [
    ("1200 Marigold Ct", "", "no ZIP code"),
    ("1200 Marigold Ct", "9461", "not a US ZIP code"),
    ("xx yy", "94612", "could not be read"),
])
def test_an_address_that_cannot_be_mailed_says_what_to_fix(line1, zip_code, message):
    with pytest.raises(LetterError, match=message):
        address.normalise("Robin Quillfeather", line1, "", "Oakland", "CA", zip_code)


def test_a_line_too_long_for_the_envelope_window_is_refused():
    with pytest.raises(LetterError, match="longer than 40"):
        address.normalise("Maximiliana Wolfehardt-Quintero-Ballard-Smythe", "1 Main St", "", "Oakland", "CA", "94612")
