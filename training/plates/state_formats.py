"""Build the shape -> state table used by dearjohn.plates.states.

    python training/plates/state_formats.py

Counts letter/digit shapes per state on the TRAINING split of the crops set
and keeps a shape only when one state holds at least `--min-share` of it and
it was seen at least `--min-count` times. Reports how often the held-back
crops get a state and how often that state is right, and where the format
prior's two tiers disagree with the training plates: shapes mixing letters
with two or more digits on four or more training plates that are not in
COMMON_SHAPES, and COMMON_SHAPES on fewer than four.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from common import CROPS_DIR, is_held_back  # noqa: E402
from dearjohn.plates.formats import COMMON_SHAPES, plate_key, shape  # noqa: E402

COMMON_MIN_PLATES = 4  # training plates a shape needs to be in the prior's common tier


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-share", type=float, default=0.8)
    ap.add_argument("--min-count", type=int, default=10,
                    help="fewest training plates of a shape before it names a state (at 5, Wyoming, Massachusetts and Texas shapes "
                         "named the wrong state for misread plates of other states)")
    ap.add_argument("--out", default=str(Path(__file__).parents[2] / "src/dearjohn/plates/models/state_by_shape.json"))
    args = ap.parse_args(argv)
    rows = list(csv.DictReader(open(CROPS_DIR / "labels.csv")))
    by_shape = defaultdict(Counter)
    for r in rows:
        if not is_held_back(r["file"]):
            by_shape[shape(plate_key(r["plate"]))][r["state"]] += 1
    table = {}
    for s, counts in by_shape.items():
        state, n = counts.most_common(1)[0]
        total = sum(counts.values())
        if total >= args.min_count and n / total >= args.min_share:
            table[s] = {"state": state, "share": round(n / total, 3), "seen": total}
    held = [r for r in rows if is_held_back(r["file"])]
    named = [(table[shape(plate_key(r["plate"]))]["state"], r["state"]) for r in held if shape(plate_key(r["plate"])) in table]
    right = sum(a == b for a, b in named)
    report = {
        "held_back": len(held),
        "named": len(named),
        "named_pct": round(100 * len(named) / len(held), 1),
        "accuracy_when_named_pct": round(100 * right / max(1, len(named)), 1),
    }
    print(json.dumps(table, indent=1))
    print(json.dumps(report))
    seen = {s: sum(c.values()) for s, c in by_shape.items()}
    frequent = {s for s, n in seen.items() if n >= COMMON_MIN_PLATES and s.count("D") >= 2 and "L" in s}
    print("frequent shapes not in COMMON_SHAPES:", {s: seen[s] for s in sorted(frequent - COMMON_SHAPES)} or "none")
    print("COMMON_SHAPES on too few training plates:", {s: seen.get(s, 0) for s in sorted(COMMON_SHAPES) if seen.get(s, 0) < COMMON_MIN_PLATES} or "none")
    Path(args.out).write_text(json.dumps({"shapes": table, "held_back_report": report, "min_share": args.min_share, "min_count": args.min_count}, indent=1))


if __name__ == "__main__":
    main()
