"""One module per verb of `python -m autograder` (and of the Makefile): new, validate, assign,
demo, notebooks, otter, nbgrader, release, grade, bench. Each has `add_arguments(parser)` and `run(args) -> int`
and only wires the command line to the code that does the work; autograder.cli lists them."""
