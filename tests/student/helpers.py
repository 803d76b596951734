"""Helpers for the student-kit tests: copying the instructor tree, unpacking a kit, running
Python inside it with this test run's interpreter (the repo's .venv: nothing is installed)."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The folders a release is built from; a copy of them is a complete source tree.
SOURCE_FOLDERS = ("solutions", "assignments", "checklib", "kit", "tests/public", "tests/hidden")
SUBPROCESS_TIMEOUT = 300


def copy_source_tree(destination: Path) -> Path:
    """A copy of the folders a release needs, so that a test can change them freely."""
    for folder in SOURCE_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, destination / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination


def unpack(zip_path: Path, destination: Path) -> Path:
    """Unpack a kit; returns its top folder (student-kit-<label>)."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(destination)
        return destination / archive.namelist()[0].split("/")[0]


def run_python(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """python *args in folder, with this test run's Python (the repo's .venv): nothing is installed."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "HW_IMPL")}
    return subprocess.run([sys.executable, *args], cwd=folder, capture_output=True, text=True, env=env,
                          timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)


def use_reference(kit: Path, filename: str = "hw1_linear_regression.py") -> Path:
    """Put the reference module in the kit's assignments/, as a student who finished would."""
    target = kit / "assignments" / filename
    shutil.copyfile(REPO / "solutions" / filename, target)
    return target


def fresh_environment(folder: Path, blocked: Sequence[str] = ()) -> Path:
    """A new virtual environment in folder, as a student's after `pip install -r requirements.txt`:
    its packages are this run's (the repo's .venv, through a .pth file, so nothing is installed),
    but not the repository's own editable install, so `checklib` is found only where the kit is.
    The packages in blocked cannot be imported. Its bin/ has python and pytest; returns bin/."""
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   capture_output=True, timeout=SUBPROCESS_TIMEOUT)
    (own_site,) = [path for path in folder.glob("lib/python3*/site-packages")]
    lines = [*site.getsitepackages(), *(f"import sys; sys.modules[{name!r}] = None" for name in blocked)]
    (own_site / "kit_test_packages.pth").write_text("\n".join(lines) + "\n")
    bin_dir = folder / "bin"
    # The console script pytest, as pip writes it, for this environment's Python.
    script = (Path(sys.executable).parent / "pytest").read_text().split("\n", 1)[1]
    (bin_dir / "pytest").write_text(f"#!{bin_dir / 'python'}\n{script}")
    (bin_dir / "pytest").chmod(0o755)
    return bin_dir


def run_activated(folder: Path, bin_dir: Path, *command: str) -> subprocess.CompletedProcess:
    """command in folder, with the environment of bin_dir activated (first on PATH), as a student runs it."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "HW_IMPL", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    return subprocess.run(list(command), cwd=folder, capture_output=True, text=True, env=env,
                          timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)
