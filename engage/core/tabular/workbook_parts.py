"""What openpyxl would hold in memory of each part of a workbook, counted without it.

Two scans, for the two ways openpyxl reads a part (workbook_guard.py works out which
part is read which way, and adds the counts up against its budget):

- `XmlPartScan`, for the parts openpyxl reads whole: expat parses the part, counting
  elements, attributes and, for the shared strings, each string and the width of its
  characters; it refuses a document type declaration (entities need one) and nesting
  deeper than MAX_DEPTH. Expat calls Python once an element, so each kind of part has
  handlers that do no more than it needs.
- `SheetScan`, for the worksheets openpyxl streams: the bytes are cut at each row's
  end tag and counted at C speed, with no parsing, so a million rows take seconds. It
  counts the rows (openpyxl keeps a small element for each, and the attributes of a
  formatted one), the tags between rows (kept whole) and the largest row (held while
  it is read).

The costs are bytes openpyxl 3.1.5 holds on Python 3.11 for each thing, measured with
`bench/hostile_xlsx.py --measure` and rounded up past the measure, so that a count is an
upper bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn
from xml.parsers import expat

MIB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

MAX_DEPTH = 100  # nesting in a part read whole; Excel's deepest (charts) is about 15
MAX_ROW_NUMBER = 1_048_576  # Excel's last row
MAX_PIECE_BYTES = 8 * MIB  # one row, or the stretch of a worksheet between two rows

# --- Measured costs: bytes of memory openpyxl holds for each thing ------------------
# In brackets, what `bench/hostile_xlsx.py --measure` found for 200,000 of each.

ELEMENT_COST = 1024  # an element of a part read whole (<xf> and its <alignment>: 1,756 for both)
ATTRIBUTE_COST = 128  # each of its attributes
TEXT_COST = 4  # a byte of text, which may become a character of a 4-byte-wide str
STRING_COST = 256  # a shared string, besides its characters (162 for a short one; 1,418
#                    for 300 characters with an emoji, which the 4-byte width makes 1,460)
ROW_COST = 128  # a worksheet row: iterparse keeps each row's element (94)
ROW_FORMAT_COST = 512  # a row with its own height or style: openpyxl keeps its attributes (419 more)
OUTSIDE_TAG_COST = 768  # a tag outside the rows, kept with all it holds (<mergeCell>: 687)
ROW_TAG_COST = 256  # a tag in the row being read, freed once it is read (a cell, 4 tags: 789)

Refuse = Callable[[str], NoReturn]  # raises ImportFileError with the sentence given
Collector = Callable[[int, str, str, dict[str, str]], None]  # depth, parent, element, attributes


def local_name(name: str) -> str:
    """An expat name without its namespace ('uri local' becomes 'local')."""
    return name.rsplit(" ", 1)[-1]


def _width(text: str) -> int:
    """Bytes a character takes in a str holding `text` (1, 2 or 4)."""
    if text.isascii():
        return 1
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return 2 if len(text.encode("utf-16-le")) == 2 * len(text) else 4
    return 1


class XmlPartScan:
    """One part parsed by expat, counting what openpyxl would hold of it.

    For most parts that is every element, attribute and character (the characters are
    charged by the caller, on the part's size). For the shared strings, openpyxl keeps
    each string and a small element for it, and frees the rest of the string's
    elements once it is read; elements outside strings it keeps whole. The handlers
    run once an element, so each role has its own, doing no more than it needs.
    """

    def __init__(self, name: str, *, strings: bool, refuse: Refuse, collect: Collector | None = None) -> None:
        self.name = name
        self.refuse = refuse
        self.collect = collect
        self.first = True
        self.cost = 0
        self.depth = 0
        self.elements = 0
        self.path: list[str] = []  # local names of the open elements, kept only to collect
        self.in_string = 0  # how many <si> elements we are inside
        self.string_chars = 0
        self.string_width = 1
        self.string_elements = 0
        self.largest_string = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        if strings:
            self.parser.StartElementHandler = self._start_in_strings
            self.parser.EndElementHandler = self._end_in_strings
            self.parser.CharacterDataHandler = self._text_in_strings
        else:
            self.parser.StartElementHandler = self._start
            self.parser.EndElementHandler = self._end

    def feed(self, data: bytes, *, final: bool = False) -> None:
        """Parse the next bytes; raises expat.ExpatError where the part is not XML."""
        self.first = False
        self.parser.Parse(data, final)

    def close(self) -> None:
        self.feed(b"", final=True)
        # openpyxl builds objects for one string's elements at a time.
        self.cost += ELEMENT_COST * self.largest_string

    def _doctype(self, *_: Any) -> None:
        self.refuse(
            f"Its part {self.name} declares a document type (<!DOCTYPE>), which Excel never writes and "
            "which can define entities that expand without end or read other files, so the file was "
            "not opened."
        )

    def _too_deep(self) -> NoReturn:
        self.refuse(
            f"Its part {self.name} nests elements more than {MAX_DEPTH} deep, far deeper than Excel does, "
            "so the file was not opened."
        )

    def _start(self, element: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            self._too_deep()
        self.cost += ELEMENT_COST + ATTRIBUTE_COST * len(attributes)
        if self.collect is not None:
            local = local_name(element)
            if self.depth <= 3:
                self.collect(self.depth, self.path[-1] if self.path else "", local, attributes)
            self.path.append(local)

    def _end(self, element: str) -> None:
        self.depth -= 1
        if self.collect is not None:
            self.path.pop()

    def _start_in_strings(self, element: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            self._too_deep()
        if element == _STRING:
            if not self.in_string:
                self.string_chars, self.string_width, self.string_elements = 0, 1, 0
            self.in_string += 1
            self.cost += STRING_COST
        if self.in_string:
            self.string_elements += 1
        else:
            self.cost += ELEMENT_COST + ATTRIBUTE_COST * len(attributes)
            self.cost += TEXT_COST * sum(len(value) for value in attributes.values())

    def _end_in_strings(self, element: str) -> None:
        self.depth -= 1
        if self.in_string and element == _STRING:
            self.in_string -= 1
            if not self.in_string:
                self.cost += self.string_chars * self.string_width
                self.largest_string = max(self.largest_string, self.string_elements)

    def _text_in_strings(self, text: str) -> None:
        if self.in_string:
            self.string_chars += len(text)
            if self.string_width < 4:
                self.string_width = max(self.string_width, _width(text))
        else:
            self.cost += TEXT_COST * len(text)


_STRING = f"{MAIN_NS} si"
_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b">")  # what may follow <row in a row's start tag
_MAIN_NS_BYTES = MAIN_NS.encode()


class SheetScan:
    """A worksheet scanned as bytes, a row at a time, at C speed.

    openpyxl knows a row by its namespace. The scan knows it by the prefix the root
    element binds to that namespace, and refuses anything that could make the two
    disagree: the prefix bound again further in, comments, CDATA, processing
    instructions and document types (in all of which '</row>' could hide), and an
    encoding other than UTF-8. What it cannot take for a row (a row under another
    prefix, say) it counts as kept whole, which only overestimates."""

    _TAG_REST = re.compile(rb"((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
    _ATTRIBUTE = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
    _MARKUP_EXCEL_NEVER_WRITES = re.compile(rb"<[!?]")
    _LARGE_ROW_NUMBER = re.compile(rb' r="(\d{7,})"')
    _DECLARATION = re.compile(rb"<\?xml[^>]*?\?>")
    _ENCODING = re.compile(rb"encoding\s*=\s*[\"']([^\"']*)[\"']")

    def __init__(self, name: str, *, refuse: Refuse) -> None:
        self.name = name
        self.refuse_workbook = refuse
        self.head = b""  # until the root element's start tag is whole
        self.carry = b""
        self.row_open = b""
        self.row_close = b""
        self.rebinding = re.compile(b"(?!)")  # matches nothing until the root is read
        self.rows = 0
        self.formatted_rows = 0
        self.outside_tags = 0
        self.outside_bytes = 0
        self.largest_row = 0
        self.shapes: dict[bytes, tuple[bool, bool]] = {}

    @property
    def cost(self) -> int:
        return (
            ROW_COST * self.rows
            + ROW_FORMAT_COST * self.formatted_rows
            + OUTSIDE_TAG_COST * self.outside_tags
            + TEXT_COST * self.outside_bytes
            + self.largest_row
        )

    def refuse(self, what: str) -> NoReturn:
        self.refuse_workbook(f"Its worksheet {self.name} {what}, so the file was not opened.")

    def feed(self, data: bytes) -> None:
        if not self.row_close:
            self.head += data
            if not self._read_root():
                if len(self.head) > MAX_PIECE_BYTES:
                    self.refuse("does not begin as a worksheet does")
                return
            data, self.head = self.head, b""
        data = self.carry + data
        # Whole-chunk checks first: each runs at C speed over the chunk, where checking
        # row by row would cost a call per row. The carry is looked at again with the
        # next chunk, so nothing split between chunks is missed.
        if self._MARKUP_EXCEL_NEVER_WRITES.search(data):
            self.refuse(
                "holds a document type, comment, CDATA or processing instruction, which Excel never writes"
            )
        if self.rebinding.search(data):
            self.refuse("declares its namespace again part way through, which Excel never does")
        for number in self._LARGE_ROW_NUMBER.finditer(data):
            self._row_number(number.group(1))
        pieces = data.split(self.row_close)
        self.carry = pieces.pop()
        if len(self.carry) > MAX_PIECE_BYTES:
            self.refuse(f"has a row, or something between rows, larger than {MAX_PIECE_BYTES / MIB:,.0f} MB")
        self._closed(pieces)
        if self.rows > MAX_ROW_NUMBER:
            self.refuse(f"has more than the {MAX_ROW_NUMBER:,} rows Excel allows")

    def close(self) -> None:
        if not self.row_close:
            self.refuse("does not begin as a worksheet does")
        if self.carry and not self.carry.isspace():
            self._outside(self.carry)
        self.carry = b""

    def _read_root(self) -> bool:
        """Read the XML declaration and the root element's start tag from the head;
        False until the head holds all of it."""
        head = self.head
        at = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
            self.refuse("is not written as UTF-8 text, as Excel writes it")
        declaration = self._DECLARATION.match(head, at)
        if declaration is None and head[at : at + 5] == b"<?xml"[: len(head) - at]:
            return False  # the declaration is not whole yet
        if declaration is not None:
            encoding = self._ENCODING.search(declaration.group())
            if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
                self.refuse("is not written as UTF-8 text, as Excel writes it")
            at = declaration.end()
        while at < len(head) and head[at : at + 1] in b" \t\r\n":
            at += 1
        if at >= len(head):
            return False
        if head[at : at + 2] in (b"<!", b"<?"):
            self.refuse("holds a document type, comment or processing instruction, which Excel never writes")
        name_end = at + 1
        while name_end < len(head) and head[name_end : name_end + 1] not in b" \t\r\n/>":
            name_end += 1
        rest = self._TAG_REST.match(head, name_end)
        if rest is None:
            return False  # not whole yet (feed refuses a head that never ends)
        name = head[at + 1 : name_end]
        prefixes = [
            (key[6:] if key.startswith(b"xmlns:") else b"")
            for key, double, single in self._ATTRIBUTE.findall(rest.group(1))
            if (key == b"xmlns" or key.startswith(b"xmlns:")) and (double or single) == _MAIN_NS_BYTES
        ]
        if len(prefixes) != 1 or name != (prefixes[0] + b":" if prefixes[0] else b"") + b"worksheet":
            self.refuse("is not a worksheet as Excel writes one")
        prefix = prefixes[0] + b":" if prefixes[0] else b""
        self.row_open, self.row_close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        declared = b"xmlns:" + prefixes[0] if prefixes[0] else b"xmlns"
        self.rebinding = re.compile(re.escape(declared) + rb"\s*=")
        self.outside_tags += 1
        self.head = head[rest.end() :]
        return True

    def _closed(self, pieces: list[bytes]) -> None:
        """Stretches of the sheet that each end where a row ends: what is before the
        row's start tag is outside the rows; the row is read whole, then freed.

        This runs once a row, so it keeps to calls that run at C speed over the piece."""
        row_open = self.row_open
        after_name = len(row_open)
        rows = formatted = 0
        largest = self.largest_row
        for piece in pieces:
            start = piece.rfind(row_open)
            after = start + after_name
            if start < 0 or piece[after : after + 1] not in _NAME_ENDS:
                start = self._last_row_start(piece)
                after = start + after_name
            formatted += self._formatted(piece, after)
            rows += 1
            row_cost = ROW_TAG_COST * (piece.count(b"<", start) + 1) + TEXT_COST * (len(piece) - start)
            largest = max(largest, row_cost)
            if start and not piece[:start].isspace():
                self._outside(piece[:start])
        self.rows += rows
        self.formatted_rows += formatted
        self.largest_row = largest

    def _last_row_start(self, piece: bytes) -> int:
        start = piece.rfind(self.row_open)
        while (
            start >= 0
            and piece[start + len(self.row_open) : start + len(self.row_open) + 1] not in _NAME_ENDS
        ):
            start = piece.rfind(self.row_open, 0, start)
        if start < 0:
            self.refuse("ends a row it never began")
        return start

    def _outside(self, outside: bytes) -> None:
        """Everything between rows: kept whole by openpyxl until the sheet is read,
        but for rows written as empty elements (<row r="7"/>), kept as rows are."""
        rows = 0
        at = outside.find(self.row_open)
        while at >= 0:
            after = at + len(self.row_open)
            if outside[after : after + 1] in (b" ", b"\t", b"\r", b"\n", b">", b"/"):
                self._row_start(outside, after)
                rows += 1
            at = outside.find(self.row_open, after)
        self.outside_tags += outside.count(b"<") - rows
        self.outside_bytes += len(outside)

    def _row_start(self, text: bytes, after: int) -> None:
        """Count a row from its start tag (its attributes begin at `after`)."""
        self.rows += 1
        self.formatted_rows += self._formatted(text, after)

    def _formatted(self, text: bytes, after: int) -> bool:
        """Whether openpyxl keeps the attributes of the row whose start tag's attributes
        begin at `after`. Rows differ in little but their numbers, so each shape of start
        tag (its digits taken out) is read once; a shape is trusted only where no quote
        could hide a '>'."""
        end = text.find(b">", after)
        attributes = text[after:end] if end >= 0 else b"'"
        if attributes in (b"", b"/"):
            return False
        if b"'" in attributes or attributes.count(b'"') % 2:
            return self._read_tag(text, after)[0]
        shape = attributes.translate(None, b"0123456789")
        known = self.shapes.get(shape)
        if known is None or known[1]:
            known = self._read_tag(text, after)
            if len(self.shapes) < 256:
                self.shapes[shape] = known
        return known[0]

    def _read_tag(self, text: bytes, after: int) -> tuple[bool, bool]:
        """Read a row's start tag properly: (whether openpyxl keeps its attributes,
        whether every row of its shape must be read so). openpyxl keeps them for a row
        with unprefixed attributes besides r and spans. A number is checked here; one
        written r="..." is also checked in every row by _LARGE_ROW_NUMBER."""
        rest = self._TAG_REST.match(text, after)
        if rest is None:
            self.refuse("has a row whose start tag cannot be read")
        attributes = rest.group(1)
        formatted, numbers = False, 0
        for key, double, single in self._ATTRIBUTE.findall(attributes):
            if key == b"r":
                numbers += 1
                self._row_number(double or single)
            elif key != b"spans" and b":" not in key:
                formatted = True
        plain = numbers == 0 or (numbers == 1 and attributes.count(b' r="') == 1)
        return formatted, not plain

    def _row_number(self, number: bytes) -> None:
        if not number.isdigit() or len(number) > 7 or int(number) > MAX_ROW_NUMBER:
            self.refuse(
                f"has a row numbered {number[:20].decode('ascii', 'replace')!r}, where Excel's rows "
                f"are numbered 1 to {MAX_ROW_NUMBER:,}"
            )
