"""`python -m dearjohn.plates PATH...` runs the plate reader's command line."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
