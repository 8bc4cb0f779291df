"""A printed slip (receipt or kitchen ticket) as plain data, and its three renderings.

A ``Slip`` is a list of ``Line``s already laid out to the printer's width in Font A columns (a two-byte
CP949 character is two columns, see ``escpos.columns``). The same slip becomes ESC/POS bytes for the
printer, text for tests and the command line, and (``services.printing.preview``) a PNG; it is stored
with its job as JSON, so a retry sends exactly what was first laid out.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from services.printing import escpos
from services.printing.escpos import columns


@dataclass(frozen=True)
class Line:
    text: str = ""
    align: str = "left"       # left | center | right
    size: int = 1             # 1: normal; 2: double width and height (half as many columns)
    bold: bool = False
    banner: bool = False      # white on black: REPRINT and VOID must not be missed


@dataclass(frozen=True)
class Slip:
    lines: tuple[Line, ...]
    width: int = 48           # Font A columns of the paper (48 on 80 mm at 12 dots a column)

    def to_escpos(self) -> bytes:
        out = bytearray(escpos.INITIALIZE)
        for line in self.lines:
            out += escpos.ALIGN[line.align] + escpos.SIZE[line.size]
            out += (escpos.BOLD_ON if line.bold else escpos.BOLD_OFF)
            text = line.text
            if line.banner:   # pad so the black band is a whole line wide, not just behind the words
                text = _aligned(text, self.width // line.size, line.align)
                out += escpos.REVERSE_ON + escpos.ALIGN["left"]
            out += escpos.encode_cp949(text.rstrip() if not line.banner else text) + escpos.LF
            if line.banner:
                out += escpos.REVERSE_OFF
        out += escpos.SIZE[1] + escpos.BOLD_OFF + escpos.ALIGN["left"] + escpos.FEED_AND_CUT
        return bytes(out)

    def to_text(self) -> str:
        """One text line per printed line, ``width`` columns; a double-size line is placed where it
        prints (it takes twice its columns) but written once."""
        rows = []
        for line in self.lines:
            text = escpos.printable(line.text)
            free = max(0, self.width - line.size * columns(text))
            pad = {"left": 0, "center": free // 2, "right": free}[line.align]
            row = " " * pad + text
            rows.append((f"[{row.strip()}]".center(self.width) if line.banner else row).rstrip())
        return "\n".join(rows) + "\n"

    def to_json(self) -> str:
        return json.dumps({"width": self.width, "lines": [asdict(line) for line in self.lines]},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Slip:
        data = json.loads(text)
        return cls(lines=tuple(Line(**line) for line in data["lines"]), width=data["width"])

    def with_banner_first(self, text: str) -> Slip:
        """The same slip under a banner (e.g. REPRINT on a copy the printer may already have printed)."""
        return Slip(lines=(Line(text, align="center", size=2, bold=True, banner=True), *self.lines),
                    width=self.width)


def _aligned(text: str, width: int, align: str) -> str:
    free = max(0, width - columns(text))
    left = {"left": 0, "center": free // 2, "right": free}[align]
    return " " * left + text + " " * (free - left)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces where it can be; the leading
    spaces (an indent) start every line."""
    body = text.lstrip(" ")
    indent = text[:len(text) - len(body)]
    if indent and columns(indent) < width // 2:
        return [indent + line for line in wrap(body, width - columns(indent))]
    lines: list[str] = []
    current = ""
    for word in body.split(" "):
        candidate = f"{current} {word}" if current else word
        if columns(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:  # a word longer than the line is broken anywhere
            if columns(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return lines


def spread(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line of ``width`` columns (``left`` cut short if they do not fit)."""
    room = width - columns(right) - 1
    while columns(left) > room and left:
        left = left[:-1]
    return left + " " * (width - columns(left) - columns(right)) + right


def rule(width: int, char: str = "-") -> Line:
    return Line(char * width)
