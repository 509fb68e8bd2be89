from evac.core.reference import (
    ALPHABET,
    LENGTH,
    format_reference_code,
    new_reference_code,
    normalize_reference_code,
)


def test_it_uses_no_look_alike_characters():
    assert not set("01OILUV") & set(ALPHABET)


def test_codes_are_short_and_drawn_from_the_alphabet():
    codes = {new_reference_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)


def test_what_a_person_types_is_normalized():
    code = new_reference_code()
    typed = format_reference_code(code).lower().replace("-", " - ")
    assert normalize_reference_code(typed) == code
