"""Is this Python the kit's environment? Which package is missing, and how to install it.

    python -m checklib.environment numpy pytest   # exit 1, with what to do, when one is missing

Standard library only, so that it can speak before anything else fails to import. The kit's
packages are the ones its requirements.txt names (`make setup` installs them into .venv).
"""

from __future__ import annotations

import importlib.util
import re
import sys

from checklib.paths import KIT_ROOT

# In the student kit, requirements.txt sits next to checklib/; in the instructor's repository, in kit/.
REQUIREMENTS_FILES = (KIT_ROOT / "requirements.txt", KIT_ROOT / "kit" / "requirements.txt")
_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def kit_packages() -> tuple[str, ...]:
    """The packages the kit's requirements.txt installs ("numpy", "torch", ...)."""
    for path in REQUIREMENTS_FILES:
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return tuple(match.group(1).lower() for line in lines
                         if not line.lstrip().startswith("#") and (match := _NAME.match(line)))
    return ()


def is_installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def missing_packages(packages: tuple[str, ...] | list[str]) -> list[str]:
    return [package for package in packages if not is_installed(package)]


def missing_package_message(package: str) -> str:
    """What to tell a student whose Python lacks package: which one, and how to install it."""
    return (f"the package {package} is not installed in the Python that runs the checks ({sys.executable}). "
            "In the kit's folder, run `make setup` once (it installs numpy, torch, pytest and matplotlib into "
            ".venv), then use `make check`, or activate the environment before running pytest "
            "(`source .venv/bin/activate`; on Windows `.venv\\Scripts\\activate`). "
            "To use your own environment instead: `python -m pip install -r requirements.txt`")


def missing_kit_package(error: BaseException) -> str | None:
    """The kit's package that error (raised by an import) says is missing, or None.

    A module the kit does not install (a typo, pandas) is the student's file's problem, not the
    environment's: None.
    """
    name = getattr(error, "name", None)
    if not isinstance(error, ModuleNotFoundError) or not isinstance(name, str):
        return None
    top = name.split(".")[0].lower()
    return top if top in kit_packages() and not is_installed(top) else None


def main(argv: list[str] | None = None) -> int:
    wanted = (argv if argv is not None else sys.argv[1:]) or list(kit_packages())
    missing = missing_packages(wanted)
    for package in missing:
        print(f"Cannot run yet: {missing_package_message(package)}.", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
