"""Reading and writing tabular files: encodings, delimiters, row numbers, problems, writers."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from storage.files import (
    FileReadError,
    Row,
    RowProblem,
    open_writer,
    protect_formula,
    read_table,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "files"

RU_TEXT = (
    "Название;ИНН;Телефон;Город\n"
    "ООО Ромашка;7707083893;+7 495 123-45-67;Москва\n"
    "ИП Иванов;500100732259;8 (812) 555-12-12;Санкт-Петербург\n"
    "АО Вектор;7812014560;;Казань\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        # The common case: Russian Excel export, header + 3 rows.
        (RU_TEXT, "cp1251", "cp1251"),
        # Uppercase-only and lowercase-only Cyrillic tie between code pages: cp1251 wins.
        ("НАЗВАНИЕ;ИНН\nООО РОМАШКА;7707083893\n", "cp1251", "cp1251"),
        ("название;город\nромашка;москва\n", "cp1251", "cp1251"),
        # The other Cyrillic code pages are still told apart.
        (RU_TEXT, "koi8_r", "koi8-r"),
        (RU_TEXT, "cp866", "cp866"),
        ("НАЗВАНИЕ;ИНН\nООО РОМАШКА;7707083893\n", "koi8_r", "koi8-r"),
        # German/western single-byte text must not be read as Cyrillic ("Mьller").
        ("Firma;Straße;Ort\nMüller GmbH;Hauptstraße 5;München\n", "cp1252", "cp1252"),
        (RU_TEXT, "utf-8", "utf-8"),
        (RU_TEXT, "utf-8-sig", "utf-8-sig"),
        (RU_TEXT, "utf-16", "utf-16-le"),  # Python writes a LE BOM
        ("Name,City\nAcme,Berlin\n", "ascii", "utf-8"),
    ],
)
def test_encoding_detection(tmp_path, text, codec, expected):
    path = write(tmp_path, "in.csv", text.encode(codec))
    table = read_table(path)
    assert table.encoding == expected
    expected_rows = [line.split(";" if ";" in text else ",") for line in text.splitlines()[1:]]
    assert [list(r.values.values()) for r in table.rows] == expected_rows
    assert table.headers == text.splitlines()[0].split(";" if ";" in text else ",")


def test_utf16_big_endian_with_bom(tmp_path):
    path = write(tmp_path, "in.txt", b"\xfe\xff" + "Имя\tГород\nОля\tТверь\n".encode("utf-16-be"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf-16-be", "\t")
    assert table.rows == [Row(2, {"Имя": "Оля", "Город": "Тверь"})]


def test_utf16_without_bom(tmp_path):
    path = write(tmp_path, "in.txt", "Имя\tГород\nОля\tТверь\n".encode("utf-16-le"))
    assert read_table(path).rows == [Row(2, {"Имя": "Оля", "Город": "Тверь"})]


def test_russian_excel_fixture():
    table = read_table(FIXTURES / "ru_excel_cp1251.csv")
    assert (table.format, table.encoding, table.delimiter) == ("csv", "cp1251", ";")
    assert table.headers == ["Наименование", "ИНН", "Телефон", "E-mail", "Город"]
    assert [r.number for r in table.rows] == [2, 3, 4]
    assert table.rows[0].values["Наименование"] == 'ООО "Ромашка"'
    assert table.rows[1].values == {
        "Наименование": "ИП Иванов Пётр, магазин",
        "ИНН": "500100732259",
        "Телефон": "8 812 555-12-12",
        "E-mail": "",
        "Город": "Санкт-Петербург",
    }
    assert table.problems == []


def test_excel_unicode_text_fixture():
    table = read_table(FIXTURES / "excel_unicode_text.txt")
    assert (table.encoding, table.delimiter) == ("utf-16-le", "\t")
    assert table.headers == ["Firma", "Straße", "PLZ", "Ort"]
    assert table.rows[1] == Row(
        3, {"Firma": "Белка ООО", "Straße": "ул. Ленина, 1", "PLZ": "101000", "Ort": "Москва"}
    )


def test_explicit_encoding_overrides_detection(tmp_path):
    path = write(tmp_path, "in.csv", "a;b\nä;ö\n".encode("cp1252"))
    table = read_table(path, encoding="latin-1")
    assert table.encoding == "iso8859-1"
    assert table.rows[0].values == {"a": "ä", "b": "ö"}


@pytest.mark.parametrize(
    ("data", "encoding", "reason"),
    [
        ("Имя\nОля\n".encode("cp1251"), "utf-8", "cannot decode as text: 'utf-8' codec"),
        (b"a\nb\n", "no-such-codec", "unknown encoding 'no-such-codec'"),
    ],
)
def test_explicit_encoding_errors(tmp_path, data, encoding, reason):
    with pytest.raises(FileReadError) as err:
        read_table(write(tmp_path, "in.csv", data), encoding=encoding)
    assert err.value.reason.startswith(reason)


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    ("name", "text", "delimiter", "expected"),
    [
        ("a.csv", "Name,City\nAcme,Berlin\nBeta,Köln\n", ",", ["Acme", "Berlin"]),
        ("a.csv", "Name;City\nAcme;Berlin\nBeta;Köln\n", ";", ["Acme", "Berlin"]),
        ("a.csv", "Name\tCity\nAcme\tBerlin\n", "\t", ["Acme", "Berlin"]),
        ("a.csv", "Name|City\nAcme|Berlin\n", "|", ["Acme", "Berlin"]),
        ("a.tsv", "Name\tCity\nAcme, Inc\tBerlin\n", "\t", ["Acme, Inc", "Berlin"]),
        # ";" separates, commas only occur inside values (even in a header cell).
        (
            "a.csv",
            "Company;Address, city\nAcme;Berlin, Main st 1\nBeta;Köln, Ring 2\n",
            ";",
            ["Acme", "Berlin, Main st 1"],
        ),
        # Quoted values full of semicolons do not fool the comma detection.
        (
            "a.csv",
            'Name,Notes\n"Acme","a;b;c"\n"Beta","d;e"\n',
            ",",
            ["Acme", "a;b;c"],
        ),
        # One column: no delimiter at all.
        ("a.csv", "domain\nexample.com\nexample.org\n", ",", ["example.com"]),
    ],
)
def test_delimiter_detection(tmp_path, name, text, delimiter, expected):
    table = read_table(write(tmp_path, name, text))
    assert table.delimiter == delimiter
    assert list(table.rows[0].values.values()) == expected


@pytest.mark.parametrize("given", ["\t", "tab", "\\t"])
def test_explicit_delimiter(tmp_path, given):
    table = read_table(write(tmp_path, "a.csv", "a\tb,c\n1\t2,3\n"), delimiter=given)
    assert table.delimiter == "\t"
    assert table.rows[0].values == {"a": "1", "b,c": "2,3"}


def test_bad_explicit_delimiter(tmp_path):
    with pytest.raises(ValueError, match="one character"):
        read_table(write(tmp_path, "a.csv", "a\n1\n"), delimiter=";;")


# --------------------------------------------------------------------------- rows


def test_multiline_quoted_fields_keep_row_numbers(tmp_path):
    text = (
        "name;address;phone\n"  # row 1
        'Acme;"Main st 1\nBerlin\n10115";+49 30 1\n'  # rows 2-4
        "Beta;Ring 2;+49 221 2\n"  # row 5
        "\n"  # row 6, blank: skipped
        'Gamma;"Line1\r\nLine2";\n'  # rows 7-8
        "Delta;Weg 4;+49 89 4\n"  # row 9
    )
    table = read_table(write(tmp_path, "a.csv", text))
    assert [(r.number, r.values["name"]) for r in table.rows] == [
        (2, "Acme"),
        (5, "Beta"),
        (7, "Gamma"),
        (9, "Delta"),
    ]
    assert table.rows[0].values["address"] == "Main st 1\nBerlin\n10115"
    assert table.rows[2].values["address"] == "Line1\r\nLine2"


def test_extra_fields_reported_by_number_and_row_left_out(tmp_path):
    header = ";".join(f"c{i}" for i in range(1, 13))
    good = ";".join(["v"] * 12)
    lines = [header, good, good, '"multi\nline";' + good[2:], good, good, ";".join(["x"] * 14)]
    lines.append(good)
    table = read_table(write(tmp_path, "a.csv", "\n".join(lines) + "\n"))
    # header 1, rows 2 and 3, multi-line row 4-5, rows 6 and 7, bad row 8, last row 9
    assert [r.number for r in table.rows] == [2, 3, 4, 6, 7, 9]
    assert table.problems == [RowProblem(8, "14 values but the header has 12 columns")]
    assert str(table.problems[0]) == "row 8: 14 values but the header has 12 columns"


def test_short_rows_padded_and_trailing_empty_fields_accepted(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "a;b;c\n1\n1;2;3;;\n ; ; \n4;5;6\n"))
    assert table.rows == [
        Row(2, {"a": "1", "b": "", "c": ""}),
        Row(3, {"a": "1", "b": "2", "c": "3"}),
        Row(5, {"a": "4", "b": "5", "c": "6"}),  # row 4 is only blanks: skipped
    ]
    assert table.problems == []


def test_values_stripped_and_header_after_blank_lines(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "\n\n Name , City \n  Acme  ,Berlin\n"))
    assert table.headers == ["Name", "City"]
    assert table.rows == [Row(4, {"Name": "Acme", "City": "Berlin"})]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Телефон;Телефон;Email", ["Телефон", "Телефон_2", "Email"]),
        ("Phone;phone;PHONE", ["Phone", "phone_2", "PHONE_3"]),
        ("a;;b;", ["a", "column_2", "b", "column_4"]),
        ("x;x_2;x", ["x", "x_2", "x_3"]),
    ],
)
def test_header_names_made_unique(tmp_path, header, expected):
    table = read_table(write(tmp_path, "a.csv", header + "\n" + "1;" * header.count(";") + "1\n"))
    assert table.headers == expected


def test_unterminated_quote_is_a_file_error(tmp_path):
    text = 'name;city\nAcme;Berlin\n"Beta;Köln\nGamma;Bonn\n'
    with pytest.raises(FileReadError) as err:
        read_table(write(tmp_path, "a.csv", text))
    assert err.value.reason.startswith("row 3: a quoted value")


# --------------------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.pdf", b"%PDF-1.4", "not a CSV/XLSX/JSONL file (.pdf)"),
        ("noext", b"a,b\n", "not a CSV/XLSX/JSONL file (no extension)"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls format is not supported"),
        ("a.csv", b"", "file is empty"),
        ("a.csv", b"  \r\n\n", "file is empty"),
        ("a.csv", b"\xef\xbb\xbf", "file is empty"),
        ("a.jsonl", b"\n\n", "file is empty"),
        ("a.xlsx", b"", "file is empty"),
        ("a.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file, not text (looks like a PDF"),
        ("a.csv", b"PK\x03\x04\x14\x00\x00\x00", "binary file, not text (looks like a ZIP"),
        ("a.csv", b"name,x\nab\x00\x01\x02\x03cd\xff\n", "binary file, not text"),
        ("a.csv", bytes(range(1, 32)) * 20, "binary file, not text (contains control"),
        ("a.csv", b";;;\n;;\n", "no header row"),
        ("a.xlsx", b"name,city\nAcme,Berlin\n", "corrupt XLSX: not a ZIP-based"),
        (
            "a.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "corrupt XLSX: this is an old",
        ),
        ("a.xlsx", b"PK\x03\x04garbage", "corrupt XLSX: "),
    ],
)
def test_unreadable_files_raise_with_reason(tmp_path, name, data, reason):
    path = write(tmp_path, name, data)
    with pytest.raises(FileReadError) as err:
        read_table(path)
    assert err.value.reason.startswith(reason), err.value.reason
    assert err.value.path == str(path)
    assert reason in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(FileReadError, match="file not found"):
        read_table(tmp_path / "nope.csv")


def test_zip_without_workbook_parts_is_corrupt_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    with pytest.raises(FileReadError) as err:
        read_table(path)
    assert err.value.reason.startswith("corrupt XLSX: ")


def test_truncated_xlsx_is_corrupt(tmp_path):
    good = tmp_path / "good.xlsx"
    with open_writer(good, "xlsx", ["a"]) as w:
        for i in range(1000):
            w.write([f"value {i}"])
    bad = write(tmp_path, "bad.xlsx", good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(FileReadError) as err:
        read_table(bad)
    assert err.value.reason.startswith("corrupt XLSX: ")


# --------------------------------------------------------------------------- XLSX


def test_xlsx_round_trip(tmp_path):
    path = tmp_path / "out.xlsx"
    headers = ["company_name", "inn", "phone", "emails", "extra"]
    with open_writer(path, "xlsx", headers) as w:
        w.write(["ООО Ромашка", "7707083893", "+74951234567", ["a@x.ru", "b@x.ru"], {"k": 1}])
        w.write({"company_name": '=HYPERLINK("http://evil")', "inn": 7707083893})
        assert w.count == 2
    table = read_table(path)
    assert (table.format, table.encoding, table.delimiter, table.sheet) == (
        "xlsx",
        None,
        None,
        "Sheet1",
    )
    assert table.headers == headers
    assert table.rows == [
        Row(
            2,
            {
                "company_name": "ООО Ромашка",
                "inn": "7707083893",
                "phone": "+74951234567",
                "emails": "a@x.ru; b@x.ru",
                "extra": '{"k": 1}',
            },
        ),
        Row(
            3,
            {
                "company_name": '\'=HYPERLINK("http://evil")',
                "inn": "7707083893",
                "phone": "",
                "emails": "",
                "extra": "",
            },
        ),
    ]
    ws = load_workbook(path).active
    assert ws["A1"].font.b is True
    assert ws["A3"].data_type == "s"  # text, not a formula
    assert ws.freeze_panes == "A2"


def _workbook(tmp_path: Path, rows: list[list], name: str = "in.xlsx", title: str = "") -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_xlsx_cell_values_converted(tmp_path):
    path = _workbook(
        tmp_path,
        [
            [None, None],  # blank first row: the header is the first non-empty row
            ["ИНН", "Founded", "Updated", "Employees", "Share", "Active", "Note"],
            [
                7707083893.0,
                date(1991, 6, 20),
                datetime(2024, 5, 1, 13, 30),
                250,
                0.1 + 0.2,
                True,
                "  text  ",
            ],
            [None, None, None, None, None, None, None],  # empty row: skipped
            [500100732259, datetime(2024, 1, 31), None, None, 1.5, False, None],
        ],
    )
    table = read_table(path)
    assert table.headers == ["ИНН", "Founded", "Updated", "Employees", "Share", "Active", "Note"]
    assert [r.number for r in table.rows] == [3, 5]
    assert list(table.rows[0].values.values()) == [
        "7707083893",
        "1991-06-20",
        "2024-05-01T13:30:00",
        "250",
        "0.3",
        "TRUE",
        "text",
    ]
    assert list(table.rows[1].values.values()) == [
        "500100732259",
        "2024-01-31",
        "",
        "",
        "1.5",
        "FALSE",
        "",
    ]


def test_xlsx_values_beyond_the_header_get_a_column(tmp_path):
    path = _workbook(tmp_path, [["Name", None, "City"], ["Acme", "x", "Berlin", None, "extra"]])
    table = read_table(path)
    assert table.headers == ["Name", "column_2", "City", "column_4", "column_5"]
    assert table.rows[0].values["column_5"] == "extra"
    assert table.problems == []


def test_xlsx_sheet_selection(tmp_path):
    wb = Workbook()
    wb.active.append(["first"])
    ws = wb.create_sheet("Контакты")
    ws.append(["ФИО", "Телефон"])
    ws.append(["Иванов Иван", "+7 900 000-00-00"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    assert read_table(path).headers == ["first"]
    table = read_table(path, sheet="Контакты")
    assert table.sheet == "Контакты"
    assert table.rows == [Row(2, {"ФИО": "Иванов Иван", "Телефон": "+7 900 000-00-00"})]
    with pytest.raises(FileReadError, match=r"no sheet named 'Лиды' \(sheets: Sheet, Контакты\)"):
        read_table(path, sheet="Лиды")


def test_xlsx_empty_sheet(tmp_path):
    with pytest.raises(FileReadError, match="no header row: sheet 'Sheet' is empty"):
        read_table(_workbook(tmp_path, []))


# --------------------------------------------------------------------------- JSONL


def test_jsonl_bad_lines_reported_and_others_kept(tmp_path):
    lines = [
        '{"name": "Acme", "phones": ["+1 555 0100", "+1 555 0101"], "address": {"city": "NYC"}}',
        "",
        '{"name": "Beta", "inn": 7707083893, "active": true, "score": null}',
        '{"name": "Gamma", broken}',
        "[1, 2]",
        '{"name": "Delta"} trailing',
        "{}",
        '{"name": "Epsilon", "address": {"city": "Berlin", "geo": {"lat": 52.5}}}',
    ]
    table = read_table(write(tmp_path, "a.jsonl", "\ufeff" + "\n".join(lines) + "\n"))
    assert table.format == "jsonl"
    assert table.headers == [
        "name",
        "phones",
        "address.city",
        "inn",
        "active",
        "score",
        "address.geo.lat",
    ]
    assert [(r.number, r.values["name"]) for r in table.rows] == [
        (1, "Acme"),
        (3, "Beta"),
        (8, "Epsilon"),
    ]
    assert table.rows[0].values["phones"] == "+1 555 0100; +1 555 0101"
    assert table.rows[0].values["inn"] == ""
    assert table.rows[1].values["inn"] == "7707083893"
    assert table.rows[1].values["active"] == "true"
    assert table.rows[2].values["address.geo.lat"] == "52.5"
    assert [str(p) for p in table.problems] == [
        "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 19)",
        "line 5: not a JSON object (got an array)",
        "line 6: invalid JSON: Extra data (column 19)",
    ]


# --------------------------------------------------------------------------- writers


@pytest.mark.parametrize(
    ("excel_bom", "start", "line_end"),
    [(False, b"name", b"\n"), (True, b"\xef\xbb\xbfname", b"\r\n")],
)
def test_csv_writer_bom_only_with_excel_bom(tmp_path, excel_bom, start, line_end):
    path = tmp_path / "out.csv"
    with open_writer(path, "csv", ["name", "city"], excel_bom=excel_bom) as w:
        w.write({"name": "ООО Ромашка", "city": "Москва"})
    data = path.read_bytes()
    assert data.startswith(start)
    assert data.count(b"\xef\xbb\xbf") == (1 if excel_bom else 0)
    assert data.endswith("Москва".encode() + line_end)
    assert data.count(line_end) == 2
    back = read_table(path)
    assert back.rows == [Row(2, {"name": "ООО Ромашка", "city": "Москва"})]


def test_csv_writer_serializes_and_quotes(tmp_path):
    path = tmp_path / "out.csv"
    with open_writer(path, "csv", ["a", "b", "c", "d", "e"], delimiter=";") as w:
        w.write(["x;y", ["p1", "p2", None], {"k": "в"}, None, 7707083893.0])
        w.write(['say "hi"', 3, True, "multi\nline", ""])
        assert w.count == 2
    text = path.read_text("utf-8")
    assert text.splitlines()[1] == '"x;y";"p1; p2";"{""k"": ""в""}";;7707083893'
    back = read_table(path)
    assert back.rows[0].values["b"] == "p1; p2"
    assert back.rows[1].values == {
        "a": 'say "hi"',
        "b": "3",
        "c": "true",
        "d": "multi\nline",
        "e": "",
    }


def test_jsonl_writer_keeps_native_values(tmp_path):
    path = tmp_path / "out.jsonl"
    with open_writer(path, "jsonl", ["name", "phones", "meta", "when"]) as w:
        w.write(
            {
                "name": "=Ромашка",
                "phones": ["+7 1", "+7 2"],
                "meta": {"a": 1},
                "when": date(2024, 1, 2),
            }
        )
    line = path.read_text("utf-8")
    assert "Ромашка" in line  # ensure_ascii=False
    assert json.loads(line) == {
        "name": "=Ромашка",
        "phones": ["+7 1", "+7 2"],
        "meta": {"a": 1},
        "when": "2024-01-02",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+9)", "'@SUM(1+9)"),
        ("\t=1", "'\t=1"),
        ("+7 495 123-45-67 доб. 12", "'+7 495 123-45-67 доб. 12"),
        # Legitimate values stay as they are.
        ("+74951234567", "+74951234567"),
        ("+7 (495) 123-45-67", "+7 (495) 123-45-67"),
        ("+49 30 1234-5678", "+49 30 1234-5678"),
        ("-12,5", "-12,5"),
        ("-", "-"),
        ("@durov", "@durov"),
        ("info@example.com", "info@example.com"),
        ("ООО Ромашка", "ООО Ромашка"),
        ("", ""),
    ],
)
def test_formula_injection_rule(value, expected):
    assert protect_formula(value) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_writers_protect_formulas_but_not_phones(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    with open_writer(path, fmt, ["name", "phone", "list"]) as w:
        w.write(["=1+2", "+74951234567", ["=evil()", "+7 495 123-45-67"]])
    row = read_table(path).rows[0].values
    assert row == {"name": "'=1+2", "phone": "+74951234567", "list": "'=evil(); +7 495 123-45-67"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_failed_export_leaves_nothing_behind(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    path.write_text("previous export")
    with pytest.raises(RuntimeError), open_writer(path, fmt, ["a"]) as w:
        w.write(["1"])
        raise RuntimeError("boom")
    assert path.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_writer_rejects_programming_errors(tmp_path):
    with open_writer(tmp_path / "o.csv", "csv", ["a", "b"]) as w:
        with pytest.raises(ValueError, match="not headers"):
            w.write({"a": 1, "zzz": 2})
        with pytest.raises(ValueError, match="3 values for 2 headers"):
            w.write([1, 2, 3])
        w.write([1])
    assert (tmp_path / "o.csv").read_text() == "a,b\n1,\n"
    with pytest.raises(ValueError, match="unknown output format 'pdf'"):
        open_writer(tmp_path / "o.pdf", "pdf", ["a"])


def test_xlsx_writer_drops_control_characters_instead_of_failing(tmp_path):
    path = tmp_path / "o.xlsx"
    with open_writer(path, "xlsx", ["a"]) as w:
        w.write(["bad\x01value\x0b"])
    assert read_table(path).rows[0].values == {"a": "badvalue"}


def test_xlsx_writer_cell_types(tmp_path):
    path = tmp_path / "o.xlsx"
    with open_writer(path, "xlsx", ["int", "big", "float", "bool", "when", "text"]) as w:
        w.write([250, 12345678901234567890, 1.25, True, datetime(2024, 1, 2, 3, 4), "a & <b>\r\nc"])
    ws = load_workbook(path).active
    assert [(c.value, c.data_type) for c in ws[2]] == [
        (250, "n"),
        ("12345678901234567890", "s"),  # more than Excel's 15 digits: kept as text
        (1.25, "n"),
        (True, "b"),
        ("2024-01-02T03:04:00", "s"),
        ("a & <b>\nc", "s"),
    ]
