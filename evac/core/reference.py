"""Public reference codes: short enough to read over a bad phone line, too many to guess."""

import secrets

# No 0/O, 1/I/L, or U/V pairs that are confused when read aloud or handwritten.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 8  # 29**8 ≈ 5·10^11 codes: guessing one of 100,000 takes ~5 million tries on average.


def new_reference_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_reference_code(typed: str) -> str:
    """What a person typed (any case, with spaces or dashes) → the stored form."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def format_reference_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
