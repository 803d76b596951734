"""Read a Moodle "Download all submissions" export into memory, one `StudentSubmission` per id.

    export = read_export(Path("course-hw1-42.zip"))      # or the folder the TA unpacked it to
    for submission in export.submissions:                # sorted by participant id
        submission.participant_id, submission.files      # {"work/hw1.py": b"...", ...}
    export.unmatched                                     # entries no participant id could be read from

Layouts recognised (see /work/shared/MOODLE.md; the name part may be any UTF-8 text):
  <name>_<id>_assignsubmission_file/<path>          Moodle 4.1+, "download in folders" (default)
  <name>_<id>_assignsubmission_file_/<path>         before 4.1
  <name>_<id>_assignsubmission_file_<file name>     "download in folders" off (flat)
  <name>_<id>_assignsubmission_onlinetext/...       online text: recorded, not graded
  <group>_<groupid>_assignsubmission_file/...       group submissions (the id is the group's)
  <Default group>_assignsubmission_file/...         users in no group: no id, kept as DEFAULT_GROUP_ID
The name is "Participant" (or a translation) under anonymous marking. One extra folder around
everything (a TA re-zipped the unpacked folder) is skipped. `__MACOSX/` and `.DS_Store` are
ignored. Only the `file` plugin's files are kept.

Whole-run errors (missing path, not a zip, damaged zip, nothing Moodle-like inside) raise
`MoodleExportError` before any file is read. Everything else is per student: unsafe paths, symlinks,
unreadable entries and files over the size caps are refused and explained in `problems`.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder.moodle.safe_zip import (
    EntryRefused,
    EntryTooLarge,
    describe_size,
    entry_name,
    is_directory,
    is_symlink,
    path_parts,
    read_capped,
    read_entry,
    unsafe_path_reason,
)

GRADED_PLUGIN = "file"
ONLINE_TEXT_PLUGIN = "onlinetext"
IGNORED_FOLDERS = frozenset({"__MACOSX"})
IGNORED_FILES = frozenset({".DS_Store"})
MAX_WRAPPER_FOLDERS = 3  # how many extra folders around the export are skipped (re-zipped by hand)
# The submission of the users in no group ("Default group", no id in its folder name). Moodle's
# ids start at 1, so 0 names it without clashing with a group or participant.
DEFAULT_GROUP_ID = 0

# The id is always the digits right before "_assignsubmission_"; the name may even hold "_"
# (Moodle's clean_filename can turn : * ? etc. into "_"), so the name part is matched lazily.
_FOLDER = re.compile(r"^(?P<name>.*?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_?$")
_FLAT = re.compile(r"^(?P<name>.*?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_(?P<file>.+)$")
_NO_ID_FOLDER = re.compile(r"^(?P<name>[^_]*)_assignsubmission_(?P<plugin>[a-z0-9]+)_?$")
_NO_ID_FLAT = re.compile(r"^(?P<name>[^_]*)_assignsubmission_(?P<plugin>[a-z0-9]+)_(?P<file>.+)$")


class MoodleExportError(Exception):
    """The export as a whole cannot be read; the message says what, where, and what to do."""


@dataclass(frozen=True)
class StudentSubmission:
    """One participant's (or group's) submission, merged over all its entries.

    files: path inside the submission (e.g. "work/hw1.py") -> content; `file` plugin only.
    online_text: the participant also (or only) submitted online text, which is not graded.
    problems: one sentence per refused file, for the student's feedback.
    is_group: the id is a group id (team submission); False when that cannot be told.
    The "Default group" submission has participant_id DEFAULT_GROUP_ID.
    """

    participant_id: int
    name: str
    files: dict[str, bytes]
    online_text: bool
    problems: list[str]
    is_group: bool = False


@dataclass(frozen=True)
class MoodleExport:
    """All submissions sorted by participant id, and the entries no id could be read from."""

    submissions: list[StudentSubmission]
    unmatched: list[str]

    def by_id(self) -> dict[int, StudentSubmission]:
        """The submissions keyed by participant id."""
        return {submission.participant_id: submission for submission in self.submissions}


@dataclass(frozen=True)
class _Entry:
    """One file of the export, not read yet."""

    name: str  # path inside the export, "/"-separated as stored
    declared_size: int
    refusal: str | None  # set for symlinks and special files: never read
    read: Callable[[int], bytes]  # read at most `limit` bytes or raise EntryRefused


@dataclass(frozen=True)
class _Location:
    """Where an entry belongs: whose submission, which plugin, which path inside it."""

    participant_id: int | None
    name: str
    plugin: str
    inner_path: str


@dataclass
class _Collector:
    """A submission being assembled."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    online_text: bool = False
    problems: list[str] = field(default_factory=list)
    ignored_plugins: set[str] = field(default_factory=set)
    total_bytes: int = 0


def read_export(
    source: Path,
    *,
    max_file_bytes: int = 5_000_000,
    max_total_bytes: int = 50_000_000,
    team_submission: bool = False,
) -> MoodleExport:
    """Read every submission of a Moodle export zip (or unpacked folder) into memory.

    max_file_bytes / max_total_bytes cap one file / one participant's files (decompressed).
    team_submission: True if the assignment uses group submissions, else guessed: True when a
    no-id "Default group" folder is present (only group submissions have one).
    Raises MoodleExportError when the export itself cannot be read.
    """
    source = Path(source)
    if not source.exists():
        raise MoodleExportError(
            f"The Moodle export {source} does not exist. Check the path; it should be the zip from "
            "the assignment's 'Download all submissions' action, or the folder it was unpacked to."
        )
    if source.is_dir():
        return _read_entries(source, _folder_entries(source), max_file_bytes, max_total_bytes, team_submission)
    archive = _open_export_zip(source)
    with archive:
        entries = list(_zip_entries(archive))
        return _read_entries(source, entries, max_file_bytes, max_total_bytes, team_submission)


def _open_export_zip(source: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise MoodleExportError(
            f"{source} is not a readable zip file ({error}). The download may be incomplete or damaged: "
            "download it again from Moodle (assignment > View all submissions > Download all submissions), "
            "or pass the folder you unpacked it to."
        ) from None
    except OSError as error:
        raise MoodleExportError(f"Cannot open the Moodle export {source}: {error.strerror or error}.") from None


def _zip_entries(archive: zipfile.ZipFile) -> Iterator[_Entry]:
    for info in archive.infolist():
        name = entry_name(info)
        if is_directory(name):
            continue
        refusal = "it is a symbolic link" if is_symlink(info) else None

        def read(limit: int, info: zipfile.ZipInfo = info) -> bytes:
            return read_entry(archive, info, limit)

        yield _Entry(name, info.file_size, refusal, read)


def _folder_entries(root: Path) -> list[_Entry]:
    """Every file under root, without following symlinks (they are listed, to be refused)."""
    entries: list[_Entry] = []
    for folder, subfolders, file_names in os.walk(root, onerror=_unreadable_folder, followlinks=False):
        subfolders.sort()
        for name in sorted(subfolders + file_names):
            path = Path(folder, name)
            relative = _display_path(path.relative_to(root))
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                entries.append(_Entry(relative, 0, "it is a symbolic link", _never_read))
            elif stat.S_ISREG(info.st_mode):
                entries.append(_Entry(relative, info.st_size, None, _file_reader(path)))
            elif not stat.S_ISDIR(info.st_mode):
                entries.append(_Entry(relative, 0, "it is not a regular file", _never_read))
    return entries


def _unreadable_folder(error: OSError) -> None:
    raise MoodleExportError(
        f"Cannot read the folder {error.filename} of the Moodle export ({error.strerror}). "
        "Fix its permissions, or pass the zip Moodle gave instead."
    )


def _display_path(relative: Path) -> str:
    """A relative filesystem path as '/'-separated NFC text (undecodable bytes shown as U+FFFD).

    NFC because macOS stores names decomposed; zip names are normalised the same way."""
    text = "/".join(os.fsencode(part).decode("utf-8", "replace") for part in relative.parts)
    return unicodedata.normalize("NFC", text)


def _never_read(limit: int) -> bytes:
    raise EntryRefused("it is not a regular file")


def _file_reader(path: Path) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as error:
            raise EntryRefused(f"it could not be opened ({error.strerror})") from None
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise EntryRefused("it is not a regular file")
            return read_capped(stream, limit)

    return read


def _is_ignored(parts: list[str]) -> bool:
    return any(part in IGNORED_FOLDERS for part in parts[:-1]) or (bool(parts) and parts[-1] in IGNORED_FILES)


def _read_entries(
    source: Path,
    entries: list[_Entry],
    max_file_bytes: int,
    max_total_bytes: int,
    team_submission: bool,
) -> MoodleExport:
    kept = [(entry, path_parts(entry.name)) for entry in sorted(entries, key=lambda entry: entry.name)]
    kept = [(entry, parts) for entry, parts in kept if parts and not _is_ignored(parts)]
    if not kept:
        raise MoodleExportError(
            f"{source} contains no submission files. Check that it is the zip from the assignment's "
            "'Download all submissions' action (Moodle gives no zip when nobody submitted)."
        )
    depth = _wrapper_depth([parts for _, parts in kept])

    collectors: dict[int, _Collector] = {}
    unmatched: dict[str, list[str]] = {}  # top-level item -> reasons, one per entry
    saw_no_id_folder = False
    for entry, parts in kept:
        parts = parts[depth:]
        location = _locate(parts)
        if location is None:
            unsafe = unsafe_path_reason(entry.name)
            top = entry.name if unsafe else parts[0]
            unmatched.setdefault(top, []).append(unsafe or entry.refusal or "not named like a Moodle submission")
            continue
        saw_no_id_folder = saw_no_id_folder or location.participant_id is None
        number = DEFAULT_GROUP_ID if location.participant_id is None else location.participant_id
        collector = collectors.setdefault(number, _Collector(name=location.name))
        _add_entry(collector, entry, location, max_file_bytes, max_total_bytes)

    if not collectors:
        examples = ", ".join(sorted(unmatched)[:3])
        raise MoodleExportError(
            f"{source} does not look like a Moodle 'Download all submissions' export: no entry is named "
            f"like '<name>_<id>_assignsubmission_file/...' (found: {examples}). Download the submissions "
            "again from the assignment page and pass that zip unchanged."
        )
    is_group = saw_no_id_folder or team_submission
    submissions = [_freeze(number, collectors[number], is_group) for number in sorted(collectors)]
    described = [_describe_unmatched(top, reasons) for top, reasons in sorted(unmatched.items())]
    return MoodleExport(submissions=submissions, unmatched=described)


def _wrapper_depth(all_parts: list[list[str]]) -> int:
    """How many leading folders wrap the whole export (0 for Moodle's own zip)."""
    depth = 0
    while depth < MAX_WRAPPER_FOLDERS:
        tops = {parts[depth] for parts in all_parts}
        if len(tops) != 1 or any(len(parts) <= depth + 1 for parts in all_parts):
            break
        if _locate([*tops, "x"]) is not None:  # the single top folder is a submission itself
            break
        depth += 1
    return depth


def _locate(parts: list[str]) -> _Location | None:
    """Whose entry this is (parts: path inside the export, wrapper folders removed)."""
    if not parts:
        return None
    top, rest = parts[0], parts[1:]
    if rest:
        folder = _FOLDER.match(top) or _NO_ID_FOLDER.match(top)
        if folder is None:
            return None
        inner_path = "/".join(rest)
    else:
        folder = _FLAT.match(top) or _NO_ID_FLAT.match(top)
        if folder is None:
            return None
        inner_path = folder["file"]
    participant_id = int(folder["id"]) if "id" in folder.groupdict() else None
    return _Location(participant_id, folder["name"], folder["plugin"], inner_path)


def _add_entry(collector: _Collector, entry: _Entry, location: _Location, max_file: int, max_total: int) -> None:
    """Read one entry into the collector, or record why it was refused."""
    if location.plugin == ONLINE_TEXT_PLUGIN:
        collector.online_text = True
        return
    if location.plugin != GRADED_PLUGIN:
        collector.ignored_plugins.add(location.plugin)
        return
    path = location.inner_path
    refusal = entry.refusal or unsafe_path_reason(entry.name)
    if refusal is None and path in collector.files:
        refusal = "the export holds two files with this name; the first one was kept"
    if refusal is None:
        refusal = _size_refusal(collector, entry.declared_size, max_file, max_total)
    if refusal is None:
        limit = min(max_file, max_total - collector.total_bytes)
        try:
            data = entry.read(limit)
        except EntryTooLarge:
            refusal = _too_large(limit == max_file, max_file, max_total)
        except EntryRefused as error:
            refusal = str(error)
        else:
            collector.files[path] = data
            collector.total_bytes += len(data)
            return
    collector.problems.append(f"Refused {path}: {refusal}.")


def _size_refusal(collector: _Collector, declared: int, max_file: int, max_total: int) -> str | None:
    """Refusal from the declared size alone (checked before reading anything)."""
    if declared > max_file:
        return f"it is {describe_size(declared)}, over the {describe_size(max_file)} limit per file"
    if collector.total_bytes + declared > max_total:
        return _too_large(False, max_file, max_total)
    return None


def _too_large(per_file: bool, max_file: int, max_total: int) -> str:
    if per_file:
        return f"it is larger than the {describe_size(max_file)} limit per file"
    return f"your files together are larger than the {describe_size(max_total)} limit"


def _freeze(participant_id: int, collector: _Collector, is_group: bool) -> StudentSubmission:
    problems = list(collector.problems)
    for plugin in sorted(collector.ignored_plugins):
        problems.append(f"Ignored what was submitted with the '{plugin}' plugin; only uploaded files are graded.")
    if collector.online_text and not collector.files:
        problems.append("Only online text was submitted; the autograder grades uploaded files, not online text.")
    return StudentSubmission(
        participant_id=participant_id,
        name=collector.name,
        files=dict(sorted(collector.files.items())),
        online_text=collector.online_text,
        problems=problems,
        is_group=is_group,
    )


def _describe_unmatched(top: str, reasons: list[str]) -> str:
    count = f"{len(reasons)} file" if len(reasons) == 1 else f"{len(reasons)} files"
    return f"{top} ({count}): {'; '.join(sorted(set(reasons)))}"
