import sys

from dearjohn.site.cli import main

sys.exit(main())
