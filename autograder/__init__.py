"""The grading engine: Moodle in, isolated grading, Moodle out."""

__version__ = "0.1.0"
