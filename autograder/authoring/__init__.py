"""What a TA authors an assignment with, and the files generated from it.

    stubs.py     `make assign`: the student stubs, from the reference solutions
    demo.py      `python -m autograder demo`: the bundled demo class of each assignment
"""
