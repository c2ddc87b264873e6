"""Reading and writing receivables list files: .xls, .xlsx and .csv.

Rows are streamed: ``read_rows`` yields one row at a time (CSV through the
csv module, .xlsx through openpyxl in read-only mode; .xls workbooks are
small by nature, at most 65,536 rows). The format is recognised from the
file's content, not only its name, and CSV files are decoded as UTF-8 (with
or without BOM), UTF-16 with BOM or Windows-1252, separated by commas,
semicolons or tabs.

Pure functions: binary streams in, Python values out. Problems are raised as
``Problem`` with a message for the user.
"""

import codecs
import csv
import io
import zipfile
from collections import namedtuple
from datetime import date, datetime, time

import openpyxl
import xlrd
import xlsxwriter
import xlwt

from odoo.tools import LazyTranslate

from .receivables_problem import Problem

_lt = LazyTranslate(__name__)

EMPTY_FILE = _lt("The file is empty.")
UNSUPPORTED = _lt(
    "The file '%(name)s' is not a supported list: upload an Excel workbook "
    "(.xls or .xlsx) or a CSV file (.csv)."
)
NOT_TEXT = _lt(
    "The file '%(name)s' is named .csv but is not a CSV text file (it looks "
    "like %(kind)s)."
)
WRONG_CONTENT = _lt(
    "The file '%(name)s' is named %(extension)s but its content is %(kind)s: "
    "save it again as .xls, .xlsx or .csv."
)
CORRUPT = _lt("The file '%(name)s' cannot be read as %(kind)s: %(error)s")
ENCODING = _lt(
    "The file '%(name)s' is not readable text: it is neither UTF-8 nor "
    "Windows-1252 (byte %(position)s). Save it as 'CSV UTF-8'."
)
NO_SHEET = _lt("The workbook '%(name)s' has no worksheet.")

FORMAT_LABELS = {
    "xls": _lt("an Excel 97-2003 workbook (.xls)"),
    "xlsx": _lt("an Excel workbook (.xlsx)"),
    "csv": _lt("a CSV text file"),
    "zip": _lt("a ZIP archive or another Office document"),
    "ole": _lt("another Office document"),
    "pdf": _lt("a PDF document"),
    "html": _lt("a web page (HTML)"),
    "binary": _lt("a binary file"),
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 16

# how a CSV file is written: encoding and separator
CsvDialect = namedtuple("CsvDialect", "encoding delimiter")


class ListReader:
    """A receivables list opened for reading.

    ``file_format`` is 'xls', 'xlsx' or 'csv'; ``dialect`` the CSV encoding
    and separator; ``size_hint`` the number of rows when the file says so
    cheaply (None otherwise); ``rows()`` yields ``(row_number, cells)`` for
    every non-empty row, row numbers as a spreadsheet shows them.
    """

    def __init__(self, stream, filename):
        self.stream = stream
        self.filename = filename or ""
        self.dialect = None
        self.size_hint = None
        self._book = None
        self.file_format = detect_format(stream, self.filename)
        if self.file_format == "csv":
            self.dialect = sniff_csv(stream, self.filename)
            self.size_hint = _count_lines(stream)
        elif self.file_format == "xlsx":
            self._open_xlsx()
        else:
            self._open_xls()

    def _open_xlsx(self):
        try:
            self._book = openpyxl.load_workbook(
                self.stream, read_only=True, data_only=True
            )
        except Exception as error:  # noqa: BLE001 -- openpyxl raises many kinds
            raise _corrupt(self.filename, "xlsx", error) from None
        if not self._book.worksheets:
            raise Problem(NO_SHEET, name=self.filename)
        self._sheet = self._book.worksheets[0]
        if self._sheet.max_row and self._sheet.max_row > 1:
            self.size_hint = self._sheet.max_row
        # read every row, whatever the size the file claims (some programs
        # write a wrong one, and read-only mode would stop there)
        self._sheet.reset_dimensions()

    def _open_xls(self):
        self.stream.seek(0)
        try:
            self._book = xlrd.open_workbook(
                file_contents=self.stream.read(), on_demand=True
            )
            self._sheet = self._book.sheet_by_index(0)
        except IndexError:
            raise Problem(NO_SHEET, name=self.filename) from None
        except Exception as error:  # noqa: BLE001 -- xlrd raises many kinds
            raise _corrupt(self.filename, "xls", error) from None
        self.size_hint = self._sheet.nrows

    def rows(self):
        if self.file_format == "csv":
            rows = self._csv_rows()
        elif self.file_format == "xlsx":
            rows = self._xlsx_rows()
        else:
            rows = self._xls_rows()
        for row_number, cells in rows:
            cells = _trim(cells)
            if cells:
                yield row_number, cells

    def _csv_rows(self):
        self.stream.seek(0)
        text = io.TextIOWrapper(self.stream, encoding=self.dialect.encoding, newline="")
        try:
            reader = csv.reader(text, delimiter=self.dialect.delimiter)
            yield from enumerate(reader, start=1)
        finally:
            text.detach()

    def _xlsx_rows(self):
        try:
            for row_number, cells in enumerate(
                self._sheet.iter_rows(values_only=True), start=1
            ):
                yield row_number, list(cells)
        except Exception as error:  # noqa: BLE001 -- a broken sheet
            raise _corrupt(self.filename, "xlsx", error) from None

    def _xls_rows(self):
        sheet, datemode = self._sheet, self._book.datemode
        for index in range(sheet.nrows):
            cells = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = cell.value
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                else:
                    value = cell.value
                cells.append(value)
            yield index + 1, cells

    def close(self):
        if self._book is not None:
            if self.file_format == "xlsx":
                self._book.close()
            else:
                self._book.release_resources()
            self._book = None


def _corrupt(filename, kind, error):
    return Problem(
        CORRUPT,
        name=filename,
        kind=FORMAT_LABELS[kind],
        error=(str(error) or type(error).__name__)
        if isinstance(error, Exception)
        else error,
    )


def _trim(cells):
    """Cells without trailing empty ones; [] for an empty row."""
    cells = list(cells)
    while cells and (
        cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())
    ):
        cells.pop()
    return cells


def _extension(filename):
    name = (filename or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def content_kind(head):
    """What the first bytes of a file look like."""
    if head.startswith(OLE2_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return "html"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head:
        return "binary"
    return "text"


def detect_format(stream, filename):
    """'xls', 'xlsx' or 'csv', from the name and the content together."""
    stream.seek(0)
    head = stream.read(8192)
    if not head.strip(b" \t\r\n\xef\xbb\xbf\x00\xff\xfe"):
        raise Problem(EMPTY_FILE)
    extension = _extension(filename)
    kind = content_kind(head)
    if extension not in ("xls", "xlsx", "csv", "txt"):
        raise Problem(UNSUPPORTED, name=filename)
    if kind == "ole":
        if extension != "xls":
            raise _wrong(filename, extension, "xls")
        return "xls"
    if kind == "zip":
        workbook = _is_xlsx(stream)
        if workbook is None and extension == "xlsx":
            raise _corrupt(filename, "xlsx", _lt("the ZIP container is damaged"))
        if not workbook:
            raise _wrong(filename, extension, "zip")
        if extension != "xlsx":
            raise _wrong(filename, extension, "xlsx")
        return "xlsx"
    if kind == "text":
        if extension in ("xls", "xlsx"):
            raise _wrong(filename, extension, "csv")
        return "csv"
    if extension in ("csv", "txt"):
        raise Problem(NOT_TEXT, name=filename, kind=FORMAT_LABELS[kind])
    raise _wrong(filename, extension, kind)


def _wrong(filename, extension, kind):
    return Problem(
        WRONG_CONTENT,
        name=filename,
        extension="." + extension,
        kind=FORMAT_LABELS[kind],
    )


def _is_xlsx(stream):
    """True for an Excel workbook, False for another ZIP file, None for a
    damaged ZIP file."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        stream.seek(0)
    return "xl/workbook.xml" in names


def sniff_csv(stream, filename=""):
    """The encoding and separator of a CSV file.

    UTF-8 and UTF-16 files with a BOM say so; otherwise the whole file is
    checked as UTF-8 (incrementally, in chunks) and read as Windows-1252
    when it is not. The separator is the most frequent of ';', ',' and tab
    in the first line (outside quotes).
    """
    stream.seek(0)
    head = stream.read(4)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _decodes(stream, "utf-8") is None:
        encoding = "utf-8"
    else:
        position = _decodes(stream, "cp1252")
        if position is not None:
            raise Problem(ENCODING, name=filename, position=position)
        encoding = "cp1252"
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = ""
        for line in text:
            if line.strip():
                first = line
                break
    finally:
        text.detach()
    stream.seek(0)
    return CsvDialect(encoding, _delimiter(first))


def _decodes(stream, encoding):
    """None when the whole stream decodes, else the offending byte offset."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    while True:
        chunk = stream.read(CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return offset + error.start + 1
        if not chunk:
            return None
        offset += len(chunk)


def _delimiter(line):
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda char: (counts[char], char == ";"))
    return best if counts[best] else ","


def _count_lines(stream):
    """Lines in a text file (an upper bound of its CSV records)."""
    stream.seek(0)
    count = 0
    while chunk := stream.read(CHUNK):
        count += chunk.count(b"\n")
    stream.seek(0)
    return count + 1


# ----------------------------------------------------------------------
# cells kept for the rejected rows file
# ----------------------------------------------------------------------


def cell_to_json(value):
    """A cell as JSON data; dates are kept as dates."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def cell_from_json(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


def write_rows(file_format, header, rows, dialect=None):
    """A file in ``file_format`` with ``header`` and ``rows`` (lists of
    cells; dates stay dates in workbooks). Returns bytes."""
    if file_format == "csv":
        return _write_csv(header, rows, dialect or CsvDialect("utf-8", ","))
    if file_format == "xlsx":
        return _write_xlsx(header, rows)
    return _write_xls(header, rows)


def _csv_text(value):
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.strftime("%d-%m-%Y")
        return value.isoformat()
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if value is None:
        return ""
    return str(value)


def _write_csv(header, rows, dialect):
    buffer = io.BytesIO()
    encoding = dialect.encoding
    text = io.TextIOWrapper(buffer, encoding=encoding, errors="replace", newline="")
    writer = csv.writer(text, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(value) for value in header])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    text.flush()
    text.detach()
    return buffer.getvalue()


def _write_xlsx(header, rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    for row_index, row in enumerate([header, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write_datetime(row_index, column, value, date_format)
            elif value is not None:
                sheet.write(row_index, column, value)
    book.close()
    return buffer.getvalue()


def _write_xls(header, rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for row_index, row in enumerate([header, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write(row_index, column, value, date_style)
            elif value is not None:
                sheet.write(row_index, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
