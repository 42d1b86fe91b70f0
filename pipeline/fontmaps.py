"""A PDF font's widths (/W) and ToUnicode map, read and written as WeasyPrint
70 writes them: neutral, for the merge that gives each face one program
(render/pdf/fonts.py) and for `check pdf`, which reads them back."""

from __future__ import annotations

import re

from pikepdf import Array


def parse_widths(w) -> dict[int, object]:
    """A CIDFont's /W array -> CID -> width (both forms: c [w…] and c_first c_last w)."""
    out: dict[int, object] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for j, width in enumerate(items[i + 1]):
                out[first + j] = width
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                out[cid] = items[i + 2]
            i += 3
    return out


def widths_array(widths: dict[int, object]) -> Array:
    """As WeasyPrint writes /W: a run of consecutive CIDs, then its widths."""
    out: list = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            out += [cid, []]
        out[-1].append(widths[cid])
    return Array([Array(x) if isinstance(x, list) else x for x in out])


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap -> CID -> text (bfchar, and bfrange with a start string)."""
    out: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        for cid, text in _PAIR.findall(block):
            out[int(cid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in _BFRANGE.findall(data):
        for low, high, start in _RANGE.findall(block):
            units = bytes.fromhex(start.decode())
            for n, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                last = int.from_bytes(units[-2:], "big") + n if units else 0
                out[cid] = (units[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", "replace")
    return out


def to_unicode(text: dict[int, str]) -> bytes:
    """The CMap WeasyPrint 70 writes (pdf/fonts.py), CIDs in order."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(text.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{cid:04x}> <{value.encode('utf-16-be').hex()}>".encode() for cid, value in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
