import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ankommen.core.exports import Table, csv_response, neutralise_formula, sheet_name, xlsx_response

FORMULAS = ["=1+1", "+49 221 1234", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1", '=HYPERLINK("http://x")']


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_neutralises_every_formula_start(text):
    response = csv_response(Table("T", ["Wert"], [[text]]), filename="t")

    (cell,) = _csv_rows(response)[1]
    assert cell == "'" + text


@pytest.mark.parametrize("text", ["-5", "-3,5", "-3.5", "+7"])
def test_csv_keeps_texts_that_are_plain_numbers(text):
    assert neutralise_formula(text) == text


def test_csv_keeps_numbers_as_numbers_with_a_decimal_comma():
    table = Table("T", ["a", "b", "c", "d", "e"], [[-5, 3.5, Decimal("-2.25"), None, 1e-7]])

    assert _csv_rows(csv_response(table, filename="t"))[1] == ["-5", "3,5", "-2,25", "", "0,0000001"]


def test_csv_round_trips_unicode_and_separators():
    names = ["Köln", "Düsseldorf; Süd", 'Zitat "x"', "العربية", "Українська", "Zeile\numbruch"]
    table = Table("Zentren", ["Name", "Zahl"], [[name, index] for index, name in enumerate(names)])

    rows = _csv_rows(csv_response(table, filename="zentren"))

    assert rows[0] == ["Name", "Zahl"]
    assert [row[0] for row in rows[1:]] == names
    assert [row[1] for row in rows[1:]] == [str(index) for index in range(len(names))]


def test_csv_dates_are_iso():
    table = Table("T", ["Tag"], [[datetime.date(2026, 3, 1)]])

    assert _csv_rows(csv_response(table, filename="t"))[1] == ["2026-03-01"]


def test_download_headers():
    response = csv_response(Table("T", ["a"], []), filename="kennzahlen-köln 2025/26.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kennzahlen-koeln-2025-26.csv"'
    assert "no-store" in response["Cache-Control"].split(", ")


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_stores_formula_like_texts_as_texts(text):
    response = xlsx_response([Table("T", ["Wert"], [[text]])], filename="t")

    cell = _workbook(response).active["A2"]
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed; it stays a text either way.
    assert cell.value == text.replace("\r", "\n")


def test_xlsx_round_trips_numbers_unicode_and_bold_headers():
    table = Table("Kennzahlen", ["Zentrum", "Kinder", "Quote"], [["Köln", 12, 0.25], ["Düsseldorf", -3, None]])

    response = xlsx_response([table], filename="kennzahlen")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="kennzahlen.xlsx"'
    assert "no-store" in response["Cache-Control"].split(", ")
    sheet = _workbook(response)["Kennzahlen"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Zentrum", "Kinder", "Quote"),
        ("Köln", 12, 0.25),
        ("Düsseldorf", -3, None),
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["B2"].data_type == "n"


def test_xlsx_one_sheet_per_table_with_valid_unique_names():
    tables = [Table("Kinder: 2025/26 [Köln]", ["a"], [[1]]), Table("Kinder: 2025/26 [Köln]", ["a"], [[2]])]
    tables.append(Table("x" * 40, ["a"], [[3]]))

    workbook = _workbook(xlsx_response(tables, filename="t"))

    assert workbook.sheetnames == ["Kinder 2025 26 Köln", "Kinder 2025 26 Köln (2)", "x" * 31]
    assert [sheet["A2"].value for sheet in workbook.worksheets] == [1, 2, 3]


def test_sheet_name_is_never_empty_or_reserved():
    used: set[str] = set()

    assert sheet_name("[]", used=used) == "Tabelle"
    assert sheet_name("History", used=used) == "History 1"


def test_xlsx_drops_control_characters_it_cannot_hold():
    response = xlsx_response([Table("T", ["a"], [["a\x00b\x07c"]])], filename="t")

    assert _workbook(response).active["A2"].value == "abc"
