"""An independent reader of the exported follow-up matrix as CSV (issue 17 item 5): Python's csv
module, as a French or Arabic spreadsheet reads the file, with the separator given.

Usage: /usr/bin/python3 read_csv.py FILE.csv SEPARATOR
Prints JSON: {"bom": bool (the file starts with EF BB BF), "crlf": bool (every line ends with
CR LF, RFC 4180), "rows": [[field, ...], ...]} — the file decoded as UTF-8 (the BOM dropped),
split with `delimiter=SEPARATOR`.
"""

import csv
import io
import json
import sys

data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8-sig")
lines = data.split(b"\n")
crlf = all(line.endswith(b"\r") for line in lines[:-1]) and lines[-1] == b""
rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sys.argv[2]))
print(json.dumps({"bom": data.startswith(b"\xef\xbb\xbf"), "crlf": crlf, "rows": rows}, ensure_ascii=False))
