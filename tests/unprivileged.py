"""Running a command as an ordinary user, as a TA on a laptop would, from tests that CI runs as root.

    command, why_not = as_unprivileged_user([sys.executable, "-c", code])   # why_not: None, or why it cannot
    subprocess.run(command, ...)

Run as root, the command runs as uid `UNPRIVILEGED_UID` (nobody) through `setpriv`, in a private mount
namespace (`unshare --mount`) where the folders this interpreter and the repository live in can
be reached by that user even when one of their parents cannot (pyenv under /root, mode 0700):
such a parent is covered, in that namespace only, with a tmpfs that holds just those folders.
Run by an ordinary user, the command runs as is. Files the user must write go in `shared_folder()`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from autograder.paths import REPO_ROOT

UNPRIVILEGED_UID = 65534  # nobody


def _blocked_parent(path: Path) -> tuple[Path, str] | None:
    """The first folder above path that others cannot pass through, and the name below it on path."""
    parts = path.parts
    for depth in range(1, len(parts)):
        folder = Path(*parts[:depth])
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder, parts[depth]
    return None


def _reachable_script() -> str:
    """Shell lines that make the interpreter and the repository reachable by others, in this mount namespace."""
    needed = {Path(os.path.realpath(path)) for path in (sys.base_prefix, sys.prefix, sys.executable, REPO_ROOT)}
    covers: dict[Path, set[str]] = {}
    for path in needed:
        if (blocked := _blocked_parent(path)) is not None:
            covers.setdefault(blocked[0], set()).add(blocked[1])
    lines = ["stash=/mnt", "mount -t tmpfs -o size=1m tmpfs /mnt"]  # private: nothing is left on the host
    for number, (folder, names) in enumerate(sorted(covers.items())):
        kept = {name: f'"$stash"/{number}-{shlex.quote(name)}' for name in sorted(names)}
        for name, place in kept.items():
            lines += [f"mkdir {place}", f"mount --bind {shlex.quote(str(folder / name))} {place}"]
        lines.append(f"mount -t tmpfs -o mode=0755,size=1m tmpfs {shlex.quote(str(folder))}")
        for name, place in kept.items():
            target = shlex.quote(str(folder / name))
            lines += [f"mkdir {target}", f"mount --bind {place} {target}"]
    return "\n".join(lines)


def as_unprivileged_user(command: list[str]) -> tuple[list[str], str | None]:
    """command as the unprivileged user; the reason it cannot run so here, or None."""
    if os.geteuid() != 0:
        return command, None
    missing = [tool for tool in ("unshare", "setpriv", "mount") if shutil.which(tool) is None]
    if missing or not os.path.isdir("/mnt"):
        return command, f"no {', '.join(missing) or '/mnt'} on this machine to become a second user"
    script = "\n".join([_reachable_script(),
                        f"exec setpriv --reuid={UNPRIVILEGED_UID} --regid={UNPRIVILEGED_UID} --clear-groups "
                        '"$@"'])
    return ["unshare", "--mount", "--propagation", "private", "bash", "-ec", script, "bash", *command], None


def shared_folder() -> Path:
    """A fresh folder in the temporary folder that the unprivileged user owns (the caller removes it)."""
    folder = Path(tempfile.mkdtemp(prefix="unprivileged-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(folder, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
    return folder
