"""Read untrusted zip archives into memory: entry names, unsafe paths, symlinks, size caps.

Used for Moodle's "Download all submissions" zip and for zips that students upload. Nothing is
ever extracted to disk. Callers get bytes, or an `EntryRefused` whose message says why (it is
written to be shown to a person).

    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            name = entry_name(info)
            reason = unsafe_path_reason(name) or symlink_reason(info)
            data = read_entry(archive, info, limit=5_000_000)   # raises EntryRefused
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from typing import BinaryIO

UTF8_NAME_FLAG = 0x800  # general purpose bit 11: the entry name is UTF-8
READ_CHUNK_BYTES = 64 * 1024

_FILE_TYPE_MASK = 0o170000
_SYMLINK_TYPE = 0o120000
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EntryRefused(Exception):
    """An archive entry or file that was not read; the message says why, for a person."""


class EntryTooLarge(EntryRefused):
    """Refused because of a size cap (declared or real size over the limit)."""


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author meant it, in NFC.

    Zip names without the UTF-8 flag are decoded by Python as cp437; many zippers (macOS,
    7-Zip, `zip` on Linux) write UTF-8 without setting the flag, so those names are re-decoded
    as UTF-8 when that works. `orig_filename` is used so that a NUL inside a name stays visible
    (and gets refused by `unsafe_path_reason`).
    """
    name = info.orig_filename
    if not info.flag_bits & UTF8_NAME_FLAG:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return unicodedata.normalize("NFC", name)


def path_parts(name: str) -> list[str]:
    """Split an archive path on `/` and `\\` (Windows zippers), dropping empty and `.` parts."""
    return [part for part in re.split(r"[/\\]", name) if part not in ("", ".")]


def unsafe_path_reason(name: str) -> str | None:
    """Why `name` is unsafe as a relative path, or None when it is fine.

    Unsafe: absolute (`/x`, `\\x`, `C:x`), a `..` part (also when written with backslashes),
    a drive-like part anywhere, or control characters (NUL, newline...).
    """
    if _CONTROL.search(name):
        return "its name contains control characters"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "it has an absolute path"
    for part in re.split(r"[/\\]", name):
        if part == "..":
            return "its path contains '..'"
        if _DRIVE.match(part):
            return "its path contains a drive letter"
    return None


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """True when the entry carries a Unix symbolic-link mode (its content is the link target)."""
    return (info.external_attr >> 16) & _FILE_TYPE_MASK == _SYMLINK_TYPE


def is_directory(name: str) -> bool:
    """True for directory entries (names ending with a slash or backslash)."""
    return name.endswith(("/", "\\"))


def describe_size(size: int) -> str:
    """A size for people: '512 bytes', '12.3 kB', '5.0 MB'."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.1f} kB"
    return f"{size} bytes"


def read_capped(stream: BinaryIO, limit: int) -> bytes:
    """Read the whole stream, but never more than `limit` bytes into memory.

    Raises EntryRefused as soon as the stream yields a byte past the limit, so a zip bomb
    (tiny declared size, huge real size) costs at most `limit` + one chunk of work.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(READ_CHUNK_BYTES, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise EntryTooLarge(f"it is larger than the {describe_size(limit)} limit")
        chunks.append(chunk)


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, refusing symlinks, declared sizes over `limit`, real sizes over `limit`,
    and entries that cannot be decompressed (damaged, encrypted, unknown compression)."""
    if is_symlink(info):
        raise EntryRefused("it is a symbolic link")
    if info.file_size > limit:
        raise EntryTooLarge(f"it is {describe_size(info.file_size)}, over the {describe_size(limit)} limit")
    try:
        with archive.open(info) as stream:
            return read_capped(stream, limit)
    except EntryRefused:
        raise
    except RuntimeError as error:  # zipfile raises RuntimeError for encrypted entries
        raise EntryRefused(f"it could not be read ({error})") from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise EntryRefused(f"it is damaged and could not be read ({error})") from None
