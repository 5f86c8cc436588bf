from dearjohn.plates import FormatPrior, plate_key
from dearjohn.plates.formats import (
    is_a_sign_word,
    looks_like_a_year,
    looks_like_phone_number,
    looks_like_timestamp,
    may_be_a_word,
    shape,
    shows_a_clock_or_date,
)


def test_plate_key_maps_letter_o_to_digit_zero():
    assert plate_key("C0UGAR") == plate_key("COUGAR") == "C0UGAR"


def test_plate_key_drops_spaces_dashes_and_case():
    assert plate_key(" 7abc-123 ") == "7ABC123"


def test_shape_marks_letters_and_digits():
    assert shape("7ABC123") == "DLLLDDD"


def test_timestamps_are_recognised():
    assert looks_like_timestamp("2014-06-17")
    assert looks_like_timestamp("12:33:01")
    assert looks_like_timestamp("20140617")
    assert not looks_like_timestamp("7ABC123")


def test_phone_numbers_are_recognised_by_their_hyphen():
    assert looks_like_phone_number("376-8750")
    assert looks_like_phone_number("(415) 555-0199")
    assert looks_like_phone_number("1-800-555-0199")
    assert looks_like_phone_number("415.555.0199")
    assert not looks_like_phone_number("597 7144")  # an Illinois plate
    assert not looks_like_phone_number("5977144")
    assert not looks_like_phone_number("568-201")  # Hawaii and Rhode Island print a hyphen in six digits
    assert not looks_like_phone_number("ABC-1234")


def test_a_year_alone_looks_like_a_year():
    assert looks_like_a_year("2008")  # a registration sticker
    assert looks_like_a_year("1957")
    assert looks_like_a_year("2O24")  # the letter O read for a zero
    assert not looks_like_a_year("2368")
    assert not looks_like_a_year("1857")
    assert not looks_like_a_year("2040")
    assert not looks_like_a_year("20084")
    assert not looks_like_a_year("A2008")


def test_letters_and_zeros_may_be_a_word():
    assert may_be_a_word("ST0RIT")  # "STOR-IT" read without a letter O
    assert may_be_a_word("TAXI")
    assert not may_be_a_word("ST1RIT")
    assert not may_be_a_word("7ABC123")
    assert not may_be_a_word("000")  # zeros alone are digits
    assert not may_be_a_word("")


def test_prior_prefers_common_shape_when_scores_are_close():
    prior = FormatPrior()
    ranked = prior.rerank([("7ABCI23", 0.5), ("7ABC123", 0.45)])
    assert ranked[0][0] == "7ABC123"


def test_prior_is_soft_a_clearly_better_reading_still_wins():
    prior = FormatPrior()
    # an uncommon shape read clearly better than a common-shape alternative
    ranked = prior.rerank([("A1B2C3D", 0.85), ("AB1234", 0.1)])
    assert ranked[0][0] == "A1B2C3D"


def test_shapes_one_state_issues_in_numbers_count_as_plate_formats():
    prior = FormatPrior()
    assert prior.weight("SH0R7X") == 1.0  # Missouri's LLD LDL
    assert prior.weight("ABC12D") == 1.0  # New Jersey's LLLDDL
    assert prior.weight("SH0LR7X") < prior.weight("SH0R7X")  # the emblem between the groups read as an L


def test_prior_prefers_a_shape_seen_on_many_plates_over_a_rare_one():
    prior = FormatPrior()
    # a blurred California plate: a 4 or an L in front of GLS168
    ranked = prior.rerank([("LGLS168", 0.33), ("4GLS168", 0.3)])
    assert ranked[0][0] == "4GLS168"
    assert prior.weight("ABC1234") > prior.weight("ABCD123")  # LLLDDDD (many states) over LLLLDDD


def test_a_rare_standard_shape_still_counts_as_a_plate_and_can_win():
    prior = FormatPrior()
    rare = prior.weight("ABCD123")  # LLLLDDD: a standard shape on few plates
    assert prior.weight("A1B2C3D") < rare < prior.weight("7ABC123")
    assert prior.rerank([("ABCD123", 0.6), ("4BCD123", 0.3)])[0][0] == "ABCD123"


def test_prior_never_forces_digits_into_letters():
    prior = FormatPrior()
    ranked = prior.rerank([("1291164", 0.7), ("1Z91164", 0.2)])
    assert ranked[0][0] == "1291164"


def test_prior_keeps_total_probability():
    prior = FormatPrior()
    readings = [("7ABC123", 0.6), ("7ABCI23", 0.2)]
    assert abs(sum(p for _, p in prior.rerank(readings)) - 0.8) < 1e-9


def test_prior_weights_short_and_long_texts_down():
    prior = FormatPrior()
    assert prior.weight("AB") < prior.weight("ABC1234")
    assert prior.weight("ABCDEFGH12345") < prior.weight("ABC1234")


def test_a_clock_or_date_is_recognised_in_a_piece_of_a_camera_stamp():
    assert shows_a_clock_or_date("14 06:2514")
    assert shows_a_clock_or_date("5-14 06:1649")
    assert shows_a_clock_or_date("07825:1")
    assert shows_a_clock_or_date("13：1704")  # the full-width colon of the general recognizer's Chinese
    assert shows_a_clock_or_date("2014-05-")
    assert shows_a_clock_or_date("201404-30")
    assert shows_a_clock_or_date("2014/5/18")
    assert not shows_a_clock_or_date("568-201")  # Hawaii and Rhode Island print a hyphen in six digits
    assert not shows_a_clock_or_date("1049338")
    assert not shows_a_clock_or_date("376-8750")
    assert not shows_a_clock_or_date("2014")  # a registration sticker's year alone is weighed elsewhere
    assert not shows_a_clock_or_date("2013-ABC")


def test_a_signs_word_is_recognised_whatever_the_recognizer_made_of_its_o():
    assert is_a_sign_word("EXIT") and is_a_sign_word("0NLY") and is_a_sign_word("PRIVATE")
    assert not is_a_sign_word("EXIT7") and not is_a_sign_word("C0UGAR")  # a vanity plate of the crops set
