"""`python -m autograder <verb>`: see `python -m autograder --help`."""

import sys

from autograder.cli import main

sys.exit(main())
