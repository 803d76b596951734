"""The opening cells every notebook shares: how to get the kit's checklib and public checks.

The kit here means the folder that holds `checklib/` and `tests/public/`: the student kit
that `make release` zips (`student-kit-<hw>.zip`, one folder inside), or this repository.
The setup cell finds it next to the notebook (`kit/`, or a `*kit*.zip` that it unpacks
into `kit/`) or above it (a notebook opened from inside the kit) and puts it on sys.path.
"""

from __future__ import annotations

GETTING_THE_KIT = """\
## Before you start: run the setup cell

The check cells use the student kit's `checklib` and public checks (its folders `checklib/`
and `tests/public/`; the kit is the zip `student-kit-....zip` from your course page).

- **On Colab:** open the Files panel (folder icon on the left), upload the kit's zip, then
  run the setup cell below (it unpacks the zip into `kit/`).
- **In Jupyter on your machine:** unpack the kit and open this notebook from inside it, or put
  the kit's zip (or the unpacked folder, named `kit`) next to this notebook. Then run the setup cell below.
"""

FIND_KIT = """\
# Setup: finds the kit (checklib/ and tests/public/) and puts it on the import path.
import sys
import zipfile
from pathlib import Path

archives = sorted(Path().glob("*kit*.zip"))
if archives and not Path("kit").is_dir():
    zipfile.ZipFile(archives[-1]).extractall("kit")
candidates = [Path("kit"), *sorted(Path("kit").glob("*")), Path.cwd(), *Path.cwd().parents]
kit = next((folder for folder in candidates if (folder / "checklib").is_dir()), None)
if kit is None:
    print("The kit was not found: see the instructions above, then run this cell again.")
elif str(kit.resolve()) not in sys.path:
    sys.path.insert(0, str(kit.resolve()))
"""
