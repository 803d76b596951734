"""How `make plot` trains an assignment: the [plot] table of its settings, read and checked.

    [plot]
    data = "multiclass(seed=4, n=240, d=2, k=3)"      # a generator of checklib.data: (X, t)
    train = "gradient_descent(X, t, 3, alpha, num_epochs)"   # returns (parameters..., costs)
    alpha = 0.1                                        # numbers the calls may name
    num_epochs = 300
    predict = "predict(points, *parameters)"           # optional: decision regions (2 features)

Each call is written as Python but only read (`ast`), never run as code: a function name, and
arguments that are numbers, strings, or the names the call may use (train: X, t and the table's
own numbers; predict: points and *parameters, the trained parameters). So any signature works.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CALLS = ("data", "train", "predict")
TRAIN_NAMES = ("X", "t")
PREDICT_NAMES = ("points", "parameters")


@dataclass(frozen=True)
class Name:
    """An argument given by name (X, alpha, ...); starred: *parameters."""

    name: str
    starred: bool = False


@dataclass(frozen=True)
class Call:
    """function(arguments..., keyword=...), with Name arguments filled in when called."""

    function: str
    arguments: tuple[Any, ...] = ()
    keywords: tuple[tuple[str, Any], ...] = ()

    def __call__(self, function: Callable[..., Any], values: Mapping[str, Any]) -> Any:
        arguments: list[Any] = []
        for argument in self.arguments:
            if isinstance(argument, Name) and argument.starred:
                arguments += list(values[argument.name])
            else:
                arguments.append(values[argument.name] if isinstance(argument, Name) else argument)
        keywords = {key: values[value.name] if isinstance(value, Name) else value for key, value in self.keywords}
        return function(*arguments, **keywords)


def _argument(node: ast.expr, names: set[str], text: str) -> Any:
    if isinstance(node, ast.Starred) and isinstance(node.value, ast.Name) and node.value.id in names:
        return Name(node.value.id, starred=True)
    if isinstance(node, ast.Name) and node.id in names:
        return Name(node.id)
    try:
        return ast.literal_eval(node)
    except ValueError:
        allowed = f"a number, a string or one of {', '.join(sorted(names))}" if names else "a number or a string"
        raise ValueError(f"{text!r}: {ast.unparse(node)!r} is not {allowed}") from None


def parse_call(text: str, names: set[str]) -> Call:
    """The call written in text; ValueError, saying what is wrong, for anything else."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"{text!r} is not a call such as f(X, t, 0.1)") from None
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        raise ValueError(f"{text!r} is not a call of a function by its name, such as f(X, t, 0.1)")
    arguments = tuple(_argument(node, names, text) for node in tree.args)
    if any(keyword.arg is None for keyword in tree.keywords):
        raise ValueError(f"{text!r}: **keywords are not allowed")
    keywords = tuple((keyword.arg, _argument(keyword.value, names, text)) for keyword in tree.keywords)
    return Call(tree.func.id, arguments, keywords)


@dataclass(frozen=True)
class PlotSetup:
    """How the student's training is run for the picture."""

    data: Call  # a function of checklib.data returning (X, t)
    train: Call  # the student's training function, returning (parameters..., costs)
    predict: Call | None = None  # the student's labels for points, for the decision regions
    values: tuple[tuple[str, float], ...] = ()  # the numbers train may name: (("alpha", 0.1), ...)

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> PlotSetup:
        """The setup of a [plot] table; ValueError naming the key that is wrong."""
        for key in ("data", "train"):
            if not isinstance(table.get(key), str):
                raise ValueError(f"[plot] needs {key} = \"a call\" (see checklib/plot_setup.py)")
        values = {key: value for key, value in table.items() if key not in CALLS}
        wrong = [key for key, value in values.items() if isinstance(value, bool) or not isinstance(value, int | float)]
        if wrong:
            raise ValueError(f"[plot] {', '.join(wrong)}: besides {', '.join(CALLS)}, only numbers (such as alpha)")
        if "predict" in table and not isinstance(table["predict"], str):
            raise ValueError("[plot] predict must be a call such as \"predict(points, *parameters)\"")
        predict = parse_call(table["predict"], set(PREDICT_NAMES)) if "predict" in table else None
        return cls(parse_call(table["data"], set()), parse_call(table["train"], {*TRAIN_NAMES, *values}),
                   predict, tuple(values.items()))

    @property
    def alpha(self) -> float | None:
        return dict(self.values).get("alpha")
