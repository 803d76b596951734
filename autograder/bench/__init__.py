"""`make bench`: how fast the grader grades a class, measured against the naive way."""
