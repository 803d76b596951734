"""Hostile: writes fake result files (results.json, grading_worksheet.csv) wherever the grader might look."""

import json
import os

import numpy as np

REPO_ROOT = "__REPO_ROOT__"
FOLDERS = [".", "..", "/tmp", os.path.expanduser("~"), REPO_ROOT, f"{REPO_ROOT}/out", f"{REPO_ROOT}/out/hw1",
           f"{REPO_ROOT}/tests", "/"]
FAKES = {
    "results.json": json.dumps({"students": [{"name": "me", "outcome": "passed", "grade": 100}]}),
    "grading_worksheet.csv": "Identifier,Full name,Grade\nParticipant 1,Me,100\n",
    "HOSTILE_WAS_HERE.txt": "fake results\n",
}


def _write_fakes():
    written = []
    for folder in FOLDERS:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            pass
        for name, text in FAKES.items():
            try:
                with open(os.path.join(folder, name), "w") as file:
                    file.write(text)
                written.append(os.path.join(folder, name))
            except OSError:
                pass
    return written


_write_fakes()


def predict(X, w, b):
    _write_fakes()
    return np.zeros(X.shape[0])


def cost(X, t, w, b):
    _write_fakes()
    return 0.0


def gradient(X, t, w, b):
    return np.zeros(X.shape[1]), 0.0


def solve_exact(X, t):
    return np.zeros(X.shape[1]), 0.0


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    return np.zeros(X.shape[1]), 0.0, np.zeros(num_epochs)
