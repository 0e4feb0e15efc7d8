"""transforms.decode: bytes in any encoding the web uses -> text, or why they are not text."""

import codecs
import gzip
import os

import pytest

from transforms import decode as dec
from transforms.decode import Decoded, Undecodable, binary_kind, decode, unpack

FRENCH = "Le président a déclaré mercredi que la réforme des retraites serait adoptée, malgré les grèves."
RUSSIAN = "Президент России заявил в среду, что переговоры продолжатся на следующей неделе в Женеве."
WINDOWS = "He said \u201cwe\u2019re ready\u201d \u2014 and the euro \u20ac fell. Naïve café owners agreed."


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (FRENCH.encode("utf-8"), FRENCH, "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), FRENCH, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), RUSSIAN, "utf-16"),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), RUSSIAN, "utf-16"),
        (codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le"), FRENCH, "utf-32"),
        (FRENCH.encode("latin-1"), FRENCH, "cp1252"),
        (WINDOWS.encode("cp1252"), WINDOWS, "cp1252"),
        (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
        ("caf\u00e9".encode("latin-1"), "caf\u00e9", "cp1252"),
    ],
)
def test_text_in_any_common_encoding_is_decoded(data, text, encoding):
    assert decode(data) == Decoded(text, encoding)


def test_utf16_without_a_byte_order_mark_is_text_not_binary():
    data = RUSSIAN.encode("utf-16-le")
    assert binary_kind(data) is None
    assert decode(data).text == RUSSIAN


def test_mostly_utf8_with_a_broken_byte_stays_utf8():
    data = (FRENCH * 3).encode() + b"\xff end."
    got = decode(data)
    assert got == Decoded(FRENCH * 3 + "\ufffd end.", "utf-8", 1)


def test_a_genuine_replacement_character_is_not_counted_as_broken():
    data = ("\ufffd " + FRENCH).encode() + b"\xc3"
    assert decode(data).replaced == 1


def test_undecodable_bytes_are_an_error_not_a_guess():
    got = decode(bytes(range(128, 256)) * 3)
    assert isinstance(got, Undecodable) and got.reason == "decode_error"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "a PNG image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"PK\x03\x04" + bytes(30), "a ZIP archive"),
        (b"text\x00\x01\x02\x00\x00\x03" * 20, "binary data (NUL bytes)"),
    ],
)
def test_binary_data_is_named(data, kind):
    assert binary_kind(data) == kind


def test_a_stray_nul_in_long_text_is_not_binary():
    assert binary_kind((FRENCH * 20).encode() + b"\x00") is None


def test_gzip_is_unpacked_whatever_the_name():
    assert unpack(gzip.compress(FRENCH.encode())) == FRENCH.encode()
    two_members = gzip.compress(b"one ") + gzip.compress(b"two")
    assert unpack(two_members) == b"one two"
    assert unpack(b"plain") == b"plain"


@pytest.mark.parametrize("data", [b"\x1f\x8b\x08\x00garbage", gzip.compress(os.urandom(2000))[:-30]])
def test_broken_gzip_is_an_error(data):
    got = unpack(data)
    assert isinstance(got, Undecodable) and got.reason == "bad_gzip"


def test_a_gzip_bomb_is_refused_not_followed(monkeypatch):
    monkeypatch.setattr(dec, "MAX_UNPACKED", 1000)
    got = unpack(gzip.compress(bytes(100_000)))
    assert isinstance(got, Undecodable) and "more than" in got.detail
