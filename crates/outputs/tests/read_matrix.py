"""An independent reader of the exported follow-up matrix (issue 4): openpyxl, not calamine.

Usage: /usr/bin/python3 read_matrix.py FILE.xlsx
Prints the first sheet as JSON: {"sheet": name, "rtl": bool, "frozen": "A2", "rows": [[cell, ...], ...]}
with every cell as text (whole numbers without ".0", dates as ISO 8601 `2025-12-31`, empty cells
as ""), "types": openpyxl's data type of every cell ("s" text, "n" number, "d" date), "formats":
the number format of every cell, "lists": the values of each drop-down list (data validation),
and "formulas": the number of cells holding a formula (the export must write none, case C08).
"""

import datetime
import json
import sys

import openpyxl


def text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


book = openpyxl.load_workbook(sys.argv[1])
sheet = book.worksheets[0]
rows = []
types = []
formats = []
formulas = 0
for row in sheet.iter_rows():
    for cell in row:
        if cell.data_type == "f":
            formulas += 1
    rows.append([text(cell.value) for cell in row])
    types.append([cell.data_type for cell in row])
    formats.append([cell.number_format for cell in row])
lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
print(json.dumps({
    "sheet": sheet.title,
    "rtl": bool(sheet.sheet_view.rightToLeft),
    "frozen": sheet.freeze_panes,
    "formulas": formulas,
    "rows": rows,
    "types": types,
    "formats": formats,
    "lists": lists,
}, ensure_ascii=False))
