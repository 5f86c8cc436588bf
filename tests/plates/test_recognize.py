"""The recognizer alone: plate crops in, readings with probabilities out."""

import numpy as np
import pytest

from dearjohn.plates import CTCPlateRecognizer

from .conftest import render_plate


def _crops(*texts):
    return [np.asarray(render_plate(t, width=160))[:, :, ::-1].copy() for t in texts]


def test_it_reads_plate_crops_best_first():
    readings = CTCPlateRecognizer().read(_crops("KDX5821", "4GLS168"), top_n=3)
    assert [r[0][0] for r in readings] == ["KDX5821", "4GLS168"]
    for r in readings:
        assert all(a[1] >= b[1] for a, b in zip(r, r[1:]))


def test_the_shipped_models_read_as_an_ensemble_giving_each_reading_its_mean_probability():
    crops = _crops("7TRK392", "AB12C3")
    ensemble = CTCPlateRecognizer()
    assert len(ensemble.model_paths) >= 2, "the reader ships several recognizer models"
    singles = [CTCPlateRecognizer(path) for path in ensemble.model_paths]
    first, second = (s.probabilities(crops)[0] for s in singles[:2])
    assert not np.allclose(first, second, atol=1e-3), "the models learned differently"
    single_reads = [s.read(crops, top_n=10) for s in singles]
    for k, readings in enumerate(ensemble.read(crops, top_n=3)):
        expected = {}
        for reads in single_reads:
            for text, p in reads[k]:
                expected[text] = expected.get(text, 0.0) + p / len(singles)
        best = sorted(expected.items(), key=lambda r: -r[1])[:3]
        assert [t for t, _ in readings] == [t for t, _ in best]
        assert [p for _, p in readings] == pytest.approx([p for _, p in best])


def test_one_model_file_can_be_named_alone(tmp_path):
    ensemble = CTCPlateRecognizer()
    alone = CTCPlateRecognizer(str(ensemble.model_paths[0]))
    assert alone.model_paths == [ensemble.model_paths[0]]
    with pytest.raises(Exception, match="missing.onnx"):
        CTCPlateRecognizer(tmp_path / "missing.onnx").read(_crops("ABC123"))


def test_the_8_bit_recognizers_read_what_the_trained_ones_read():
    crops = _crops("KDX5821", "4GLS168", "7TRK392", "AB12C3")
    quantized, trained = CTCPlateRecognizer("int8"), CTCPlateRecognizer("float")
    assert [p.name for p in quantized.model_paths] == [p.name.replace(".onnx", "_int8.onnx") for p in trained.model_paths]
    assert [r[0][0] for r in quantized.read(crops)] == [r[0][0] for r in trained.read(crops)] == ["KDX5821", "4GLS168", "7TRK392", "AB12C3"]
    assert not np.allclose(quantized.probabilities(crops)[0], trained.probabilities(crops)[0], atol=1e-6), "two different files"



def test_the_8_bit_recognizers_are_as_sure_as_the_trained_ones():
    """The softmax stays in floats: with it in 8 bits no plate's probability passed 0.88."""
    crops = _crops("KDX5821", "7TRK392", "AB12C3")
    quantized, trained = CTCPlateRecognizer("int8").read(crops), CTCPlateRecognizer("float").read(crops)
    assert max(r[0][1] for r in trained) > 0.95
    assert [r[0][1] for r in quantized] == pytest.approx([r[0][1] for r in trained], abs=0.03)
