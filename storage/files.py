"""Read and write the tabular files users bring to ``leadgen import`` and take from ``export``.

Reading (``read_table``) is all-or-nothing: the whole file is decoded, parsed and checked
before a ``Table`` is returned, so a file that cannot be read raises ``FileReadError`` and
the importer writes nothing. Problems confined to one row (too many values, a bad JSON line)
do not stop the read: the row is left out of ``Table.rows`` and reported in
``Table.problems`` with the row number the user sees in a spreadsheet or editor.

Row numbers: for CSV the physical line on which the record starts (the header is row 1;
multi-line quoted values advance the count); for XLSX the sheet row number; for JSONL the
1-based line number.

Encoding detection for CSV (``_decode``), in order:

1. a byte-order mark: UTF-8, UTF-16 LE/BE (Excel "Unicode text"), UTF-32;
2. UTF-16 without a BOM, recognised by NUL bytes in every other position;
3. strict UTF-8 (plain ASCII is reported as utf-8);
4. if the bytes look like Russian text in a single-byte Cyrillic code page, the code page
   whose decoding reads most like Russian (``_best_cyrillic``), preferring cp1251 when it is
   as good as the best: cp1251 is what Russian Excel writes for "CSV (разделители - запятые)"
   and it decodes lowercase letters exactly like mac-cyrillic and uppercase-only text as
   plausibly as koi8-r, so on short files those code pages tie and cp1251 is the likely one;
5. otherwise charset-normalizer restricted to the code pages of our market (``_CANDIDATES``).

Writing (``open_writer``) goes to a temporary file next to the target that replaces it only
when the writer closes without an error, so a failed export never leaves half a file. XLSX is
written by a small streaming writer of our own (``_XlsxWriter``), not openpyxl, for speed;
reading XLSX uses openpyxl.

Formula-injection rule for CSV and XLSX cells (OWASP "CSV Injection"): a text value starting
with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` so spreadsheet
programs show it as text instead of evaluating it, except

* ``+`` or ``-`` followed only by digits, spaces and ``( ) . , / + -``: phone numbers such as
  ``+7 (495) 123-45-67`` and signed numbers; without letters, ``|`` or quotes no function,
  cell reference or DDE call can be formed, so nothing can execute;
* ``@`` followed only by letters, digits, ``_`` and ``.``: social handles such as ``@durov``,
  for the same reason.

``=`` is always protected. JSONL values are written as they are.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = [
    "FileReadError",
    "Row",
    "RowProblem",
    "Table",
    "TableWriter",
    "open_writer",
    "protect_formula",
    "read_table",
]

CSV_EXTENSIONS = (".csv", ".tsv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
WRITE_FORMATS = ("csv", "xlsx", "jsonl")

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}

# Single-byte code pages tried when a file is neither UTF-8 nor UTF-16 (Python codec names).
_CYRILLIC = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_CANDIDATES = _CYRILLIC + _WESTERN

_SAMPLE_BYTES = 256 * 1024
_EOF_SENTINEL = "\x00leadgen-end-of-file\x00"  # NUL never survives _decode, so it cannot clash

# Magic numbers of binary files people rename to .csv (or export by mistake).
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, e.g. an .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old .xls workbook or an encrypted Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)


class FileReadError(Exception):
    """The file as a whole cannot be read; nothing from it should be imported."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row left out of ``Table.rows``; ``str()`` gives "row 7: ..." or "line 5: ..."."""

    number: int
    reason: str
    unit: str = "row"

    def __str__(self) -> str:
        return f"{self.unit} {self.number}: {self.reason}"


@dataclass
class Table:
    path: str
    format: str  # "csv", "xlsx", "jsonl"
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    rows: list[Row]
    problems: list[RowProblem]
    sheet: str | None = None


# --------------------------------------------------------------------------- reading


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a whole CSV/TSV, XLSX or JSONL file; raise ``FileReadError`` if it is unreadable.

    ``encoding`` and ``delimiter`` override detection for CSV (``delimiter`` also accepts
    "tab", "\\t", "comma", "semicolon", "pipe"); ``sheet`` picks an XLSX sheet by name.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".xls":
        raise FileReadError(p, "old Excel .xls format is not supported: save it as .xlsx or CSV")
    if ext not in CSV_EXTENSIONS + XLSX_EXTENSIONS + JSONL_EXTENSIONS:
        shown = ext or "no extension"
        raise FileReadError(p, f"not a CSV/XLSX/JSONL file ({shown})")
    if delimiter is not None:
        delimiter = _check_delimiter(delimiter)
    if ext in XLSX_EXTENSIONS:
        _check_readable(p)
        return _read_xlsx(p, sheet)
    data = _read_bytes(p)
    if ext in JSONL_EXTENSIONS:
        text, used = _decode(p, data, encoding)
        return _read_jsonl(p, text, used)
    text, used = _decode(p, data, encoding)
    if delimiter is None and ext == ".tsv":
        delimiter = "\t"
    return _read_csv(p, text, used, delimiter)


def _check_delimiter(delimiter: str) -> str:
    delimiter = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(
            f"delimiter must be one character (or tab/comma/semicolon/pipe), got {delimiter!r}"
        )
    return delimiter


def _check_readable(p: Path) -> None:
    if not p.exists():
        raise FileReadError(p, "file not found")
    if p.is_dir():
        raise FileReadError(p, "is a directory, not a file")
    if p.stat().st_size == 0:
        raise FileReadError(p, "file is empty")


def _read_bytes(p: Path) -> bytes:
    _check_readable(p)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise FileReadError(p, f"cannot open: {exc.strerror or exc}") from exc


# ----- decoding


def _decode(p: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """Return (text, encoding used) or raise FileReadError."""
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError as exc:
            raise FileReadError(p, f"unknown encoding {encoding!r}") from exc
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise FileReadError(p, f"cannot decode as text: {exc}") from exc
        return _check_text(p, text), codec

    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data if codec == "utf-8-sig" else data[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                raise FileReadError(p, f"cannot decode as text: {exc}") from exc
            return _check_text(p, text), codec

    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise FileReadError(p, f"binary file, not text (looks like {what})")

    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise FileReadError(p, "binary file, not text (contains NUL bytes)")
        try:
            return _check_text(p, data.decode(codec)), codec
        except UnicodeDecodeError as exc:
            raise FileReadError(p, f"cannot decode as text: {exc}") from exc

    try:
        return _check_text(p, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass

    for codec in _guess_single_byte(data):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return _check_text(p, text), codecs.lookup(codec).name
    raise FileReadError(
        p,
        "cannot decode as text: not UTF-8, UTF-16 or any of "
        + ", ".join(_CANDIDATES)
        + " (pass the encoding explicitly if you know it)",
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes and a decoding made of Latin/Cyrillic text."""
    head = data[:4096]
    head = head[: len(head) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        # ASCII, Latin-1, Latin Extended, Greek, Cyrillic; general punctuation (dashes, quotes)
        usual = sum(1 for ch in text if ord(ch) < 0x0530 or 0x2000 <= ord(ch) < 0x2070)
        if text and usual >= 0.95 * len(text) and "\x00" not in text:
            return codec
    return None


_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def _check_text(p: Path, text: str) -> str:
    if not text.strip():
        raise FileReadError(p, "file is empty")
    sample = text[:65536]
    controls = sum(
        1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    if controls > max(2, len(sample) // 100) or "\x00" in sample:
        raise FileReadError(p, "binary file, not text (contains control characters)")
    return text


def _guess_single_byte(data: bytes) -> list[str]:
    """Code pages to try, best first."""
    sample = data[:_SAMPLE_BYTES]
    cyrillic = _best_cyrillic(sample)
    if cyrillic is not None:
        return [cyrillic]
    from charset_normalizer import from_bytes

    matches = from_bytes(sample, cp_isolation=list(_CANDIDATES))
    return [m.encoding for m in matches]


# Letter frequencies of Russian text, per cent, from the Russian National Corpus as quoted in
# https://ru.wikipedia.org/wiki/Частотность (row "НКРЯ"). Used to tell which Cyrillic code
# page turns the bytes into the most Russian-looking letters.
_RU_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04,
}  # fmt: skip
_RU_LOGP = {ch: math.log(f / 100) for ch, f in _RU_FREQ.items()}
_BAD_LOGP = math.log(1e-5)  # a non-ASCII character that is not a plausible Russian letter
_TEXT_SYMBOLS = frozenset("«»№—–…‘’“”„•°±·\u00a0")
_WORD_RE = re.compile(r"[^\W\d_]+")
_CP1251_MARGIN = 0.25  # nats per character: "as good as the best"


def _best_cyrillic(sample: bytes) -> str | None:
    """The Cyrillic code page whose decoding reads most like Russian, or None if none does."""
    scores: dict[str, float] = {}
    for codec in _CYRILLIC:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _russian_score(text)
        if score is not None:
            scores[codec] = score
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    if "cp1251" in scores and scores["cp1251"] >= scores[best] - _CP1251_MARGIN:
        return "cp1251"
    return best


def _russian_score(text: str) -> float | None:
    """Mean log-probability per non-ASCII character, or None if the text is not Russian-like.

    A word must be all Russian letters and cased like a word (lower, UPPER or Title) to score
    as Russian; "Mьller" (German cp1252 read as cp1251) or "мАЗВАНИЕ" (cp1251 read as koi8-r)
    do not.
    """
    total = 0
    russian = 0
    logp = 0.0
    for word in _WORD_RE.findall(text):
        if word.isascii():
            continue
        non_ascii = sum(1 for ch in word if not ch.isascii())
        total += non_ascii
        lower = word.lower()
        if all(ch in _RU_LOGP for ch in lower) and (
            word.islower() or word.isupper() or word.istitle()
        ):
            russian += non_ascii
            logp += sum(_RU_LOGP[ch] for ch in lower)
        else:
            logp += _BAD_LOGP * non_ascii
    for ch in text:
        if not ch.isascii() and not ch.isalpha():
            total += 1
            if ch not in _TEXT_SYMBOLS:
                logp += _BAD_LOGP
    if total == 0 or russian < 0.7 * total:
        return None
    return logp / total


# ----- CSV


def _read_csv(p: Path, text: str, encoding: str, delimiter: str | None) -> Table:
    if delimiter is None:
        delimiter = _detect_delimiter(text)
    if not text.endswith(("\n", "\r")):
        text += "\n"
    reader = csv.reader(io.StringIO(text + _EOF_SENTINEL, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    width = 0
    rows: list[Row] = []
    problems: list[RowProblem] = []
    start = 0
    line = 0
    ended = False
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if record == [_EOF_SENTINEL]:
                ended = True
                break
            values = [v.strip() for v in record]
            if not any(values):
                continue
            if headers is None:
                headers = _unique_headers(values)
                width = len(headers)
                continue
            n = len(values)
            if n == width:
                rows.append(Row(start, dict(zip(headers, values, strict=True))))
            elif n < width:
                values.extend([""] * (width - n))
                rows.append(Row(start, dict(zip(headers, values, strict=True))))
            elif not any(values[width:]):  # trailing empty fields ("a;b;c;;")
                rows.append(Row(start, dict(zip(headers, values[:width], strict=True))))
            else:
                problems.append(RowProblem(start, f"{n} values but the header has {width} columns"))
    except csv.Error as exc:
        raise FileReadError(p, f"row {line + 1}: malformed CSV: {exc}") from exc
    if not ended:
        raise FileReadError(
            p, f'row {start}: a quoted value (opened with ") is never closed before the end'
        )
    if headers is None:
        raise FileReadError(p, "no header row")
    return Table(str(p), "csv", encoding, delimiter, headers, rows, problems)


def _detect_delimiter(text: str) -> str:
    """Pick among , ; tab | the delimiter that splits the first lines most consistently.

    Ties go to the delimiter not used as prose punctuation, then to csv.Sniffer's choice,
    then to the one giving more columns.
    """
    lines = text[:65536].splitlines()[:40]
    header = next((ln for ln in lines if ln.strip()), "")
    candidates = [d for d in DELIMITERS if d in header]
    if not candidates:
        return ","
    if len(candidates) == 1:
        return candidates[0]
    sample = "\n".join(lines)
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters="".join(candidates)).delimiter
    except csv.Error:
        sniffed = None
    scores: dict[str, tuple[float, bool, bool, int]] = {}
    for d in candidates:
        records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=d) if r]
        if len(lines) == 40 and len(records) > 2:
            records.pop()  # the sample may end inside a record
        width = len(records[0])
        body = records[1:]
        consistent = sum(len(r) == width for r in body) / len(body) if body else 1.0
        # "Berlin, Main st 1": a delimiter mostly followed by a space is punctuation in text.
        prose = sample.count(d + " ") > 0.5 * sample.count(d)
        scores[d] = (consistent if width > 1 else -1.0, not prose, d == sniffed, width)
    return max(candidates, key=scores.__getitem__)


def _unique_headers(values: Sequence[str]) -> list[str]:
    """Blank headers become column_N; repeated ones get _2, _3, ... suffixes."""
    names = [v.lstrip("\ufeff").strip() or f"column_{i}" for i, v in enumerate(values, 1)]
    taken = {n.casefold() for n in names}
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key in seen:
            k = 2
            while f"{key}_{k}" in taken:
                k += 1
            name = f"{name}_{k}"
            key = name.casefold()
            taken.add(key)
        seen.add(key)
        out.append(name)
    return out


# ----- XLSX


def _read_xlsx(p: Path, sheet: str | None) -> Table:
    with p.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileReadError(
            p,
            "corrupt XLSX: this is an old .xls workbook or a password-protected file; "
            "save it as .xlsx without a password",
        )
    if not head.startswith(b"PK"):
        raise FileReadError(p, "corrupt XLSX: not a ZIP-based Excel workbook")

    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileReadError(p, f"corrupt XLSX: {exc}") from exc
    except Exception as exc:  # openpyxl raises many types for broken parts
        raise FileReadError(p, f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    try:
        if sheet is None:
            ws = wb.worksheets[0] if wb.worksheets else None
            if ws is None:
                raise FileReadError(p, "the workbook has no worksheets")
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise FileReadError(p, f"no sheet named {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
        raw: list[tuple[int, list[str]]] = []
        ws.reset_dimensions()  # a wrong <dimension> would otherwise cut columns or rows
        try:
            for number, cells in enumerate(ws.iter_rows(values_only=True), 1):
                values = [_cell_text(v) for v in cells]
                while values and not values[-1]:
                    values.pop()
                if values:
                    raw.append((number, values))
        except Exception as exc:  # broken sheet XML, bad shared-string index, ...
            raise FileReadError(p, f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
        title = ws.title
    finally:
        wb.close()

    if not raw:
        raise FileReadError(p, f"no header row: sheet {title!r} is empty")
    width = max(len(values) for _, values in raw)
    header_values = raw[0][1] + [""] * (width - len(raw[0][1]))
    headers = _unique_headers(header_values)
    rows = [
        Row(number, dict(zip(headers, values + [""] * (width - len(values)), strict=True)))
        for number, values in raw[1:]
    ]
    return Table(str(p), "xlsx", None, None, headers, rows, [], sheet=title)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _float_text(float(value)) if value == value.to_integral_value() else str(value)
    return str(value).strip()


def _float_text(value: float) -> str:
    """7707083893.0 -> "7707083893"; 0.1 + 0.2 -> "0.3" (Excel shows 15 significant digits)."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:.15g}"


# ----- JSONL


def _read_jsonl(p: Path, text: str, encoding: str) -> Table:
    headers: dict[str, None] = {}
    parsed: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(
                RowProblem(number, f"invalid JSON: {exc.msg} (column {exc.colno})", "line")
            )
            continue
        if not isinstance(obj, dict):
            problems.append(
                RowProblem(number, f"not a JSON object (got {_json_kind(obj)})", "line")
            )
            continue
        values: dict[str, str] = {}
        _flatten(obj, "", values)
        if not any(values.values()):
            continue
        for key in values:
            headers.setdefault(key, None)
        parsed.append((number, values))
    names = list(headers)
    rows = [Row(n, {h: v.get(h, "") for h in names}) for n, v in parsed]
    return Table(str(p), "jsonl", encoding, None, names, rows, problems)


def _json_kind(obj: Any) -> str:
    if isinstance(obj, list):
        return "an array"
    if isinstance(obj, str):
        return "a string"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "a boolean"
    return "a number"


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in obj.items():
        name = f"{prefix}{str(key).strip()}"
        if isinstance(value, dict) and value:
            _flatten(value, name + ".", out)
        else:
            out[name] = _json_text(value)


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, list):
        return "; ".join(t for t in (_json_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


# --------------------------------------------------------------------------- writing

_FORMULA_CHARS = frozenset("=+-@\t\r")
_SAFE_SIGNED = re.compile(r"[+-][\d\s().,;/+\-]*\Z")
_SAFE_HANDLE = re.compile(r"@[\w.]+\Z")


def protect_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (rule in the module doc)."""
    if not text or text[0] not in _FORMULA_CHARS:
        return text
    if text[0] in "+-" and _SAFE_SIGNED.match(text):
        return text
    if text[0] == "@" and _SAFE_HANDLE.match(text):
        return text
    return "'" + text


def _serialize(value: Any) -> Any:
    """Lists/tuples/sets -> "; "-joined text, dicts -> JSON text; scalars unchanged."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(t for t in (_plain_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return value


def _plain_text(value: Any) -> str:
    value = _serialize(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _csv_text(value: Any) -> str:
    """A cell that is not str, int or None as CSV text (``_plain_text``, protected)."""
    if type(value) is list:
        if not value:
            return ""
        if all(type(v) is str for v in value):
            return protect_formula("; ".join([v for v in value if v]))
    return protect_formula(_plain_text(value))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class TableWriter(ABC):
    """Write rows to a CSV, XLSX or JSONL file; use as a context manager.

    ``write`` takes a dict keyed by header (missing keys are written empty; unknown keys are
    a programming error and raise ``ValueError``) or a list in header order.
    """

    format = ""

    def __init__(self, path: str | os.PathLike[str], headers: Sequence[str]) -> None:
        self.path = Path(path)
        self.headers = list(headers)
        self.count = 0
        self._index = {h: i for i, h in enumerate(self.headers)}
        self._width = len(self.headers)
        if len(self._index) != len(self.headers):
            raise ValueError("duplicate header names")
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent or ".", prefix=f".{self.path.name}.", suffix=".tmp"
        )
        os.close(fd)
        self._tmp = Path(tmp)
        self._closed = False

    def write(self, row: dict[str, Any] | Sequence[Any]) -> None:
        if type(row) is list and len(row) == self._width:  # fast path: a full row in order
            self._write(row)
        else:
            self._write(self._ordered(row))
        self.count += 1

    def write_many(self, rows: Iterable[dict[str, Any] | Sequence[Any]]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self._closed:
            return
        self._closed = True
        try:
            self._finish()
            os.replace(self._tmp, self.path)
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def abort(self) -> None:
        """Drop the partial file; the target path is left as it was."""
        if self._closed:
            return
        self._closed = True
        try:
            self._discard()
        finally:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _ordered(self, row: dict[str, Any] | Sequence[Any]) -> list[Any]:
        if isinstance(row, dict):
            unknown = [k for k in row if k not in self._index]
            if unknown:
                raise ValueError(f"row has keys that are not headers: {unknown}")
            return [row.get(h) for h in self.headers]
        values = list(row)
        if len(values) > len(self.headers):
            raise ValueError(f"row has {len(values)} values for {len(self.headers)} headers")
        return values + [None] * (len(self.headers) - len(values))

    @abstractmethod
    def _write(self, values: list[Any]) -> None:
        """Format-specific part."""

    @abstractmethod
    def _finish(self) -> None:
        """Format-specific part."""

    @abstractmethod
    def _discard(self) -> None:
        """Format-specific part."""


class _CsvWriter(TableWriter):
    format = "csv"

    def __init__(
        self,
        path: str | os.PathLike[str],
        headers: Sequence[str],
        *,
        excel_bom: bool,
        delimiter: str,
    ) -> None:
        super().__init__(path, headers)
        self._fh = open(  # closed in _finish/_discard
            self._tmp, "w", encoding="utf-8-sig" if excel_bom else "utf-8", newline=""
        )
        self._csv = csv.writer(
            self._fh,
            delimiter=delimiter,
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\r\n" if excel_bom else "\n",
        )
        self._csv.writerow([protect_formula(h) for h in self.headers])

    def _write(self, values: list[Any]) -> None:
        # csv writes None as "" and an int as str(int) (never formula-like); text is checked
        # for a formula's first character before calling protect_formula.
        fc = _FORMULA_CHARS
        self._csv.writerow(
            [
                (protect_formula(v) if v[:1] in fc else v)
                if (kind := type(v)) is str
                else (v if kind is int or v is None else _csv_text(v))
                for v in values
            ]
        )

    def _finish(self) -> None:
        self._fh.close()

    def _discard(self) -> None:
        self._fh.close()


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# The smallest package Excel opens without "repair": the same parts XlsxWriter writes.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN_NS}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_SHEET_HEAD = (
    f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"
# Characters XML 1.0 cannot carry (and lone surrogates, which cannot be encoded).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")  # Excel reads "_x0041_" as "A"
_EXCEL_MAX_TEXT = 32767


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _XlsxWriter(TableWriter):
    """Streams the sheet XML straight into the ZIP package.

    openpyxl's write-only workbook needs ~16 µs per cell (20 s for 100k rows x 12 columns);
    writing the few fixed parts ourselves and formatting cells as strings is ~15x faster.
    Text goes in as inline strings, numbers and booleans as numbers and booleans, dates as
    ISO text; the header row is bold and frozen. The result reads back with openpyxl.
    """

    format = "xlsx"

    def __init__(self, path: str | os.PathLike[str], headers: Sequence[str]) -> None:
        super().__init__(path, headers)
        self._zip = zipfile.ZipFile(self._tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        for name, xml in _XLSX_PARTS.items():
            self._zip.writestr(name, _XML_HEAD + xml)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._letters = [_column_letters(i) for i in range(len(self.headers))]
        self._buffer: list[str] = [_XML_HEAD, _SHEET_HEAD]
        self._row = 1
        cells = "".join(
            f'<c r="{col}1" s="1" t="inlineStr"><is><t xml:space="preserve">'
            f"{_xml_text(protect_formula(_xml_clean(h)))}</t></is></c>"
            for col, h in zip(self._letters, self.headers, strict=True)
        )
        self._buffer.append(f'<row r="1">{cells}</row>')

    def _write(self, values: list[Any]) -> None:
        self._row += 1
        r = self._row
        parts = [f'<row r="{r}">']
        for col, value in zip(self._letters, values, strict=True):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is int and abs(value) < 10**15:  # Excel keeps 15 significant digits
                parts.append(f'<c r="{col}{r}"><v>{value}</v></c>')
            elif kind is float and math.isfinite(value):
                parts.append(f'<c r="{col}{r}"><v>{value!r}</v></c>')
            elif kind is bool:
                parts.append(f'<c r="{col}{r}" t="b"><v>{int(value)}</v></c>')
            else:
                text = value if kind is str else _plain_text(value)
                if not text:
                    continue
                text = _xml_text(protect_formula(_xml_clean(text)))
                parts.append(
                    f'<c r="{col}{r}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 2000:
            self._flush()

    def _flush(self) -> None:
        self._sheet.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def _finish(self) -> None:
        self._buffer.append(_SHEET_TAIL)
        self._flush()
        self._sheet.close()
        self._zip.close()

    def _discard(self) -> None:
        try:
            self._sheet.close()
        finally:
            self._zip.close()


def _xml_clean(text: str) -> str:
    """Text as Excel can store it: no XML-illegal characters, LF line ends, <= 32767 chars."""
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    return text[:_EXCEL_MAX_TEXT]


def _xml_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _JsonlWriter(TableWriter):
    format = "jsonl"

    def __init__(self, path: str | os.PathLike[str], headers: Sequence[str]) -> None:
        super().__init__(path, headers)
        self._fh = open(self._tmp, "w", encoding="utf-8", newline="\n")
        # json.dumps with options builds an encoder per call; one encoder writes the same text.
        self._encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode

    def _write(self, values: list[Any]) -> None:
        self._fh.write(self._encode(dict(zip(self.headers, values, strict=True))) + "\n")

    def _finish(self) -> None:
        self._fh.close()

    def _discard(self) -> None:
        self._fh.close()


def open_writer(
    path: str | os.PathLike[str],
    format: str,
    headers: list[str],
    *,
    excel_bom: bool = False,
    delimiter: str = ",",
) -> TableWriter:
    """Open a writer for ``format`` "csv", "xlsx" or "jsonl".

    CSV is UTF-8; ``excel_bom`` adds a BOM and CRLF line ends so Excel opens Cyrillic text
    correctly. The file appears at ``path`` only when the writer is closed without an error.
    """
    fmt = format.lower().lstrip(".")
    if fmt == "csv":
        return _CsvWriter(path, headers, excel_bom=excel_bom, delimiter=_check_delimiter(delimiter))
    if fmt == "xlsx":
        return _XlsxWriter(path, headers)
    if fmt == "jsonl":
        return _JsonlWriter(path, headers)
    raise ValueError(f"unknown output format {format!r}: use one of {', '.join(WRITE_FORMATS)}")
