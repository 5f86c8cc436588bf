"""Where browser tests keep their screenshots.

The README's pictures in docs/ are refreshed only when asked
(`DEARJOHN_DOCS_SCREENSHOTS=1 make test`); otherwise screenshots go to a
temporary folder, so a test run leaves the tree clean.
"""

import os
import tempfile
from pathlib import Path

DOCS = (Path(__file__).resolve().parents[2] / "docs" if os.environ.get("DEARJOHN_DOCS_SCREENSHOTS")
        else Path(tempfile.mkdtemp(prefix="dearjohn-screens-")))
