import numpy as np

from dearjohn.plates.ctc import beam_search, greedy

ALPHABET = "AB1"


def _probs(rows):
    p = np.array(rows, dtype=np.float32)
    return p / p.sum(axis=1, keepdims=True)


def test_beam_returns_alternatives_with_probabilities():
    # steps: A (sure), blank, then 1 or B (uncertain)
    probs = _probs([[0.01, 0.97, 0.01, 0.01], [0.97, 0.01, 0.01, 0.01], [0.02, 0.01, 0.37, 0.6]])
    out = beam_search(probs, ALPHABET, top_n=3)
    texts = [t for t, _ in out]
    assert texts[0] == "A1"
    assert "AB" in texts
    assert all(0 <= p <= 1 for _, p in out)
    assert out[0][1] >= out[1][1]


def test_beam_merges_repeats_and_blanks_like_greedy():
    probs = _probs([[0.01, 0.97, 0.01, 0.01], [0.01, 0.97, 0.01, 0.01], [0.97, 0.01, 0.01, 0.01], [0.01, 0.97, 0.01, 0.01]])
    assert greedy(probs, ALPHABET) == "AA"
    assert beam_search(probs, ALPHABET)[0][0] == "AA"
