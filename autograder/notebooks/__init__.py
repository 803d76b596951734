"""The assignments as notebooks, generated from the same single source as the `.py` kit
(the reference solutions in solutions/ and the checks in tests/). A submitted notebook is read
back as a module by autograder.upload.notebook.

    source.py          a solution module as data: docstring, imports, functions and stubs
    markdown.py        docstrings as Markdown, formulas typeset with the LaTeX of the assignment's settings
    checkplan.py       which checks go with which graded function
    ipynb.py           notebook files written byte for byte the same from the same source
    kit_setup.py       the shared opening cells: how to get the kit on Colab or Jupyter
    build.py           `make notebooks`: the student notebooks
    otter.py           `make otter`: otter-grader master notebooks; otter_build.py runs otter
    nbgrader.py        `make nbgrader`: the nbgrader course folder; nbgrader_build.py runs nbgrader
    exports.py         every committed export as path -> text (written by the CLIs, checked for drift)
"""
