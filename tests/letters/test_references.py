from hypothesis import given, strategies as st

from dearjohn.letters import references


def test_codes_carry_more_than_sixty_bits_and_do_not_repeat():
    assert references.BITS > 73
    codes = {references.new_reference() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 17 and code.count("-") == 2 for code in codes)
    assert not set("".join(codes).replace("-", "")) & set("01ILOU")


@given(st.text(alphabet=references.ALPHABET, min_size=15, max_size=15))
def test_whatever_way_a_code_is_typed_it_cleans_to_the_stored_form(raw):
    code = references.format_reference(raw)
    assert references.clean_reference(f"  {raw.lower()[:7]} {raw[7:]} ") == code
    assert references.clean_reference(code.replace("-", " - ")) == code


def test_look_alike_characters_never_match_a_code():
    assert references.clean_reference("K7QW2-XR9MD-4HPZO") is None
    assert references.clean_reference("K7QW2-XR9MD-4HPZ") is None


def test_a_derived_reference_has_the_printed_form_and_is_the_same_each_time():
    code = references.reference_for("demo history letter 7 first")
    assert references.clean_reference(code) == code
    assert code == references.reference_for("demo history letter 7 first")
    assert code != references.reference_for("demo history letter 7 repeat")
