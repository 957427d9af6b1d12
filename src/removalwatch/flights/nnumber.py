"""US civil registrations (N-numbers) to ICAO 24-bit addresses, offline, by the FAA's allocation.

The FAA assigns A00001 (N1) to ADF7C7 (N99999) in order: each registration is followed by its
letter-suffixed forms (N1A, N1AA, N1AB, ... N1Z) and then by the registrations one digit longer
(N10, N100, ...). Letters exclude I and O.

>>> n_number_to_icao("N1")
'a00001'
>>> n_number_to_icao("N276GX")
'a2bd72'
>>> n_number_to_icao("N99999")
'adf7c7'
"""

from __future__ import annotations

import re

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # 24: no I, no O
FIRST = 0xA00001
# Codes below a registration with n digits: itself, its 600 letter suffixes, and ten subtrees.
_SUFFIXES = 1 + len(LETTERS) * (1 + len(LETTERS))   # 601: "", A, AA..AZ, B, BA.., Z..ZZ
_SUBTREE = [101711, 10111, 951, 35]                  # size of the block under each digit position
_VALID = re.compile(r"^N[1-9]\d{0,4}$|^N[1-9]\d{0,3}[A-HJ-NP-Z]$|^N[1-9]\d{0,2}[A-HJ-NP-Z]{2}$")


class NotAnNNumber(ValueError):
    pass


def _suffix_offset(letters: str) -> int:
    """Offset of a 1- or 2-letter suffix among the 601 codes of a registration's letter block."""
    first = LETTERS.index(letters[0])
    offset = 1 + first * (1 + len(LETTERS))
    if len(letters) == 2:
        offset += 1 + LETTERS.index(letters[1])
    return offset


def n_number_to_icao(registration: str) -> str:
    """The ICAO address (lower-case hex) of a US registration such as "N276GX"."""
    reg = registration.strip().upper().replace("-", "")
    if not _VALID.match(reg):
        raise NotAnNNumber(f"{registration!r} is not a US N-number")
    body = reg[1:]
    code = FIRST + (int(body[0]) - 1) * _SUBTREE[0]
    rest = body[1:]
    level = 1
    while rest:
        ch = rest[0]
        if ch.isdigit():
            if level == 4:  # fifth character: after the letters come the ten digits
                code += 1 + len(LETTERS) + int(ch)
                break
            code += _SUFFIXES + int(ch) * _SUBTREE[level]
            level += 1
            rest = rest[1:]
        else:
            if level == 4:
                code += 1 + LETTERS.index(ch)
            else:
                code += _suffix_offset(rest)
            break
    return f"{code:06x}"


def icao_to_n_number(icao: str) -> str | None:
    """The US registration of an ICAO address, or None outside the US civil block."""
    value = int(icao, 16)
    if not FIRST <= value <= 0xADF7C7:
        return None
    offset = value - FIRST
    first, offset = divmod(offset, _SUBTREE[0])
    reg = "N" + str(first + 1)
    for level in range(1, 5):
        if offset == 0:
            return reg
        if level == 4:
            offset -= 1
            return reg + (LETTERS[offset] if offset < len(LETTERS) else str(offset - len(LETTERS)))
        if offset < _SUFFIXES:
            offset -= 1
            a, b = divmod(offset, 1 + len(LETTERS))
            return reg + LETTERS[a] + (LETTERS[b - 1] if b else "")
        digit, offset = divmod(offset - _SUFFIXES, _SUBTREE[level])
        reg += str(digit)
    return reg
