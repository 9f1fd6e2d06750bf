# Follow-up matrix import (pages/import.rs, `lajna import`).
import-title = Import the follow-up matrix
import-intro = Upload the follow-up matrix (XLSX or CSV, headers in Arabic, French or English). You will see what each row changes before anything is written.
import-file = Matrix file (XLSX or CSV)
import-upload = Preview the import
import-link = Import a matrix
import-preview-title = Import preview
import-result-title = Import done
import-row = Row
import-action = Action
import-outcome = Result
import-details = Details
import-outcome-create = to create
import-outcome-update = to update
import-outcome-unchanged = unchanged
import-outcome-refused = refused
import-summary = To create: { $created } · to update: { $updated } · unchanged: { $unchanged } · refused: { $refused }
import-refused-nothing = At least one row is refused: nothing will be written. Correct the file and upload it again.
import-nothing-to-do = Every row matches the record: there is nothing to write.
import-confirm = Apply these changes
import-applied = { $count ->
    [one] One event written and signed.
   *[other] { $count } events written and signed.
}
import-expired = The uploaded file is no longer held by the server. Upload it again.
import-changes = Changes: { $fields }
import-ignored = Columns ignored: { $columns }
import-matrix-language = Matrix language: { $lang }
import-again = Import another file
import-no-file = Choose a file to upload.
import-too-large = The file is larger than { $mb } MB.
import-file-unreadable = The file is not an XLSX workbook or a CSV file.
import-file-not-utf8 = Row { $row }: the CSV file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.
import-file-no-header = No header row with the matrix columns (in Arabic, French or English) was found.
import-bad-date = Not a date: “{ $detail }”. Write 2025-12-31 or 31/12/2025.
import-unknown-area = No cooperation area is called “{ $detail }”.
import-ambiguous-area = “{ $detail }” names more than one area; write the area’s code.
import-bad-progress = The progress must be a whole number from 0 to 100, not “{ $detail }”.
import-duplicate-row = The same action as row { $detail }.
import-empty-title = The action has no title, in Arabic or in French.
import-unknown-status = Unknown status “{ $detail }”. Write one of these: { $accepted }.
import-reason-required = A “{ $status }” action must state its reason: fill in the “{ $column }” column.
import-unknown-owner = “{ $detail }” is not a party of the committee.
import-unknown-id = No action has the id “{ $detail }”.
import-missing-value = The cell “{ $column }” is empty.
import-missing-column = A new action needs the columns that are missing here: { $detail }.
import-indicator-incomplete = An indicator needs its unit, baseline, target and current value (or none of them); “{ $column }” is empty.
import-bad-number = Not a whole number: “{ $detail }”.
import-no-roadmap = There is no roadmap to add a new action to; draft a roadmap first.
import-exists = This action is already recorded (same area and title); add its id to the row to update it.
import-no-key = This node cannot write for party { $detail }.
# Bounded reading of an uploaded file (issue 12): arguments from ImportError::args.
import-file-too-many-parts = The workbook has { $parts } parts; at most { $limit } are read. Copy only the matrix sheet into a new workbook and upload it again.
import-file-nested-archive = The workbook holds another archive (“{ $part }”). Save only the matrix sheet, without embedded files, and upload it again.
import-file-inflated = Once unpacked, the workbook is larger than { $mb } MB (at “{ $part }”). Save only the matrix sheet and upload it again.
import-file-bad-reference = “{ $cell }” is not a cell of a spreadsheet (A1 to XFD1048576): the file is damaged. Save it again from your spreadsheet software.
import-file-too-many-rows = Cell { $cell } is beyond row { $limit }. Save only the matrix sheet, at most { $limit } rows, and upload it again.
import-file-too-many-columns = Cell { $cell } is beyond column { $limit }. Save only the matrix columns, at most { $limit }, and upload it again.
import-file-too-many-cells = Cell { $cell } is past the limit of { $limit } cells. Save only the matrix sheet and upload it again.
import-file-too-many-strings = The workbook has more than { $limit } texts. Save only the matrix sheet and upload it again.
import-file-too-much-text = The workbook holds more than { $mb } MB of text. Save only the matrix sheet and upload it again.
# A refused row: the party owning its action, then each reason after its column (issue 17 item 5).
import-owner = Owning party: { $party }
import-in-column = Column “{ $column }”: { $reason }

## Value columns (issue 18): what the owner party pledged on the action and delivered.
import-value-new-action = A pledged value cannot come with a new action: import the action first, then its value.
import-value-several = This action carries several pledges of different currencies or units: change them on each pledge's page.
import-value-emptied = The pledge “{ $detail }” is not removed through the matrix: put its value back, or correct it on its page.
import-value-delivery-first = A delivery cannot be entered before its pledge: import the pledged value first, then the delivered value.
import-value-kind-changed = The currency or unit “{ $detail }” of a pledge already delivered, or whether a pledge is money or in kind, is changed on its page, not through the matrix.
import-value-delivered-less = The delivered value cannot go down through the matrix: withdraw the wrong delivery on the pledge's page.
