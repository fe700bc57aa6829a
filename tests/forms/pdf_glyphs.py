"""What a PDF draws with each font, read from the PDF itself: the characters each embedded
font subset's ToUnicode map gives its codes. ReportLab embeds in a subset exactly the
glyphs drawn, so this is the set of characters that were drawn with that font (a shaped
alternate glyph has a private-use code point; a character the font lacks comes out of
shaping as U+FFFF, its empty box)."""

from __future__ import annotations

import base64
import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_FONT = re.compile(rb"/BaseFont /(?:[A-Z]{6}\+)?([^\s/]+)")
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    data = rest.strip(b"\r\n").rsplit(b"endstream", 1)[0].strip()
    filters = re.findall(rb"/(ASCII85Decode|FlateDecode)", head)
    for name in filters:
        if name == b"ASCII85Decode":
            data = base64.a85decode(data.removeprefix(b"<~").removesuffix(b"~>"),
                                    ignorechars=b" \t\n\r\x0b")
        else:
            data = zlib.decompress(data)
    return data


def drawn_characters(pdf: bytes) -> dict[str, set[int]]:
    """Font name (subset tag dropped) -> the code points its subsets draw."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    out: dict[str, set[int]] = {}
    for body in objects.values():
        font, cmap = _FONT.search(body), _TO_UNICODE.search(body)
        if not (font and cmap) or b"/Type /Font" not in body:
            continue
        text = _stream(objects[int(cmap.group(1))]).decode("latin-1")
        chars = out.setdefault(font.group(1).decode(), set())
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for _code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars.update(ord(c) for c in bytes.fromhex(uni).decode("utf-16-be"))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, uni in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                start = int(uni, 16)
                chars.update(range(start, start + int(hi, 16) - int(lo, 16) + 1))
        # Code 0 of every subset is the font's .notdef (unshaped text the font lacks would
        # be drawn with it unseen here; the forms always shape), and ReportLab maps the
        # codes 32-127 of the first subset to ASCII whether drawn or not (127 included).
        chars.difference_update({0, 0x7F})
    return out
