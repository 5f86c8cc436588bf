"""Naming the issuing state, only when the evidence is strong.

The guess comes from the plate's letter/digit shape alone: a table, built
from the training split of the crops set (training/plates/state_formats.py),
of shapes that one state issues almost exclusively. Most shapes are shared by
several states, so most reads get no state (None) rather than a wrong one.
"""

from __future__ import annotations

import json
from pathlib import Path

from .formats import plate_key, shape

DEFAULT_TABLE = Path(__file__).parent / "models" / "state_by_shape.json"


class StateGuesser:
    """Maps a plate text to a two-letter lower-case state, or None when unsure."""

    def __init__(self, table: dict[str, str] | str | Path | None = None):
        if table is None:
            table = DEFAULT_TABLE
        if isinstance(table, (str, Path)):
            path = Path(table)
            table = {k: v["state"] for k, v in json.loads(path.read_text())["shapes"].items()} if path.exists() else {}
        self.table = dict(table)

    def guess(self, text: str) -> str | None:
        return self.table.get(shape(plate_key(text)))
