"""An assignment's settings file (autograder.authoring.settings), the kit's part of it
(checklib.assignments, checklib.plot_setup) and the scaffold (autograder.authoring.scaffold)."""

from __future__ import annotations

import tomllib

import pytest

from autograder.authoring.scaffold import ScaffoldError, module_name, scaffold
from autograder.authoring.settings import graded_functions, kit_settings_text, read_settings, settings_for
from checklib.assignments import SettingsError, assignment_from_table
from checklib.plot_setup import Call, Name, PlotSetup, parse_call


def test_a_call_is_read_with_its_names_numbers_and_star_arguments():
    call = parse_call("gradient_descent(X, t, 3, alpha, num_epochs=-2)", {"X", "t", "alpha"})
    assert call == Call("gradient_descent", (Name("X"), Name("t"), 3, Name("alpha")), (("num_epochs", -2),))
    assert parse_call("predict(points, *parameters)", {"points", "parameters"}).arguments == \
        (Name("points"), Name("parameters", starred=True))
    assert call(lambda *args, **kwargs: (args, kwargs), {"X": 1, "t": 2, "alpha": 0.5}) == \
        ((1, 2, 3, 0.5), {"num_epochs": -2})


@pytest.mark.parametrize(("text", "says"), [("train(X, y)", "'y' is not a number, a string or one of X, t"),
                                            ("X + t", "is not a call"), ("f(X)(t)", "is not a call"),
                                            ("f(**options)", "**keywords are not allowed")])
def test_a_call_that_is_not_plain_data_is_refused(text, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace("*", r"\*")):
        parse_call(text, {"X", "t"})


def test_plot_settings_need_data_and_train_and_take_numbers_besides():
    with pytest.raises(ValueError, match="needs train"):
        PlotSetup.from_table({"data": "binary(seed=1, n=10, d=2)"})
    with pytest.raises(ValueError, match="epochs: besides data, train, predict, only numbers"):
        PlotSetup.from_table({"data": "binary(n=10)", "train": "fit(X, t)", "epochs": "10"})
    assert PlotSetup.from_table({"data": "binary(n=10)", "train": "fit(X, t, alpha)", "alpha": 0.5}).alpha == 0.5


def test_the_kit_settings_say_what_is_missing_unknown_or_of_the_wrong_kind():
    with pytest.raises(SettingsError) as refused:
        assignment_from_table({"key": "hw4", "title": 4, "grading": {}}, "hw4.toml")
    message = str(refused.value)
    assert "module is missing" in message and "functions is missing" in message
    assert "unknown setting 'grading'" in message and "title must be a str" in message


def test_graded_functions_are_those_with_a_solution_region_in_file_order():
    source = ("def helper():\n    return 1\n\n\ndef b(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
              "\n\ndef a(x):\n    ### BEGIN SOLUTION\n    return -x\n    ### END SOLUTION\n")
    assert graded_functions(source) == ("b", "a")


def test_only_the_kit_table_reaches_the_kit():
    settings = settings_for("hw2")
    text = kit_settings_text(settings)
    kit = tomllib.loads(text)
    assert set(kit) == {"key", "module", "functions", "title", "overflow_hint", "plot"}
    assert kit["functions"] == list(settings.functions)
    assert settings.demo_mistakes and not any(mistake in text for mistake in settings.demo_mistakes)
    assert not any(formula in text for formula in settings.latex)


def test_a_settings_file_with_an_unknown_table_is_refused(tmp_path):
    settings = '[kit]\ntitle = "Net"\n\n[grade]\nmax_points = 1\n\n[demo]\nmistakes = "a"\n'
    (tmp_path / "hw4_net.toml").write_text(settings)
    with pytest.raises(SettingsError) as refused:
        read_settings(tmp_path / "hw4_net.toml")
    assert "unknown table [grade]" in str(refused.value) and "[demo] mistakes must be a list" in str(refused.value)


def test_scaffold_refuses_a_bad_key_or_an_existing_assignment_and_writes_nothing(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "hw4_old.py").write_text("")
    for key, says in (("hw_5", "no underscore"), ("hw4", "hw4 exists already")):
        with pytest.raises(ScaffoldError, match=says):
            scaffold(key, "Two-layer net", tmp_path)
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["hw4_old.py", "solutions"]
    assert module_name("hw4", "Two-layer net: ReLU & backprop!") == "hw4_two_layer_net_relu_backprop"
