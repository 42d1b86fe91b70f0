"""An EPUB read safely, in memory: path -> {part id: Part} in spine order.

EPUBs are zips, and a zip from elsewhere can lie: member names that climb
out of a folder ("../../.bashrc"), sizes that explode on inflation. Nothing
is ever extracted to disk; members are read into memory only after their
names, sizes and compression ratios pass, and reads stop at the limit even
when a header understates the size. XML is parsed without DTDs, entities
or network access.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from pipeline.diff.errors import DiffError, check_file_size
from pipeline.diff.parts import Part
from pipeline.render.text import element_lines, format_part, local_name, parse

MAX_FILE = 200 * 2**20       # the .epub itself
MAX_MEMBER = 32 * 2**20      # one member, inflated
MAX_TOTAL = 256 * 2**20      # all members, inflated
MAX_MEMBERS = 5000
MAX_RATIO = 100              # inflated / compressed: text rarely exceeds 15
XHTML = "application/xhtml+xml"
NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container",
      "h": "http://www.w3.org/1999/xhtml"}
SKIP = {"cover", "titlepage", "nav", "toc", "notes"}   # generated pages without the book's text


def read_parts(path: Path) -> dict[str, Part]:
    """An EPUB -> its text parts, notes attached to the part that refers to them."""
    members = read_members(Path(path))
    try:
        opf_name = _rootfile(members)
        spine = _spine(members, opf_name)
        notes = _notes(members, spine)
        return {ident: _part(ident, members[name], notes.get(ident, [])) for ident, name in spine
                if ident not in SKIP}
    except DiffError as exc:   # a member's problem: said of this EPUB
        raise exc.at(path) from None


def read_members(path: Path) -> dict[str, bytes]:
    """The zip's members in memory, every limit checked, or DiffError."""
    check_file_size(path, MAX_FILE, "an EPUB")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_infos(path, infos)
            return _read_all(path, zf, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:
        raise DiffError("D016", path, reason=exc) from None


def _check_infos(path: Path, infos) -> None:
    if len(infos) > MAX_MEMBERS:
        raise DiffError("D017", path, count=len(infos))
    for info in infos:
        if not safe_name(info.filename):
            raise DiffError("D018", path, name=info.filename)
        if info.file_size > MAX_MEMBER or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
            raise DiffError("D019", path, what=f"member {info.filename!r} ({info.compress_size} bytes "
                                                 f"to {info.file_size})")


def safe_name(name: str) -> bool:
    """A member name that stays inside the archive: relative, no "..", no drive, no backslash."""
    pure = PurePosixPath(name)
    return bool(name) and "\\" not in name and ":" not in name and not pure.is_absolute() \
        and ".." not in pure.parts and "\x00" not in name


def _read_all(path: Path, zf: zipfile.ZipFile, infos) -> dict[str, bytes]:
    members, total = {}, 0
    for info in infos:
        if info.is_dir():
            continue
        with zf.open(info) as f:
            data = f.read(MAX_MEMBER + 1)   # headers can lie: stop at the limit regardless
        total += len(data)
        if len(data) > MAX_MEMBER or total > MAX_TOTAL:
            raise DiffError("D019", path, what="the members together")
        members[info.filename] = data
    return members


def parse_xml(data: bytes, where: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DiffError("D020", member=where, reason=exc) from None


def _member(members: dict[str, bytes], name: str) -> bytes:
    if name not in members:
        raise DiffError("D021", member=name)
    return members[name]


def _rootfile(members) -> str:
    container = parse_xml(_member(members, "META-INF/container.xml"), "META-INF/container.xml")
    found = container.find(".//c:rootfile", NS)
    if found is None or not found.get("full-path"):
        raise DiffError("D022")
    return found.get("full-path")


def _spine(members, opf_name: str) -> list[tuple[str, str]]:
    """(part id, member name) of each XHTML document, in reading order."""
    opf = parse_xml(_member(members, opf_name), opf_name)
    base = posixpath.dirname(opf_name)
    items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    out = []
    for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
        item = items.get(ref.get("idref"))
        if item is not None and item.get("media-type") == XHTML:
            name = posixpath.normpath(posixpath.join(base, item.get("href", "")))
            out.append((PurePosixPath(name).stem, name))
    return out


def _body(members, name: str):
    root = parse_xml(_member(members, name), name)
    body = root.find("h:body", NS)
    if body is None:
        raise DiffError("D023", member=name)
    return body


def _part(ident: str, data: bytes, notes) -> Part:
    body = parse_xml(data, ident).find("h:body", NS)
    heading = body.find(".//h:h1", NS) if body is not None else None
    title = " · ".join(element_lines(heading)) if heading is not None else ""
    if heading is not None:
        heading.getparent().remove(heading)
    lines = REGISTER_LINES.get(ident, element_lines)(body) if body is not None else []
    text = format_part(title, lines, notes)
    return Part(ident, ident, parse(text))


def _glossary_lines(body) -> list[str]:
    """`TERM — definition` a line, as the canonical text writes the glossary."""
    out = []
    for dt in body.iterfind(".//h:dt", NS):
        dd = dt.getnext()
        definition = " ".join(element_lines(dd)) if dd is not None and local_name(dd) == "dd" else ""
        out.append(f"{' '.join(element_lines(dt))} — {definition}")
    return out


def _index_lines(body) -> list[str]:
    """`HEADING — the rest` an entry, `Entry › Sub` for a sub-entry: one key
    per entry, so that an entry whose locators changed reads as edited."""
    return [line for li in body.iterfind(".//h:li", NS)
            if _is_entry(li) and not any(_is_entry(a) for a in li.iterancestors())
            for line in _index_entry(li, "")]


def _index_entry(li, parent: str) -> list[str]:
    term = li.find("h:span", NS)
    label = " ".join(element_lines(term)) if term is not None else ""
    heading = f"{parent} › {label}" if parent else label
    rest = (li.text or "") + "".join(("".join(c.itertext()) if c is not term else "") + (c.tail or "")
                                     for c in li if local_name(c) != "ul")
    lines = [f"{heading} — {' '.join(rest.split()).strip(' ,.')}"]
    for sub in li.iterfind("h:ul/h:li", NS):
        if _is_entry(sub):
            lines += _index_entry(sub, heading)
    return lines


def _is_entry(el) -> bool:
    return "index-entry" in (el.get("class") or "").split()


REGISTER_LINES = {"glossary": _glossary_lines, "index": _index_lines}


def _notes(members, spine) -> dict[str, list]:
    """Endnotes wherever they are -> {part id: [(mark, lines)]}, by their backlinks."""
    out: dict[str, list] = {}
    for ident, name in spine:
        for li in _body(members, name).iterfind(".//h:li[@class]", NS):
            if "note" in li.get("class").split():
                _take_note(li, ident, out)
    return out


def _take_note(li, here: str, out: dict) -> None:
    mark_el = li.find(".//h:a[@class='note-mark']", NS)
    href = mark_el.get("href", "") if mark_el is not None else ""
    owner = PurePosixPath(href.split("#")[0]).stem or here
    mark = "".join(mark_el.itertext()).strip() if mark_el is not None else "?"
    if mark_el is not None:
        mark_el.getparent().remove(mark_el) if mark_el.tail is None else _drop_keep_tail(mark_el)
    out.setdefault(owner, []).append((mark, element_lines(li)))


def _drop_keep_tail(el) -> None:
    parent, prev = el.getparent(), el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + el.tail
    else:
        parent.text = (parent.text or "") + el.tail
    parent.remove(el)
