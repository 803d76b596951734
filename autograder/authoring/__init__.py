"""What a TA authors an assignment with, and the files generated from it.

    settings.py      an assignment's settings file, solutions/<module>.toml, and how it is found
    stubs.py         the student stubs, from the reference solutions (solution markers)
    generated.py     `make assign`: every generated file of assignments/ (stubs, the kit's settings)
    demo.py          `make demo`: the bundled demo class of each assignment
    scaffold.py      `make new`: a new assignment's files, from templates/
    requirements.py  `make validate`: what an assignment must meet, each unmet one with its fix
"""
