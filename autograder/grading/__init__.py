"""`make grade`: grade a whole Moodle class, then write the files Moodle takes back."""
