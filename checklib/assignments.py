"""The kit's assignments: short names, module names and graded functions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assignment:
    key: str  # "hw1"
    module: str  # "hw1_linear_regression"
    title: str
    functions: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"{self.module}.py"


ASSIGNMENTS: dict[str, Assignment] = {
    assignment.key: assignment
    for assignment in (
        Assignment("hw1", "hw1_linear_regression", "Linear regression",
                   ("predict", "cost", "gradient", "solve_exact", "gradient_descent")),
        Assignment("hw2", "hw2_logistic_regression", "Logistic regression",
                   ("sigmoid", "predict_proba", "cost", "gradient", "gradient_descent", "predict")),
        Assignment("hw3", "hw3_softmax_regression", "Softmax regression",
                   ("softmax", "one_hot", "predict_proba", "cost", "gradient", "gradient_descent",
                    "predict", "torch_cost", "train_torch")),
    )
}


def find_assignment(name: str) -> Assignment:
    """The assignment called name: its key ("hw1"), module name or file name."""
    stem = name.removesuffix(".py")
    for assignment in ASSIGNMENTS.values():
        if stem in (assignment.key, assignment.module):
            return assignment
    known = ", ".join(ASSIGNMENTS)
    raise KeyError(f"unknown assignment {name!r}; the kit has {known}")
