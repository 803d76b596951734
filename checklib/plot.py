"""`make plot HW=hw1`: a picture of your training, saved as a PNG.

    python -m checklib.plot hw1        # writes plots/hw1_training.png and prints where it is

Your training function is run on a small synthetic data set (checklib.data) and the cost per
epoch is drawn; for a classification assignment, a second panel shows the decision regions of
your predict on that 2-D toy data set. How each assignment is trained is its settings' [plot]
table (checklib.plot_setup), so any signature works.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from checklib import data
from checklib.assignments import Assignment, find_assignment, listed_keys, say_which
from checklib.calls import describe_error
from checklib.loading import ImportFailed, impl_help, import_student_file, load_module, resolve_impl
from checklib.paths import KIT_ROOT, reference_file
from checklib.plot_setup import PlotSetup

PLOTS_DIR = "plots"
GRID_POINTS = 300  # per axis, for the decision regions
# Colors of the classes (matplotlib's "tab10", in turn), of your curve and boundary, and of the reference's.
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                "#17becf")
YOURS, REFERENCE = "#1f77b4", "#555555"
YOURS_BOUNDARY, REFERENCE_BOUNDARY = "#222222", "#d62728"
# A log cost axis only when the costs span more than this factor (else its ticks are unreadable).
LOG_SCALE_RANGE = 10.0


class NothingToPlot(Exception):
    """The student's code cannot produce the picture yet; the message says why."""


@dataclass(frozen=True)
class Trained:
    parameters: tuple  # what the training function returned before the costs
    costs: np.ndarray
    module: ModuleType


def _function(module: ModuleType, name: str) -> Callable[..., Any]:
    function = getattr(module, name, None)
    if not callable(function):
        raise NothingToPlot(f"your file has no function named {name}")
    return function


def _train(module: ModuleType, setup: PlotSetup, X: np.ndarray, t: np.ndarray) -> Trained:
    name = setup.train.function
    function = _function(module, name)
    try:
        result = setup.train(function, {"X": X, "t": t, **dict(setup.values)})
    except NotImplementedError:
        raise NothingToPlot(f"{name} is not implemented yet: there is no training to plot. "
                            "Finish it (make check tells you when it passes), then plot again.") from None
    except Exception as error:
        info = describe_error(error, getattr(module, "__file__", None))
        where = f" (at {info.where})" if info.where else ""
        raise NothingToPlot(f"{name} raised {info.type_name}: {info.message}{where}") from None
    if not isinstance(result, tuple | list) or len(result) < 2:
        raise NothingToPlot(f"{name} should return its parameters, then the costs; it returned {type(result).__name__}")
    return Trained(tuple(result[:-1]), np.asarray(result[-1], dtype=np.float64).ravel(), module)


def _draw_costs(axes: Any, setup: PlotSetup, yours: Trained, reference: Trained | None) -> None:
    epochs = np.arange(len(yours.costs))
    axes.plot(epochs, yours.costs, color=YOURS, linewidth=2.2, label=f"your cost (last: {_last(yours.costs)})")
    if reference is not None:
        axes.plot(np.arange(len(reference.costs)), reference.costs, color=REFERENCE, linewidth=1.6,
                  linestyle="--", label=f"reference (last: {_last(reference.costs)})")
    values = yours.costs[np.isfinite(yours.costs)]
    if values.size and values.min() > 0 and values.max() / values.min() > LOG_SCALE_RANGE:
        axes.set_yscale("log")
    axes.set_xlabel("epoch")
    axes.set_ylabel("cost J before the update")
    axes.set_title("Training curve" + (f" (learning rate {setup.alpha:g})" if setup.alpha is not None else ""))
    axes.grid(True, which="major", alpha=0.35)
    axes.legend(frameon=False)


def _last(costs: np.ndarray) -> str:
    return f"{costs[-1]:.4g}" if costs.size else "none"


def _grid(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    low, high = X.min(axis=0) - 0.7, X.max(axis=0) + 0.7
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], GRID_POINTS), np.linspace(low[1], high[1], GRID_POINTS))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _predict(setup: PlotSetup, trained: Trained, points: np.ndarray) -> np.ndarray:
    name = setup.predict.function
    function = _function(trained.module, name)
    try:
        labels = setup.predict(function, {"points": points, "parameters": trained.parameters})
        return np.asarray(labels).astype(int).ravel()
    except NotImplementedError:
        raise NothingToPlot(f"{name} is not implemented yet: no decision regions to draw") from None
    except Exception as error:
        info = describe_error(error, getattr(trained.module, "__file__", None))
        raise NothingToPlot(f"{name} raised {info.type_name}: {info.message}") from None


def _draw_regions(axes: Any, setup: PlotSetup, X: np.ndarray, t: np.ndarray, yours: Trained,
                  reference: Trained | None) -> None:
    classes = int(np.max(t)) + 1
    colors = [CLASS_COLORS[label % len(CLASS_COLORS)] for label in range(classes)]
    xx, yy, points = _grid(X)
    regions = _predict(setup, yours, points)
    if regions.size != points.shape[0]:
        raise NothingToPlot(f"predict returned {regions.size} labels for {points.shape[0]} points")
    levels = np.arange(classes + 1) - 0.5
    axes.contourf(xx, yy, regions.reshape(xx.shape), levels=levels, cmap=ListedColormap(colors), alpha=0.22)
    axes.contour(xx, yy, regions.reshape(xx.shape), levels=levels[1:-1], colors=YOURS_BOUNDARY, linewidths=1.2)
    handles = [Line2D([], [], color=YOURS_BOUNDARY, linewidth=1.2, label="your boundary")]
    if reference is not None:
        axes.contour(xx, yy, _predict(setup, reference, points).reshape(xx.shape), levels=levels[1:-1],
                     colors=REFERENCE_BOUNDARY, linestyles="--", linewidths=1.4)
        handles.append(Line2D([], [], color=REFERENCE_BOUNDARY, linestyle="--", label="reference boundary"))
    for label, color in enumerate(colors):
        mine = t == label
        axes.scatter(X[mine, 0], X[mine, 1], s=22, color=color, edgecolors="white", linewidths=0.5,
                     label=f"class {label}")
    accuracy = float(np.mean(_predict(setup, yours, X) == t))
    axes.set_title(f"Decision regions of your predict (training accuracy {accuracy:.0%})")
    axes.set_xlabel("feature x1")
    axes.set_ylabel("feature x2")
    axes.legend(handles=axes.get_legend_handles_labels()[0] + handles, loc="best", frameon=True,
                framealpha=0.85, fontsize=9)


def make_data(setup: PlotSetup) -> tuple[np.ndarray, np.ndarray]:
    """The toy data set (X, t) of the setup, from checklib.data."""
    generator = getattr(data, setup.data.function, None)
    if setup.data.function.startswith("_") or not callable(generator):
        raise ValueError(f"[plot] data: checklib.data has no generator {setup.data.function!r}")
    return generator(*setup.data.arguments, **dict(setup.data.keywords))


def _reference(root: Path, assignment: Assignment, setup: PlotSetup, X: np.ndarray, t: np.ndarray) -> Trained | None:
    """The reference's training, drawn dashed, where its solutions/ folder is (the instructor's copy)."""
    path = reference_file(root, assignment)
    if not path.is_file():
        return None
    return _train(load_module(path, f"reference_{assignment.key}"), setup, X, t)


def make_plot(key: str, root: Path = KIT_ROOT, impl: str | None = None, out: Path | None = None) -> Path:
    """Train the student's module of assignment key, save the picture, return its path."""
    assignment = find_assignment(key, root)
    setup = assignment.plot
    if setup is None:
        raise NothingToPlot(f"{assignment.key} has no training to plot (its settings have no [plot] table)")
    path = resolve_impl(impl, assignment, root)
    module = import_student_file(path)
    if isinstance(module, ImportFailed):
        raise NothingToPlot(module.describe())
    X, t = make_data(setup)
    yours = _train(module, setup, X, t)
    reference = _reference(root, assignment, setup, X, t)
    panels = 2 if setup.predict is not None else 1
    figure = Figure(figsize=(6.4 * panels, 4.8), layout="constrained")
    axes = figure.subplots(1, panels, squeeze=False)[0]
    figure.suptitle(f"{assignment.key}: {assignment.title}", fontsize=14, fontweight="bold")
    _draw_costs(axes[0], setup, yours, reference)
    if setup.predict is not None:
        _draw_regions(axes[1], setup, X, t, yours, reference)
    out = out or root / PLOTS_DIR / f"{assignment.key}_training.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=110)
    return out


def _shown(path: Path) -> Path:
    """path relative to the current folder when it is inside it (shorter to read)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checklib.plot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="all", help=f"which one: {listed_keys()}")
    parser.add_argument("--impl", default=None, help=impl_help("what to plot"))
    parser.add_argument("--out", type=Path, default=None, help="where to save the PNG")
    args = parser.parse_args(argv)
    if args.assignment == "all":
        print(say_which("plot"), file=sys.stderr)
        return 2
    try:
        out = make_plot(args.assignment, impl=args.impl, out=args.out)
    except (KeyError, FileNotFoundError, ValueError) as error:  # ValueError: the assignment's own settings
        print(f"error: {error.args[0] if isinstance(error, KeyError) else error}", file=sys.stderr)
        return 2
    except NothingToPlot as reason:
        print(f"Nothing to plot yet: {reason}", file=sys.stderr)
        return 1
    print(f"Saved your training plot to {_shown(out)}\n"
          "Open it with any image viewer (or click it in your file browser).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
