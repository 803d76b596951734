"""Reading a student's upload: which file to grade (a .py file, one inside a zip, or a notebook),
its text, and a notebook's module. One home, run in the submission's sandboxed child:

    intake.py           the child's side: read_upload(request) -> plain data the grader validates
    submission_file.py  choose_file: which of a student's files to grade, with a reason
    notebook.py         extract_module: a submitted .ipynb as module source, statically
    notebook_limits.py  the caps that bound reading a notebook

Nothing here is imported at package import: the sandbox's zygote loads intake.py alone, and the
notebook reader only when an upload may hold a notebook.
"""
