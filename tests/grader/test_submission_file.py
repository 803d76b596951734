"""choose_file: which submitted file gets graded, and the sentence that tells the student why."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from autograder.upload.submission_file import MAX_PARSED_FILE_BYTES, MAX_PARSED_TOTAL_BYTES, choose_file

MODULE_NAME = "hw1_linear_regression.py"
FUNCTIONS = ["fit", "predict", "loss", "gradient"]
ALL_FOUR = b"def fit(X, y): ...\ndef predict(X, w): ...\ndef loss(y, t): ...\ndef gradient(X, y, w): ...\n"
TWO = b"def fit(X, y): ...\npredict = lambda X, w: X @ w\n"
NOTEBOOK = b'{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


# Rule 1: the exact name


def test_the_exact_file_name_wins() -> None:
    choice = choose_file({MODULE_NAME: ALL_FOUR, "other.py": ALL_FOUR}, MODULE_NAME, FUNCTIONS)
    assert (choice.path, choice.kind, choice.source) == (MODULE_NAME, "module", ALL_FOUR.decode())
    assert choice.reason == "Graded hw1_linear_regression.py. Not graded: other.py."


def test_the_exact_name_is_case_insensitive_and_shallowest_first() -> None:
    files = {"a/b/hw1_linear_regression.py": b"deep = 1\n", "work/HW1_Linear_Regression.py": TWO}
    choice = choose_file(files, MODULE_NAME, FUNCTIONS)
    assert choice.path == "work/HW1_Linear_Regression.py" and choice.source == TWO.decode()
    assert choice.reason == "Graded work/HW1_Linear_Regression.py. Not graded: a/b/hw1_linear_regression.py."


def test_a_utf8_bom_is_accepted_and_removed() -> None:
    with_bom = "\ufeff# שלום\nx = 1\n".encode()
    choice = choose_file({MODULE_NAME: with_bom}, MODULE_NAME, FUNCTIONS)
    assert choice.source == "# שלום\nx = 1\n"


def test_a_file_that_is_not_utf8_gives_a_reason_instead_of_a_source() -> None:
    choice = choose_file({MODULE_NAME: b"# \xe9t\xe9\nx = 1\n"}, MODULE_NAME, FUNCTIONS)
    assert choice.source is None and choice.kind is None and choice.path == MODULE_NAME
    assert "not UTF-8" in choice.reason


# Rule 2: the exact name inside an uploaded zip


def test_the_exact_name_inside_an_uploaded_zip() -> None:
    upload = zip_bytes([("hw1/helpers.py", b"x = 1\n"), ("hw1/hw1_linear_regression.py", ALL_FOUR)])
    choice = choose_file({"hw1.zip": upload, "my_try.py": TWO}, MODULE_NAME, FUNCTIONS)
    assert choice.path == "hw1.zip:hw1/hw1_linear_regression.py" and choice.source == ALL_FOUR.decode()
    assert choice.reason == ("Graded hw1/hw1_linear_regression.py from hw1.zip. "
                             "Not graded: my_try.py, hw1.zip:hw1/helpers.py.")


def test_unsafe_entries_inside_an_uploaded_zip_are_skipped() -> None:
    upload = zip_bytes([("../hw1_linear_regression.py", ALL_FOUR), ("solution.py", TWO)])
    choice = choose_file({"hw1.zip": upload}, MODULE_NAME, FUNCTIONS)
    assert choice.path == "hw1.zip:solution.py"
    assert "Ignored hw1.zip:../hw1_linear_regression.py: its path contains '..'." in choice.reason


def test_a_damaged_inner_zip_is_a_reason_not_a_crash() -> None:
    choice = choose_file({"hw1.zip": b"PK\x03\x04 not really a zip"}, MODULE_NAME, FUNCTIONS)
    assert choice.source is None and choice.path is None
    assert choice.reason.startswith("No Python file could be read (submitted: hw1.zip). hw1.zip could not be opened")


def test_inner_zip_entries_over_the_cap_are_skipped() -> None:
    upload = zip_bytes([("hw1_linear_regression.py", ALL_FOUR + b"#" * 5000)])
    choice = choose_file({"hw1.zip": upload}, MODULE_NAME, FUNCTIONS, max_file_bytes=1000)
    assert choice.source is None
    assert "Ignored hw1.zip:hw1_linear_regression.py: it is 5.1 kB unpacked, over the 1.0 kB limit." in choice.reason


# Rule 3: a notebook


def test_a_notebook_named_after_the_module() -> None:
    files = {"scratch.ipynb": NOTEBOOK, "HW1_linear_regression_final.ipynb": NOTEBOOK, "utils.py": b"x = 1\n"}
    choice = choose_file(files, MODULE_NAME, FUNCTIONS)
    assert (choice.kind, choice.path) == ("notebook", "HW1_linear_regression_final.ipynb")
    assert choice.source == NOTEBOOK.decode()
    assert choice.reason == (
        "No file named hw1_linear_regression.py; graded the notebook HW1_linear_regression_final.ipynb. "
        "Not graded: scratch.ipynb, utils.py."
    )


def test_the_only_notebook() -> None:
    choice = choose_file({"my work.ipynb": NOTEBOOK, "data.csv": b"1,2"}, MODULE_NAME, FUNCTIONS)
    assert (choice.kind, choice.path) == ("notebook", "my work.ipynb")
    assert choice.reason.endswith("graded 'my work.ipynb', the only notebook.")  # not a plain name: quoted


def test_the_only_notebook_yields_to_a_python_file_that_defines_the_functions() -> None:
    choice = choose_file({"experiments.ipynb": NOTEBOOK, "solution.py": TWO}, MODULE_NAME, FUNCTIONS)
    assert (choice.kind, choice.path) == ("module", "solution.py")


# Rule 4: the Python file that defines the most


def test_the_only_python_file() -> None:
    choice = choose_file({"my_hw.py": b"x = 1\n", "report.pdf": b"%PDF"}, MODULE_NAME, FUNCTIONS)
    assert (choice.kind, choice.path) == ("module", "my_hw.py")
    assert choice.reason == "No file named hw1_linear_regression.py; graded my_hw.py, the only Python file."


def test_the_file_defining_the_most_functions_wins() -> None:
    files = {"a.py": TWO, "b.py": ALL_FOUR, "notes/c.py": b"import numpy\n"}
    choice = choose_file(files, MODULE_NAME, FUNCTIONS)
    assert choice.path == "b.py"
    assert "graded b.py, which defines 4 of the 4 required functions" in choice.reason


def test_only_a_bounded_amount_of_python_is_parsed_to_choose() -> None:
    padding = b"#" * (MAX_PARSED_FILE_BYTES - len(ALL_FOUR) - 1) + b"\n"
    files = {f"{index}.py": TWO + padding for index in range(MAX_PARSED_TOTAL_BYTES // MAX_PARSED_FILE_BYTES)}
    files |= {"z.py": ALL_FOUR + padding, "bomb.py": b"x = f'" + b"{x}" * 400_000 + b"'\n"}
    choice = choose_file(files, MODULE_NAME, FUNCTIONS)
    assert choice.path is None  # z.py, beyond the budget, defines nothing as far as the grader knows
    assert "bomb.py was not read to choose the file to grade: it is 1.2 MB, over the 100.0 kB" in choice.reason
    assert "z.py was not read to choose the file to grade: the grader reads at most 300.0 kB" in choice.reason


def test_files_inside_zips_compete_too() -> None:
    choice = choose_file({"a.py": TWO, "sub.zip": zip_bytes([("b.py", ALL_FOUR)])}, MODULE_NAME, FUNCTIONS)
    assert choice.path == "sub.zip:b.py"


def test_a_tie_is_no_choice_and_lists_the_candidates() -> None:
    choice = choose_file({"a.py": TWO, "b.py": TWO}, MODULE_NAME, FUNCTIONS)
    assert choice.source is None and choice.path is None and choice.kind is None
    assert "a.py, b.py each define 2 of the 4 required functions" in choice.reason


def test_no_file_defining_anything_is_no_choice() -> None:
    choice = choose_file({"a.py": b"x = 1\n", "b.py": b"y = 2\n"}, MODULE_NAME, FUNCTIONS)
    assert choice.source is None
    assert "none of the Python files defines fit, predict, loss, gradient (found: a.py, b.py)" in choice.reason


def test_a_syntax_error_defines_nothing() -> None:
    broken = b"def fit(X, y):\n    return (\ndef predict(): pass\n"
    choice = choose_file({"broken.py": broken, "ok.py": b"def loss(y, t): ...\n"}, MODULE_NAME, FUNCTIONS)
    assert choice.path == "ok.py"


def test_a_lone_file_with_a_syntax_error_is_chosen_so_the_error_gets_reported() -> None:
    broken = b"def fit(X, y):\n    return (\n"
    choice = choose_file({"broken.py": broken}, MODULE_NAME, FUNCTIONS)
    assert (choice.path, choice.source) == ("broken.py", broken.decode())


def test_nothing_is_ever_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').write('x')\ndef fit(X, y): ...\n".encode()
    choose_file({"a.py": payload, "b.py": b"def predict(): ...\nimport os\n"}, MODULE_NAME, FUNCTIONS)
    assert not marker.exists()


def test_no_python_file_lists_what_was_submitted() -> None:
    choice = choose_file({"report.pdf": b"%PDF", "__MACOSX/._report.pdf": b"junk"}, MODULE_NAME, FUNCTIONS)
    assert (choice.source, choice.path, choice.kind) == (None, None, None)
    assert choice.reason == "No Python file found (submitted: report.pdf)."


def test_an_empty_submission() -> None:
    assert choose_file({}, MODULE_NAME, FUNCTIONS).reason == "No files were submitted."


def test_macos_and_jupyter_debris_is_ignored() -> None:
    files = {
        "__MACOSX/._hw1_linear_regression.py": b"\x00\x05\x16\x07",
        "._hw1_linear_regression.py": b"\x00\x05\x16\x07",
        ".ipynb_checkpoints/hw1-checkpoint.ipynb": NOTEBOOK,
        "hw1.ipynb": NOTEBOOK,
    }
    choice = choose_file(files, MODULE_NAME, FUNCTIONS)
    assert (choice.kind, choice.path) == ("notebook", "hw1.ipynb")


def test_a_python_file_in_the_encoding_it_declares_is_decoded_and_declared_utf8():
    source = "# -*- coding: cp1255 -*-\n# שלום\ndef predict(X, w, b):\n    return 'כן'\n"
    choice = choose_file({MODULE_NAME: source.encode("cp1255")}, MODULE_NAME, FUNCTIONS)
    assert choice.source == source.replace("cp1255", "utf-8")


def test_a_python_file_that_is_not_utf8_and_declares_nothing_is_refused_with_a_reason():
    choice = choose_file({MODULE_NAME: "# café\nx = 1\n".encode("latin-1")}, MODULE_NAME, FUNCTIONS)
    assert choice.source is None and "is not UTF-8 text" in choice.reason
