"""Read Moodle's grading worksheet (CSV) and write it back with grades and feedback filled in.

    worksheet = read_worksheet(Path("Grades-hw1.csv"))        # or None when the TA has none
    report = write_worksheet(out / "grades.csv", worksheet, grade_rows)
    report.ids_without_row, report.rows_without_grade          # Moodle skips these silently

Column detection (header cells compared trimmed and case-insensitively, in English or Hebrew):
  Identifier  "Identifier" / "מזהה", else the first column (Moodle always puts it first).
  Maximum     "Maximum Grade" / "ציון מירבי" (points) or "Scale" / "סולם" (scale).
  Grade       "Grade" / "ציון", else the column right before Maximum. When Grade is found but
              Maximum is not, Maximum is the column right after Grade, and it is a scale when its
              values are not numbers.
  Feedback    "Feedback comments" / "משוב". Absent (feedback comments off, or a language not listed
              here): no column is added and `Worksheet.feedback_enabled` is False, so the caller
              can warn.
  Group       "Group" / "קבוצה": only group ("team") submissions have it.
  Locked      "Grade can be changed" / "ניתן לשנות את הציון": "No" rows are skipped by Moodle.
Two rows with the same participant id are an error: Moodle would grade that participant twice.
If neither Grade nor Maximum can be found, WorksheetError asks for the worksheet in English.

Writing is exact: Moodle finds columns by their exact header text and rejects a file whose rows
do not all have as many fields as the header, so the header line and every row the kit does not
grade are copied byte for byte (BOM included), graded rows keep every other cell, and the
separator is always a comma (the only one Moodle's uploader reads). Cells the kit writes are
protected against spreadsheet formula injection; cells from the download are left as they were.
Feedback is plain text: it is put on one line and HTML-escaped (& < >), because Moodle stores
feedback comments as HTML.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.moodle.atomic import write_bytes_atomic

UTF8_BOM = "\ufeff"
MOODLE_SEPARATOR = ","
DEFAULT_MAX_POINTS = 100.0

IDENTIFIER_LABELS = frozenset({"identifier", "מזהה"})
GRADE_LABELS = frozenset({"grade", "ציון"})
MAXIMUM_LABELS = frozenset({"maximum grade", "ציון מירבי", "ציון מרבי"})
SCALE_LABELS = frozenset({"scale", "סולם"})
FEEDBACK_LABELS = frozenset({"feedback comments", "משוב", "הערות משוב"})
GROUP_LABELS = frozenset({"group", "קבוצה"})
CAN_CHANGE_LABELS = frozenset({"grade can be changed", "ניתן לשנות את הציון", "ניתן לשנות ציון"})
NO_VALUES = frozenset({"no", "לא"})

# The header the kit writes when there is no downloaded worksheet (English interface).
NEW_HEADER = (
    "Identifier",
    "Full name",
    "Status",
    "Grade",
    "Maximum Grade",
    "Last modified (grade)",
    "Feedback comments",
)

_NUMBER = re.compile(r"^\s*[+-]?[0-9]+(?:(?P<separator>[.,])(?P<decimals>[0-9]+))?\s*$")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class WorksheetError(Exception):
    """The worksheet cannot be read or filled; the message says what to do."""


@dataclass(frozen=True)
class Worksheet:
    """A downloaded grading worksheet, every cell exactly as read.

    rows: the records after the header (a blank line is an empty list); raw_rows: the same
    records as text, line endings included, so untouched rows are written back byte for byte.
    maximum_column: "Maximum Grade" (points) or "Scale" (uses_scale), None if unknown.
    feedback_column: None when the worksheet has no feedback comments column.
    group_column: the Group column of a group assignment, else None.
    can_change_column: the "Grade can be changed" column, None if absent.
    """

    header: list[str]
    rows: list[list[str]]
    raw_header: str
    raw_rows: list[str]
    identifier_column: int
    grade_column: int
    maximum_column: int | None
    feedback_column: int | None
    uses_scale: bool
    has_bom: bool
    separator: str
    line_ending: str
    group_column: int | None = None
    can_change_column: int | None = None

    @property
    def feedback_enabled(self) -> bool:
        """False when there is no feedback comments column to fill."""
        return self.feedback_column is not None

    @property
    def participant_ids(self) -> list[int | None]:
        """The participant id of every row (None for rows without one)."""
        return [participant_id(_cell(row, self.identifier_column)) for row in self.rows]

    @property
    def locked_rows(self) -> list[str]:
        """The Identifier of every row whose grade Moodle will not change ("Grade can be changed: No")."""
        return [_cell(row, self.identifier_column) for row in self.rows
                if _cell(row, self.can_change_column).strip().casefold() in NO_VALUES]


@dataclass(frozen=True)
class GradeRow:
    """One participant's result, as the pipeline hands it over."""

    participant_id: int
    full_name: str
    passed: bool | None  # None: not graded (the grader failed): the Grade cell is left empty, the feedback as it was
    feedback: str


@dataclass(frozen=True)
class WorksheetReport:
    """What `write_worksheet` did, for the pipeline to report (Moodle says nothing about these).

    ids_without_row: participant ids in the grades that have no row in the worksheet.
    rows_without_grade: Identifier cells of rows that were left without a grade.
    problems: anything else worth telling the TA (rows that had to be repaired, missing maxima).
    """

    path: Path
    rows_graded: int
    ids_without_row: list[int]
    rows_without_grade: list[str]
    feedback_written: bool
    problems: list[str]


def participant_id(identifier: str) -> int | None:
    """The participant id in an Identifier cell: its last run of digits ("Participant 12345")."""
    digits = re.findall(r"[0-9]+", identifier)
    return int(digits[-1]) if digits else None


def read_worksheet(path: Path) -> Worksheet:
    """Read a worksheet from Moodle's "Download grading worksheet" (UTF-8, BOM or not)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorksheetError(f"Cannot read the grading worksheet {path}: {error.strerror or error}.") from None
    has_bom = data.startswith(UTF8_BOM.encode())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorksheetError(
            f"The grading worksheet {path} is not UTF-8 text (byte {error.start}). Download it again from "
            "Moodle (assignment > View all submissions > Download grading worksheet) and pass it unchanged; "
            "saving it from Excel can change its encoding."
        ) from None
    lines = _LINE.findall(text)
    if not lines:
        raise WorksheetError(f"The grading worksheet {path} is empty. Download it again from Moodle.")
    # An "Online text" cell can be longer than the csv module's default 128 kB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    separator = _detect_separator(lines[0])
    try:
        records = _records(lines, separator)
    except csv.Error as error:
        raise WorksheetError(f"The grading worksheet {path} is not valid CSV ({error}). Download it again.") from None
    (header, raw_header), rest = records[0], records[1:]
    rows = [fields for fields, _ in rest]
    columns = _detect_columns(path, header, rows)
    _check_unique_ids(path, [participant_id(_cell(row, columns.identifier)) for row in rows])
    return Worksheet(
        header=header,
        rows=rows,
        raw_header=raw_header,
        raw_rows=[raw for _, raw in rest],
        identifier_column=columns.identifier,
        grade_column=columns.grade,
        maximum_column=columns.maximum,
        feedback_column=columns.feedback,
        uses_scale=columns.uses_scale,
        has_bom=has_bom,
        separator=separator,
        line_ending=_line_ending(raw_header),
        group_column=_find(header, GROUP_LABELS),
        can_change_column=_find(header, CAN_CHANGE_LABELS),
    )


def _check_unique_ids(path: Path, ids: list[int | None]) -> None:
    first_row: dict[int, int] = {}
    for number, row_id in enumerate(ids, start=1):
        if row_id is None:
            continue
        if row_id in first_row:
            raise WorksheetError(
                f"The grading worksheet {path} has two rows for participant {row_id} (rows {first_row[row_id]} "
                f"and {number} after the header). Download it again from Moodle and pass it unchanged."
            )
        first_row[row_id] = number


def write_worksheet(
    path: Path,
    worksheet: Worksheet | None,
    grades: Sequence[GradeRow],
    *,
    scale_pass: str = "Pass",
    scale_fail: str = "Fail",
    max_points: float | None = None,
) -> WorksheetReport:
    """Write the worksheet to upload to Moodle, atomically. GradeRow.feedback is plain text.

    With a worksheet: same header, rows, order and field counts; Grade (points: the row's own
    "Maximum Grade" text on pass, zero in the same format on fail; scale: scale_pass/scale_fail)
    and Feedback comments (one line) are filled for the participants in `grades`.
    Without one: a new worksheet with NEW_HEADER, one row per grade, max_points (default 100)
    as the maximum, and an empty "Last modified (grade)".
    """
    by_id: dict[int, GradeRow] = {}
    for grade in grades:
        if grade.participant_id in by_id:
            raise ValueError(f"Participant {grade.participant_id} has two grades; pass one GradeRow per participant.")
        by_id[grade.participant_id] = grade
    if worksheet is None:
        text, report = _new_worksheet(path, by_id, max_points)
        has_bom = True  # lets Excel show Hebrew names; Moodle's uploader strips it
    else:
        text, report = _filled_worksheet(path, worksheet, by_id, scale_pass, scale_fail, max_points)
        has_bom = worksheet.has_bom
    # errors="replace": a lone surrogate in a name or feedback (a file name read from a folder
    # export may hold one) becomes "?" instead of stopping the whole run.
    write_bytes_atomic(Path(path), ((UTF8_BOM if has_bom else "") + text).encode("utf-8", errors="replace"))
    return report


def neutralize_formula(cell: str) -> str:
    """Prefix `'` to a cell a spreadsheet would run as a formula (= + - @ tab CR), except numbers."""
    if cell.startswith(_FORMULA_STARTS) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def one_line(text: str) -> str:
    """Feedback on one line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(text.split())


def _records(lines: list[str], separator: str) -> list[tuple[list[str], str]]:
    """Parse CSV records, keeping the exact text of each (a quoted cell may span lines)."""
    taken: list[str] = []

    def feed():
        for line in lines:
            taken.append(line)
            yield line

    records = []
    for fields in csv.reader(feed(), delimiter=separator, strict=False):
        records.append((fields, "".join(taken)))
        taken.clear()
    if taken:  # an unterminated quote at the end of the file
        records[-1] = (records[-1][0], records[-1][1] + "".join(taken))
    return records


def _detect_separator(header_line: str) -> str:
    """Moodle writes commas; a TA's spreadsheet may have re-saved with ; or tab."""
    counts = {separator: len(next(csv.reader([header_line], delimiter=separator))) for separator in ",;\t"}
    return max(counts, key=lambda separator: (counts[separator], separator == MOODLE_SEPARATOR))


def _line_ending(raw: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if raw.endswith(ending):
            return ending
    return "\n"


def _find(header: list[str], labels: frozenset[str]) -> int | None:
    for index, cell in enumerate(header):
        if cell.strip().casefold() in labels:
            return index
    return None


@dataclass(frozen=True)
class _Columns:
    identifier: int
    grade: int
    maximum: int | None
    feedback: int | None
    uses_scale: bool


def _detect_columns(path: Path, header: list[str], rows: list[list[str]]) -> _Columns:
    """Find the columns by label, then by position (see the module docstring)."""
    identifier = _find(header, IDENTIFIER_LABELS)
    grade = _find(header, GRADE_LABELS)
    maximum = _find(header, MAXIMUM_LABELS)
    scale = _find(header, SCALE_LABELS)
    uses_scale = maximum is None and scale is not None
    if maximum is None:
        maximum = scale
    if grade is None and maximum is not None and maximum > 0:
        grade = maximum - 1
    if grade is not None and maximum is None and grade + 1 < len(header):
        maximum = grade + 1
        values = [row[maximum] for row in rows if len(row) > maximum and row[maximum].strip()]
        uses_scale = any(not _NUMBER.match(value) for value in values)
    if grade is None:
        raise WorksheetError(
            f"Cannot find the Grade column in the grading worksheet {path} (header: {', '.join(header)}). "
            "Switch your Moodle language to English, download the grading worksheet again, and switch back."
        )
    return _Columns(
        identifier=0 if identifier is None else identifier,
        grade=grade,
        maximum=maximum,
        feedback=_find(header, FEEDBACK_LABELS),
        uses_scale=uses_scale,
    )


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _csv_line(fields: Sequence[str], line_ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=MOODLE_SEPARATOR, lineterminator=line_ending).writerow(fields)
    return buffer.getvalue()


def _kit_cell(text: str) -> str:
    """A cell the kit writes: one line, no formula, and no backslash right before a quote or at the
    end (PHP's fgetcsv, which Moodle uses, reads a backslash as an escape for the next quote)."""
    text = neutralize_formula(one_line(text)).replace('\\"', '\\ "')
    return text + " " if text.endswith("\\") else text


def _feedback_cell(feedback: str) -> str:
    """Plain-text feedback as a Feedback comments cell (Moodle stores it as HTML)."""
    return _kit_cell(html.escape(one_line(feedback), quote=False))


def _zero_like(maximum: str) -> str:
    """Zero written the way Moodle wrote the maximum: "100.00" -> "0.00", "10,5" -> "0,0"."""
    match = _NUMBER.match(maximum)
    if match and match["separator"]:
        return "0" + match["separator"] + "0" * len(match["decimals"])
    return "0"


def _points_text(maximum_cell: str, passed: bool, max_points: float | None) -> str | None:
    """The grade cell for a points assignment, or None when the maximum is unknown."""
    if _NUMBER.match(maximum_cell):
        maximum = maximum_cell.strip()
    elif max_points is not None:
        maximum = f"{max_points:.2f}"
    else:
        return None
    return maximum if passed else _zero_like(maximum)


def _scale_items(worksheet: Worksheet) -> list[str]:
    """The scale's items, from the first non-empty Scale cell (Moodle lists them one per line)."""
    for row in worksheet.rows:
        cell = _cell(row, worksheet.maximum_column)
        if cell.strip():
            return [item.strip() for item in cell.splitlines() if item.strip()]
    return []


def check_scale_texts(worksheet: Worksheet, scale_pass: str, scale_fail: str) -> None:
    """Raise WorksheetError when a scale worksheet's scale lacks the pass or fail text."""
    if worksheet.uses_scale:
        _check_scale(_scale_items(worksheet), scale_pass, scale_fail)


def _check_scale(items: list[str], scale_pass: str, scale_fail: str) -> None:
    unknown = [text for text in (scale_pass, scale_fail) if items and text not in items]
    if unknown:
        raise WorksheetError(
            f"The scale of this assignment has the items {', '.join(items)}, but the kit was told to write "
            f"{' and '.join(unknown)}. Moodle would skip those grades silently: set the pass and fail "
            "scale items to two of the scale's items."
        )


def _filled_worksheet(
    path: Path,
    worksheet: Worksheet,
    by_id: dict[int, GradeRow],
    scale_pass: str,
    scale_fail: str,
    max_points: float | None,
) -> tuple[str, WorksheetReport]:
    scale_items = _scale_items(worksheet) if worksheet.uses_scale else []
    if worksheet.uses_scale:
        _check_scale(scale_items, scale_pass, scale_fail)
    width = len(worksheet.header)
    exact = worksheet.separator == MOODLE_SEPARATOR
    out = [worksheet.raw_header if exact else _csv_line(worksheet.header, worksheet.line_ending)]
    problems: list[str] = []
    rows_without_grade: list[str] = []
    seen: set[int] = set()
    graded = 0
    for number, (fields, raw) in enumerate(zip(worksheet.rows, worksheet.raw_rows, strict=True), start=1):
        if not fields:  # a blank line: Moodle skips it too
            out.append(raw)
            continue
        identifier = _cell(fields, worksheet.identifier_column)
        row_id = participant_id(identifier)
        grade = by_id.get(row_id) if row_id is not None else None
        cells = _fit_to_header(fields, width, number, problems)
        if grade is not None and grade.passed is None:  # Moodle's upload skips an empty grade: nothing changes
            seen.add(grade.participant_id)
            cells[worksheet.grade_column] = ""
            grade = None
        elif grade is not None:
            seen.add(grade.participant_id)
            if worksheet.uses_scale:
                grade_text: str | None = scale_pass if grade.passed else scale_fail
            else:
                grade_text = _points_text(_cell(fields, worksheet.maximum_column), grade.passed, max_points)
            if grade_text is None:
                problems.append(f"Row {number} ({identifier}): no Maximum Grade to give; the grade was left empty.")
                grade = None
            else:
                # A scale item checked against the download is a copy; anything else is the kit's text.
                cells[worksheet.grade_column] = grade_text if grade_text in scale_items else _kit_cell(grade_text)
                if worksheet.feedback_column is not None:
                    cells[worksheet.feedback_column] = _feedback_cell(grade.feedback)
                graded += 1
        if grade is None:
            rows_without_grade.append(identifier or f"row {number}")
        if grade is None and exact and cells == fields:
            out.append(raw)
        else:
            out.append(_csv_line(cells, worksheet.line_ending))
    _terminate_lines(out, worksheet.line_ending)
    report = WorksheetReport(
        path=Path(path),
        rows_graded=graded,
        ids_without_row=sorted(set(by_id) - seen),
        rows_without_grade=rows_without_grade,
        feedback_written=worksheet.feedback_enabled,
        problems=problems,
    )
    return "".join(out), report


def _fit_to_header(fields: list[str], width: int, number: int, problems: list[str]) -> list[str]:
    """The row with exactly `width` fields when that loses nothing (Moodle rejects ragged files)."""
    if len(fields) < width:
        problems.append(f"Row {number} had {len(fields)} fields instead of {width}; empty ones were added.")
        return fields + [""] * (width - len(fields))
    if len(fields) > width:
        if any(cell.strip() for cell in fields[width:]):
            problems.append(
                f"Row {number} has {len(fields)} fields instead of {width}; Moodle will reject the file "
                "until it is fixed by hand."
            )
            return list(fields)
        problems.append(f"Row {number} had {len(fields)} fields instead of {width}; empty extra ones were removed.")
        return fields[:width]
    return list(fields)


def _terminate_lines(out: list[str], line_ending: str) -> None:
    """Every line but the last must end with a line ending (the input's last line may not)."""
    for index in range(len(out) - 1):
        if not out[index].endswith(("\n", "\r")):
            out[index] += line_ending


def _new_worksheet(path: Path, by_id: dict[int, GradeRow], max_points: float | None) -> tuple[str, WorksheetReport]:
    maximum = f"{DEFAULT_MAX_POINTS if max_points is None else max_points:.2f}"
    lines = [_csv_line(NEW_HEADER, "\n")]
    for number in sorted(by_id):
        grade = by_id[number]
        row = (
            f"Participant {number}",
            _kit_cell(grade.full_name),
            "",
            "" if grade.passed is None else maximum if grade.passed else _zero_like(maximum),
            maximum,
            "",
            "" if grade.passed is None else _feedback_cell(grade.feedback),
        )
        lines.append(_csv_line(row, "\n"))
    report = WorksheetReport(
        path=Path(path),
        rows_graded=len(by_id),
        ids_without_row=[],
        rows_without_grade=[],
        feedback_written=True,
        problems=[],
    )
    return "".join(lines), report
