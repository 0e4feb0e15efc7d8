"""Bytes of an input file -> text, whatever encoding the web gave it. Pure, no Beam.

In: the bytes of one file (or one line). Out: `Decoded(text, encoding, replaced)`, or
`Undecodable(reason, detail)` for what is not text at all.

- gzip data is unpacked first, whatever the file is called (`unpack`);
- images, archives and other binary data are refused by their signature, or by NUL
  bytes (over 1% of the first 64 KiB) that no UTF-16/32 text explains (`binary_kind`);
- a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32) and is not part of the text;
  NUL bytes that read as UTF-16/32 are that, mark or not;
- valid UTF-8 is UTF-8;
- text that is mostly UTF-8 with a few broken bytes stays UTF-8: each broken sequence
  becomes U+FFFD and is counted (`replaced`), rather than the whole text being read in
  another encoding as mojibake;
- anything else goes to charset-normalizer, and among the encodings it finds equally
  good the common web ones win (Windows-1252 over Windows-1250 for "Naïve café"); when
  it finds none, the bytes are `Undecodable`.

Offsets in the output always refer to the decoded text.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

_GZIP = b"\x1f\x8b"
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"(\xb5/\xfd", "zstd data"),
    (b"\x7fELF", "an executable"),
)
_BOMS = (  # longest first: UTF-32-LE's mark starts with UTF-16-LE's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")
# Among encodings charset-normalizer finds equally good, the one news sites most use wins.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "iso8859_2", "cp1256", "cp1253", "cp1254")
MAX_UNPACKED = 1 << 30  # bytes a gzip member may unpack to: a bomb is refused, not followed


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name: "utf-8", "utf-16", "cp1252", ...
    replaced: int = 0  # broken UTF-8 sequences read as U+FFFD


@dataclass(frozen=True)
class Undecodable:
    reason: str  # "binary_file", "bad_gzip", "decode_error"
    detail: str


def unpack(data: bytes) -> bytes | Undecodable:
    """file bytes -> the same bytes, or what a gzip stream holds (named .gz or not)."""
    if not data.startswith(_GZIP):
        return data
    try:
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        out = unpacker.decompress(data, MAX_UNPACKED)
        if unpacker.unconsumed_tail:
            return Undecodable("bad_gzip", f"gzip data unpacks to more than {MAX_UNPACKED >> 20} MiB")
        if unpacker.unused_data:  # a second gzip member: let the gzip module read them all
            out = gzip.decompress(data)
    except (zlib.error, EOFError, gzip.BadGzipFile) as e:
        return Undecodable("bad_gzip", f"looks like gzip data but cannot be unpacked: {e}")
    if not unpacker.eof:
        return Undecodable("bad_gzip", "gzip data cut short")
    return out


def binary_kind(data: bytes) -> str | None:
    """bytes -> what binary thing they are ("a PNG image", ...), None if they may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if _many_nuls(data) and not data.startswith(tuple(b for b, _ in _BOMS)) and not _wide_encoding(data):
        return "binary data (NUL bytes)"
    return None


def _many_nuls(data: bytes) -> bool:
    sample = data[:65536]
    return sample.count(b"\x00") > len(sample) // 100


def _wide_encoding(data: bytes) -> str | None:
    """bytes holding NULs -> the UTF-16/32 encoding they read as without a byte-order mark, if any."""
    best = from_bytes(data[:65536], cp_isolation=list(_WIDE)).best()
    return best.encoding if best is not None and best.encoding in _WIDE else None


def decode(data: bytes) -> Decoded | Undecodable:
    """bytes of text in some encoding -> the text (see the module's docstring for the order)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError as e:
                return Undecodable("decode_error", f"starts with a {codec} byte-order mark but is not {codec}: {e}")
    wide = _wide_encoding(data) if _many_nuls(data) else None
    if wide:  # UTF-16 of Latin or Cyrillic text is valid UTF-8, full of NULs and controls
        try:
            return Decoded(data.decode(wide), wide)
        except UnicodeDecodeError as e:
            return Undecodable("decode_error", f"reads as {wide} at first but is not: {e}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - broken
    if multibyte > broken:
        return Decoded(text, "utf-8", broken)
    return _detected(data)


def _detected(data: bytes) -> Decoded | Undecodable:
    """bytes that are not UTF-8 -> charset-normalizer's reading, common encodings first among equals."""
    wide = b"\x00" in data
    matches = list(from_bytes(data, cp_exclusion=None if wide else list(_WIDE)))
    if not matches:
        return Undecodable("decode_error", "not UTF-8, and no other encoding reads it as text")
    best = min((m.chaos, -m.coherence) for m in matches)
    tied = [m for m in matches if (m.chaos, -m.coherence) == best]
    for codec in _PREFERRED:
        for m in tied:
            if codec in m.could_be_from_charset:
                try:
                    return Decoded(data.decode(codec), codec)
                except UnicodeDecodeError:
                    continue
    return Decoded(str(tied[0]), tied[0].encoding)
