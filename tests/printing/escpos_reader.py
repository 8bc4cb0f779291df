"""Reads captured ESC/POS bytes back into printed lines (written apart from the code under test)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Printed:
    text: str
    double: bool
    bold: bool
    reverse: bool


def read_escpos(data: bytes) -> tuple[list[Printed], int]:
    """The lines a printer would print from ``data`` and how many times it would cut."""
    lines: list[Printed] = []
    buffer = bytearray()
    double = bold = reverse = kanji = False
    cuts = 0
    i = 0

    def flush():
        lines.append(Printed(buffer.decode("cp949"), double, bold, reverse))
        buffer.clear()

    while i < len(data):
        byte = data[i]
        two = data[i:i + 2]
        if two == b"\x1b@":
            double = bold = reverse = kanji = False
            i += 2
        elif two in (b"\x1ba", b"\x1bd"):
            i += 3
        elif two == b"\x1bE":
            bold = bool(data[i + 2])
            i += 3
        elif two == b"\x1d!":
            double = data[i + 2] == 0x11
            i += 3
        elif two == b"\x1dB":
            reverse = bool(data[i + 2])
            i += 3
        elif two == b"\x1dV":
            cuts += 1
            i += 4 if data[i + 2] in (0x41, 0x42) else 3
        elif two == b"\x1c&":
            kanji = True
            i += 2
        elif two == b"\x1c.":
            kanji = False
            i += 2
        elif byte == 0x0A:
            flush()
            i += 1
        elif byte >= 0x80:
            assert kanji, f"a two-byte character outside FS & ... FS . at byte {i}"
            buffer += data[i:i + 2]
            i += 2
        else:
            assert byte >= 0x20, f"unknown control byte {byte:#x} at {i}"
            buffer.append(byte)
            i += 1
    return lines, cuts


def texts(data: bytes) -> list[str]:
    return [line.text.strip() for line in read_escpos(data)[0]]
