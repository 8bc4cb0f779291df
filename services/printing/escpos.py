"""The few ESC/POS commands a receipt and a kitchen ticket need, as bytes, and Korean as CP949.

Built by hand rather than with python-escpos: its 3.1 code-page table has no CP949/EUC-KR, so Korean
comes out as ``???`` without an error (PITFALLS.md), and its network printer only writes to a socket,
with no status query before a job and no wait for the printer to finish reading after it. What is
left to build is about a dozen fixed byte strings, which are written out here with their names.

Korean: a Korean-model printer switches to two-byte (KS X 1001 / CP949) characters with ``FS &`` and
back with ``FS .``; every two-byte run is wrapped in that pair, single-byte ASCII stays outside it.
"""
from __future__ import annotations

ESC, GS, FS, DLE, EOT, LF = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\x04", b"\n"

INITIALIZE = ESC + b"@"                 # also clears anything a broken-off job left in the buffer
KANJI_ON, KANJI_OFF = FS + b"&", FS + b"."
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
SIZE = {1: GS + b"!\x00", 2: GS + b"!\x11"}   # normal; double width and double height
REVERSE_ON, REVERSE_OFF = GS + b"B\x01", GS + b"B\x00"  # white on black, for REPRINT / VOID banners
FEED_AND_CUT = ESC + b"d\x04" + GS + b"V\x42\x00"  # feed past the cutter, partial cut

# Real-time status (answered even while the printer is offline): one byte each.
STATUS_PRINTER = DLE + EOT + b"\x01"    # bit 3 set: offline (cover open, paper out, error)
STATUS_PAPER = DLE + EOT + b"\x04"      # bits 5 and 6 set: roll paper end
OFFLINE_BIT, PAPER_END_BITS = 0x08, 0x60
# Epson's maintenance counter "GS g 2": n = 178 is the cumulative autocutter count (never reset). The
# answer is 0x5F, the count in ASCII digits, NUL. Not every model has it (``cut_counter`` in the file).
CUT_COUNTER = GS + b"g2\x00" + bytes([178, 0])
COUNTER_HEADER = 0x5F

UNPRINTABLE = "?"


def encode_cp949(text: str) -> bytes:
    """``text`` as the printer's bytes: ASCII as is, every other character as CP949 inside FS & … FS .;
    a character CP949 does not have becomes ``?`` (the layout measured it as one column)."""
    out = bytearray()
    in_kanji = False
    for char in text:
        if ord(char) < 0x80:
            if in_kanji:
                out += KANJI_OFF
                in_kanji = False
            out += char.encode("ascii")
            continue
        try:
            encoded = char.encode("cp949")
        except UnicodeEncodeError:
            encoded = UNPRINTABLE.encode()
        if len(encoded) == 2 and not in_kanji:
            out += KANJI_ON
            in_kanji = True
        elif len(encoded) == 1 and in_kanji:
            out += KANJI_OFF
            in_kanji = False
        out += encoded
    if in_kanji:
        out += KANJI_OFF
    return bytes(out)


def columns(text: str) -> int:
    """How many Font A columns ``text`` takes on the printer: a two-byte CP949 character (Hangul, but
    also ×, ※ or ·) prints full width, two columns; ASCII one; what CP949 lacks prints as one ``?``."""
    width = 0
    for char in text:
        if ord(char) < 0x80:
            width += 1
            continue
        try:
            width += len(char.encode("cp949"))
        except UnicodeEncodeError:
            width += 1
    return width


def printable(text: str) -> str:
    """``text`` as the printer will show it: characters CP949 lacks replaced by ``?``."""
    out = []
    for char in text:
        try:
            char.encode("cp949")
            out.append(char)
        except UnicodeEncodeError:
            out.append(UNPRINTABLE)
    return "".join(out)
