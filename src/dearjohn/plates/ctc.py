"""CTC decoding that keeps alternatives: prefix beam search over per-step scores.

A recognizer emits, for every time step, a probability per character plus
"blank". The probability of a text is the sum over all alignments that
collapse to it; the beam keeps the most likely texts, which become the
plate's candidates.
"""

from __future__ import annotations

import numpy as np


def beam_search(probs: np.ndarray, alphabet: str, beam_width: int = 12, top_n: int = 5, prune: float = 5e-3) -> list[tuple[str, float]]:
    """Return up to `top_n` (text, probability) pairs, most likely first.

    `probs` is T x (1 + len(alphabet)) with column 0 the blank. Characters
    below `prune` at a step are skipped (they cannot change the top texts).
    """
    rows = probs.tolist()  # plain floats: the loop below is pure Python
    steps: list[list[tuple[str, float]]] = [[] for _ in rows]
    at, chars = np.nonzero(probs[:, 1:] > prune)  # the characters each step can still add
    for t, k in zip(at.tolist(), chars.tolist()):
        steps[t].append((alphabet[k], rows[t][1 + k]))
    column = {c: 1 + k for k, c in enumerate(alphabet)}
    # prefix -> (p ending in blank, p ending in non-blank)
    beams: dict[str, tuple[float, float]] = {"": (1.0, 0.0)}
    for row, step in zip(rows, steps):
        blank = row[0]
        if not step:
            # a (near-)pure blank step: every prefix just continues, ending in blank
            # (the tiny chance of repeating its last character is dropped)
            beams = {k: ((pb + pnb) * blank, 0.0) for k, (pb, pnb) in beams.items()}
            continue
        nxt: dict[str, list[float]] = {}
        for prefix, (pb, pnb) in beams.items():
            total = pb + pnb
            e = nxt.setdefault(prefix, [0.0, 0.0])
            e[0] += total * blank
            last = prefix[-1] if prefix else None
            if last is not None:
                # repeat of the last character without a blank in between stays the same prefix
                e[1] += pnb * row[column[last]]
            for c, p in step:
                e2 = nxt.setdefault(prefix + c, [0.0, 0.0])
                e2[1] += (pb if c == last else total) * p
        ranked = sorted(nxt.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:beam_width]
        beams = {k: (v[0], v[1]) for k, v in ranked}
    out = sorted(((k, v[0] + v[1]) for k, v in beams.items()), key=lambda kv: -kv[1])
    return [(k, float(p)) for k, p in out[:top_n]]


def greedy(probs: np.ndarray, alphabet: str) -> str:
    best = probs.argmax(axis=1)
    out, prev = [], 0
    for k in best:
        if k != prev and k != 0:
            out.append(alphabet[k - 1])
        prev = k
    return "".join(out)
