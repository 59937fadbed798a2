"""Peak memory of reading hostile 5 MB workbooks, with the workbook guard against without.

Builds a workbook of each hostile kind, about --size-mb on disk where the attack takes
room (a zip bomb, a part that holds more than its declared size, shared strings enough
for millions of cells, billion laughs, an external entity, elements nested millions
deep, 50,000 parts, a flood of formatted rows, one row of millions of cells, millions
of elements between rows), and an ordinary workbook of the same size as the control.
Each is read in a fresh process, twice:

- guarded: `open_reader`, as an import reads a file (the workbook guard, then openpyxl
  read-only), every row;
- unguarded: `openpyxl.load_workbook(read_only=True, data_only=True)` and every row of
  the first sheet, as the readers did before the guard.

Each process runs under an address-space limit (RLIMIT_AS, --limit-mb) and a time limit
(--timeout), so the machine survives the unguarded runs; a run that reaches either is
reported as stopped there, and its peak is then at least what is shown. Peak memory is
the child's own ru_maxrss (os.wait4). Both kinds of child set Django up and import
openpyxl first, so their baselines are the same (shown as "nothing opened").

    .venv/bin/python bench/hostile_xlsx.py [--size-mb 5] [--limit-mb 2048] [--timeout 60]
        [--keep FOLDER] [--measure]

--measure instead measures what openpyxl holds for each thing the guard counts (a shared
string, a row, an element outside the rows, an element of a part read whole...), the
figures behind the costs in engage/core/tabular/workbook_parts.py.

The last line printed is JSON: for each kind its file size, guarded and unguarded peak
MB, outcome and seconds; and `worst_guarded_peak_mb`, which the guard keeps under 300.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from engage.core.tabular import workbook_guard as guard  # noqa: E402 - after the path
from engage.core.tabular import workbook_parts as costs  # noqa: E402

GOAL_MB = 300

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPES = {
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    SHEET: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    STRINGS: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    STYLES: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
}
Part = bytes | Iterable[bytes]

# --- Building workbooks -------------------------------------------------------------


def _skeleton(names: Iterable[str]) -> dict[str, bytes]:
    overrides = "".join(
        f'<Override PartName="/{n}" ContentType="{_TYPES[n]}"/>' for n in names if n in _TYPES
    )
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ).encode(),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Survey" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}styles" Target="styles.xml"/></Relationships>'
        ).encode(),
    }


def sheet(rows: Iterable[bytes], *, before: bytes = b"", after: bytes = b"") -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b">" + before + b"<sheetData>"
    yield from rows
    yield b"</sheetData>" + after + b"</worksheet>"


def strings(items: Iterable[bytes]) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b">"
    yield from items
    yield b"</sst>"


HEADING_ROW = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def build(path: Path, parts: dict[str, Part]) -> Path:
    """A workbook of the skeleton's parts and `parts` (a sheet whose heading is the
    shared string 'Comment' unless replaced)."""
    parts = {SHEET: sheet([HEADING_ROW]), STRINGS: strings([b"<si><t>Comment</t></si>"]), **parts}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**_skeleton(["xl/workbook.xml", *parts]), **parts}.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in content:
                    out.write(chunk)
    return path


def packed_to(target: int, pieces: Iterator[bytes], *, chunk: int = 1 << 20) -> Iterator[bytes]:
    """`pieces`, joined into chunks, until they would pack (deflate, as zipfile does)
    to about `target` bytes."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    packed = 0
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= chunk:
            data = b"".join(buffer)
            buffer, size = [], 0
            packed += len(packer.compress(data))
            yield data
            if packed >= target:
                return
    if buffer:
        yield b"".join(buffer)


def forever(make: Callable[[int], bytes], start: int = 0) -> Iterator[bytes]:
    n = start
    while True:
        yield make(n)
        n += 1


def declare_size(path: Path, member: str, size: int) -> None:
    """Write a false unpacked size for `member` into the zip's central directory."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_size = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_size] == member.encode():
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 1)
    path.write_bytes(bytes(data))


def _bomb(target: int) -> Iterator[bytes]:
    return sheet(packed_to(target, forever(lambda n: b"<row><c><v>1</v></c></row>" * 4096)))


def _billion_laughs() -> bytes:
    entities = b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    return (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">'
        + entities
        + b"]><sst "
        + MAIN
        + b"><si><t>&lol9;</t></si></sst>"
    )


def _ordinary(path: Path, target: int) -> Path:
    """A survey export as openpyxl writes it, about `target` bytes: the control."""
    import openpyxl  # noqa: PLC0415 - after django.setup() for the database the run chose
    from _feedback import comment  # noqa: PLC0415 - after django.setup() for the database the run chose

    rng = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    rows = book.create_sheet()
    rows.append(["Respondent", "Date", "Rating", "Comment", "Postcode"])
    for n in range(target // 60):
        rows.append(
            [f"R{n}", f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2025", rng.randint(1, 5), comment(rng), "DY1 1HF"]
        )
    book.save(path)
    return path


def kinds(folder: Path, target: int, only: Iterable[str] = ()) -> dict[str, Path]:
    """One workbook of each kind, built in `folder`; of the kinds in `only`, if given
    (some take seconds to build whatever the size: a smoke run asks for two)."""
    made: dict[str, Path] = {}
    only = set(only)

    def wanted(name: str) -> bool:
        return not only or name in only

    def add(name: str, parts: dict[str, Part]) -> None:
        # The parts are generators: a kind not wanted is never written out.
        if wanted(name):
            made[name] = build(folder / f"{name.replace(' ', '-')}.xlsx", parts)

    # Nine tenths of the size keeps the bomb under 2 GiB unpacked: its sizes then fit
    # the directory's 32-bit fields (no Zip64), so one can be made to lie.
    add("zip bomb", {SHEET: _bomb(target * 9 // 10)})
    add("size that lies", {SHEET: _bomb(target * 9 // 10)})
    if "size that lies" in made:
        declare_size(made["size that lies"], SHEET, 1 << 20)
    add(
        "shared strings",
        {STRINGS: strings(packed_to(target, forever(lambda n: b"<si><t>Comment %d</t></si>" % n)))},
    )
    add("billion laughs", {STRINGS: _billion_laughs()})
    secret = b'<!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    add("external entity", {STRINGS: secret + b"<sst " + MAIN + b"><si><t>&secret;</t></si></sst>"})
    nest = packed_to(target, forever(lambda n: b"".join(b"<a%d>" % (n * 64 + i) for i in range(64))))
    add("deep nesting", {STYLES: nest})
    many_parts = "50,000 parts" if target // 100 >= 50_000 else f"{target // 100:,} parts"
    if wanted(many_parts):
        made[many_parts] = folder / "many-parts.xlsx"
        with zipfile.ZipFile(made[many_parts], "w") as archive:
            for n in range(target // 100):
                archive.writestr(f"p/{n}", b"")
    formatted = forever(
        lambda n: b'<row r="%d" ht="15" customHeight="1"><c r="A%d"><v>%d</v></c></row>' % (n, n, n), 2
    )
    add(
        "formatted rows",
        {SHEET: sheet(itertools.chain([HEADING_ROW], itertools.islice(formatted, 1_048_575)))},
    )
    wide = packed_to(target, forever(lambda n: b'<c r="B1"><v>%d</v></c>' % n))
    add(
        "one wide row",
        {SHEET: sheet(itertools.chain([b'<row r="1"><c r="A1" t="s"><v>0</v></c>'], wide, [b"</row>"]))},
    )
    between = packed_to(target, forever(lambda n: b'<x a="%d"/>' % n))
    add("between rows", {SHEET: sheet(itertools.chain([HEADING_ROW], between))})
    # The worst a workbook can do and still be read: as much as the budget allows.
    allowed = int(0.97 * guard.MEMORY_BUDGET)
    string = b"<si><t>Comment %07d</t></si>"
    count = allowed // (costs.STRING_COST + 15)
    add("strings, at the budget", {STRINGS: strings(string % n for n in range(count))})
    formatted = forever(
        lambda n: b'<row r="%d" ht="15" customHeight="1"><c r="A%d"><v>%d</v></c></row>' % (n, n, n), 2
    )
    count = allowed // (costs.ROW_COST + costs.ROW_FORMAT_COST)
    add(
        "rows, at the budget",
        {SHEET: sheet(itertools.chain([HEADING_ROW], itertools.islice(formatted, count)))},
    )
    if wanted("ordinary (control)"):
        made["ordinary (control)"] = _ordinary(folder / "ordinary.xlsx", target)
    return made


# --- Reading, in a child ------------------------------------------------------------


def child(mode: str, path: str, limit_mb: int) -> None:
    """Read the workbook as `mode` says; print one JSON line: the outcome."""
    if limit_mb:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()
    import openpyxl  # noqa: PLC0415 - after django.setup() for the database the run chose

    from engage.core.tabular.errors import ImportFileError  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.core.tabular.readers import open_reader  # noqa: PLC0415 - after django.setup() for the database the run chose

    rows = 0
    try:
        if mode == "guarded":
            with open_reader(Path(path), file_name=Path(path).name) as reader:
                rows = sum(1 for _ in reader.rows())
        elif mode == "unguarded":
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
            book.close()
        outcome = f"read {rows:,} rows"
    except ImportFileError as error:
        outcome = "refused: " + error.reason
    except MemoryError:
        outcome = "out of memory at the limit"
    except Exception as error:  # what openpyxl raises is the unguarded outcome
        outcome = f"failed: {type(error).__name__}: {str(error)[:80]}"
    print(json.dumps({"outcome": outcome}))


def run_child(mode: str, path: Path, *, limit_mb: int, timeout: float, env: dict[str, str]) -> dict[str, Any]:
    """Run a child; its outcome, its peak RSS in MB and its seconds."""
    command = [sys.executable, __file__, "--child", mode, str(path), "--limit-mb", str(limit_mb)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    outcome = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            outcome = f"killed after {timeout:.0f} s"
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output, _ = process.communicate()
    lines = output.decode().strip().splitlines()
    if outcome is None:
        if lines:
            outcome = json.loads(lines[-1])["outcome"]
        elif os.WIFSIGNALED(status):
            outcome = f"killed by signal {os.WTERMSIG(status)} at the memory limit"
        else:
            outcome = f"exited {os.WEXITSTATUS(status)} at the memory limit"
    return {"outcome": outcome, "peak_mb": round(usage.ru_maxrss / 1024, 1), "seconds": round(seconds, 2)}


def child_env(var: str) -> dict[str, str]:
    env = os.environ | {"ENGAGE_VAR_DIR": var, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT)
    return env


# --- Measuring openpyxl's costs -----------------------------------------------------


def _rows(make: Callable[[int], bytes], count: int) -> Iterator[bytes]:
    return (make(n) for n in range(1, count + 1))


MEASURES: dict[str, Callable[[int], dict[str, Part]]] = {
    "a shared string, short": lambda n: {STRINGS: strings(_rows(lambda i: b"<si><t>s%d</t></si>" % i, n))},
    "a shared string, 300 characters and an emoji": lambda n: {
        STRINGS: strings(
            _rows(lambda i: b"<si><t>" + b"comment %06d " % i * 20 + "\U0001f600".encode() + b"</t></si>", n)
        )
    },
    "a row": lambda n: {
        SHEET: sheet(_rows(lambda i: b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i), n))
    },
    "a formatted row": lambda n: {
        SHEET: sheet(_rows(lambda i: b'<row r="%d" ht="15" customHeight="1"/>' % i, n))
    },
    "an element between rows": lambda n: {SHEET: sheet(_rows(lambda i: b'<x a="%d"/>' % i, n))},
    "a merged range": lambda n: {
        SHEET: sheet(
            [],
            after=b"<mergeCells>"
            + b"".join(_rows(lambda i: b'<mergeCell ref="A%d:B%d"/>' % (i, i), n))
            + b"</mergeCells>",
        )
    },
    "a cell of the row being read": lambda n: {
        SHEET: sheet([b'<row r="1">', *_rows(lambda i: b'<c r="A1"><v>%d</v></c>' % i, n), b"</row>"])
    },
    "a cell format (<xf> and its <alignment>)": lambda n: {
        STYLES: b"<styleSheet "
        + MAIN
        + b"><cellXfs>"
        + b"".join(
            _rows(
                lambda i: (
                    b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1">'
                    b'<alignment horizontal="left" wrapText="1"/></xf>' % (i % 200)
                ),
                n,
            )
        )
        + b"</cellXfs></styleSheet>"
    },
}


def measure(folder: Path, env: dict[str, str], count: int) -> dict[str, float]:
    """Bytes openpyxl holds for each thing: (peak with `count` of it - peak with none) / count."""
    figures = {}
    empty = run_child("unguarded", build(folder / "empty.xlsx", {}), limit_mb=0, timeout=600, env=env)
    for name, make in MEASURES.items():
        path = build(folder / "measure.xlsx", make(count))
        peak = run_child("unguarded", path, limit_mb=0, timeout=600, env=env)
        figures[name] = round((peak["peak_mb"] - empty["peak_mb"]) * 1024 * 1024 / count)
        print(f"{name:48s} {figures[name]:>6,} bytes")
    return figures


# --- The comparison -----------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=5)
    parser.add_argument("--limit-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--keep", type=Path, help="build the workbooks here, and keep them")
    parser.add_argument("--measure", action="store_true", help="measure openpyxl's costs instead")
    parser.add_argument(
        "--only", action="append", metavar="KIND", help="read only this kind of workbook (repeat for more)"
    )
    parser.add_argument("--count", type=int, default=200_000, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], options.child[1], options.limit_mb)
        return
    with tempfile.TemporaryDirectory(prefix="engage-bench-") as var:
        folder = options.keep or Path(var)
        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(var)
        if options.measure:
            print(json.dumps(measure(folder, env, options.count)))
            return
        started = time.perf_counter()
        workbooks = kinds(folder, int(options.size_mb * 1024 * 1024), options.only or ())
        print(f"Built {len(workbooks)} workbooks in {time.perf_counter() - started:.0f} s.")
        nothing = build(folder / "nothing.xlsx", {})
        base = run_child("baseline", nothing, limit_mb=options.limit_mb, timeout=options.timeout, env=env)
        print(f"Nothing opened: {base['peak_mb']:.0f} MB.\n")
        print(f"{'workbook':22s} {'on disk':>8s} {'guarded':>9s} {'unguarded':>10s} {'ratio':>6s}  outcomes")
        results: dict[str, Any] = {"nothing_opened_mb": base["peak_mb"], "limit_mb": options.limit_mb}
        for name, path in workbooks.items():
            run = {"limit_mb": options.limit_mb, "timeout": options.timeout, "env": env}
            guarded = run_child("guarded", path, **run)
            unguarded = run_child("unguarded", path, **run)
            ratio = unguarded["peak_mb"] / guarded["peak_mb"]
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{name:22s} {size:7.2f}M {guarded['peak_mb']:8.0f}M {unguarded['peak_mb']:9.0f}M {ratio:6.1f}  "
                f"guarded {guarded['outcome'][:70]!r} in {guarded['seconds']:.1f} s; "
                f"unguarded {unguarded['outcome'][:60]!r} in {unguarded['seconds']:.1f} s"
            )
            results[name] = {
                "file_mb": round(size, 2),
                "guarded": guarded,
                "unguarded": unguarded,
                "ratio": round(ratio, 2),
            }
        worst = max(value["guarded"]["peak_mb"] for key, value in results.items() if isinstance(value, dict))
        results["worst_guarded_peak_mb"] = worst
        results["goal_mb"] = GOAL_MB
        print(f"\nWorst guarded peak: {worst:.0f} MB (goal: under {GOAL_MB} MB).")
        print(json.dumps(results))


if __name__ == "__main__":
    main()
