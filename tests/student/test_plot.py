"""`make plot`: a PNG of the training curve (and decision regions for hw2 and hw3)."""

from __future__ import annotations

import pytest

from checklib.plot import NothingToPlot, make_plot

from .helpers import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("key", ["hw1", "hw2"])
def test_plot_writes_a_png_of_the_training(tmp_path, key):
    out = make_plot(key, root=REPO, impl="solutions", out=tmp_path / f"{key}.png")
    assert out == tmp_path / f"{key}.png"
    assert out.read_bytes().startswith(PNG_SIGNATURE)


def test_plot_explains_that_stubs_have_nothing_to_plot(tmp_path):
    with pytest.raises(NothingToPlot, match="gradient_descent is not implemented yet"):
        make_plot("hw1", root=REPO, impl="assignments", out=tmp_path / "hw1.png")
    assert not (tmp_path / "hw1.png").exists()
