"""SpamModel: scoring, online updates and the model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from masthead.antispam.errors import ModelLoadError
from masthead.antispam.model import SpamModel
from masthead.antispam.samples import CommentSample
from masthead.antispam.storage import read_model_file
from masthead.antispam.training import train

from .conftest import ARTICLE, toy_corpus

SPAMMY = CommentSample("subscribe to my channel http://promo.example.biz", article_text=ARTICLE)
HAMMY = CommentSample("the council vote on cycle lanes was close", article_text=ARTICLE)


def test_spam_scores_above_ham(trained: SpamModel) -> None:
    assert trained.score(SPAMMY) > 0.8
    assert trained.score(HAMMY) < 0.2


def test_score_matches_predict_proba(trained: SpamModel, corpus) -> None:
    samples, _ = corpus
    batch = trained.predict_proba(samples[:10])
    single = np.array([trained.score(s) for s in samples[:10]])
    assert batch.shape == (10,)
    assert np.allclose(batch, single, atol=1e-9)


def test_thresholds_are_ordered_and_verdicts_follow_them(trained: SpamModel) -> None:
    assert 0.5 <= trained.threshold <= trained.discard_threshold < 1.0
    assert trained.verdict(trained.discard_threshold) == "discard"
    assert trained.verdict(trained.threshold) == "spam"
    assert trained.verdict(np.nextafter(trained.threshold, 0)) == "ham"


def test_metadata(trained: SpamModel) -> None:
    meta = trained.metadata
    assert meta["n_train"] == 60
    assert meta["version"].startswith("1.")
    assert meta["trained_at"]
    assert set(meta["evaluation"]) == {
        "precision", "recall", "f1", "roc_auc", "fpr", "recall_at_fpr_1pct", "n"
    }  # fmt: skip


def test_save_load_round_trip(tmp_path: Path, trained: SpamModel, corpus) -> None:
    samples, _ = corpus
    path = tmp_path / "m.mhspam"
    trained.save(path)
    loaded = SpamModel.load(path)
    assert np.array_equal(loaded.predict_proba(samples), trained.predict_proba(samples))
    assert loaded.metadata == trained.metadata
    assert loaded.config == trained.config


def test_round_trip_after_updates_keeps_the_decisions(tmp_path: Path, model: SpamModel) -> None:
    model.update([SPAMMY, HAMMY], [1, 0])
    path = tmp_path / "u.mhspam"
    model.save(path)
    loaded = SpamModel.load(path)
    assert loaded.n_updates == 2
    assert loaded.version.endswith("+2")
    assert loaded.score(SPAMMY) == model.score(SPAMMY)
    loaded.update([HAMMY], [0])
    model.update([HAMMY], [0])
    assert loaded.score(HAMMY) == pytest.approx(model.score(HAMMY), abs=1e-9)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="no model file here"):
        SpamModel.load(tmp_path / "absent.mhspam")


def test_not_a_model_file(tmp_path: Path) -> None:
    path = tmp_path / "x.mhspam"
    path.write_bytes(b"PK\x03\x04 definitely a zip and not ours")
    with pytest.raises(ModelLoadError, match="not a Masthead spam model"):
        SpamModel.load(path)


@pytest.mark.parametrize("keep", [0, 10, 48, -1])
def test_truncated_file(tmp_path: Path, trained: SpamModel, keep: int) -> None:
    path = tmp_path / "t.mhspam"
    trained.save(path)
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:-1])
    with pytest.raises(ModelLoadError, match=r"cut short|truncated"):
        SpamModel.load(path)


@pytest.mark.parametrize("where", [0.1, 0.5, 0.99])
def test_tampered_file(tmp_path: Path, trained: SpamModel, where: float) -> None:
    path = tmp_path / "p.mhspam"
    trained.save(path)
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="integrity check failed"):
        SpamModel.load(path)


def test_signed_file_needs_the_same_key(tmp_path: Path, trained: SpamModel) -> None:
    path = tmp_path / "s.mhspam"
    trained.save(path, key=b"site secret")
    assert SpamModel.load(path, key=b"site secret").version == trained.version
    with pytest.raises(ModelLoadError, match="signed with a key"):
        SpamModel.load(path)
    with pytest.raises(ModelLoadError, match="integrity check failed"):
        SpamModel.load(path, key=b"another secret")
    plain = tmp_path / "plain.mhspam"
    trained.save(plain)
    with pytest.raises(ModelLoadError, match="not signed"):
        SpamModel.load(plain, key=b"site secret")


def test_file_holds_no_pickles(tmp_path: Path, trained: SpamModel) -> None:
    path = tmp_path / "n.mhspam"
    trained.save(path)
    header, arrays = read_model_file(path)
    assert header["format"] == "masthead-spam-model"
    assert all(array.dtype != object for array in arrays.values())


def test_training_is_deterministic(tmp_path: Path) -> None:
    samples, labels = toy_corpus(20)
    first = train(samples, labels, C=10.0, grid={"link_weight": [0.5, 1.0]})
    second = train(samples, labels, C=10.0, grid={"link_weight": [0.5, 1.0]})
    assert np.array_equal(first.weights, second.weights)
    assert first.calibration == second.calibration
    assert first.version == second.version
    first.trained_at = second.trained_at
    first.save(tmp_path / "a.mhspam")
    second.save(tmp_path / "b.mhspam")
    assert (tmp_path / "a.mhspam").read_bytes() == (tmp_path / "b.mhspam").read_bytes()


def test_update_with_spam_raises_the_score_of_similar_comments(model: SpamModel) -> None:
    new_spam = CommentSample("limited offer on rolex replica watches", article_text=ARTICLE)
    similar = CommentSample("rolex replica watches limited stock", article_text=ARTICLE)
    before = model.score(similar)
    model.update([new_spam] * 3, [1, 1, 1])
    assert model.score(similar) > before + 0.05
    assert model.n_updates == 3


def test_update_with_ham_lowers_the_score(model: SpamModel) -> None:
    # A reader sharing a link to a source, which the shipped model finds suspicious.
    source = CommentSample("source: http://stats.example.gov/lanes-2024 cycle counts")
    before = model.score(source)
    model.update([source, source], [0, 0])
    assert model.score(source) < before - 0.05


def test_update_rejects_bad_labels(model: SpamModel) -> None:
    with pytest.raises(ValueError, match="1 \\(spam\\) or 0"):
        model.update([SPAMMY], [2])
    with pytest.raises(ValueError, match="1 samples but 2 labels"):
        model.update([SPAMMY], [1, 0])
    model.update([], [])
    assert model.n_updates == 0


def test_feedback_kept_is_bounded(model: SpamModel) -> None:
    model.max_feedback = 3
    model.update([SPAMMY, HAMMY, SPAMMY, HAMMY, SPAMMY], [1, 0, 1, 0, 1])
    assert model.feedback_X.shape[0] == 3
    assert len(model.feedback_y) == len(model.feedback_margins) == 3
    assert model.n_updates == 5


def test_feedback_kept_fits_the_memory_budget(model: SpamModel) -> None:
    short = CommentSample("spam")
    long = CommentSample("a much longer comment about the cycle lanes " * 5)
    nnz = model.featurizer.transform([long, short]).nnz
    model.max_feedback_nnz = nnz + 1  # room for the last two decisions, not three
    model.update([long, short, long, short], [0, 1, 0, 1])
    assert model.feedback_X.nnz <= model.max_feedback_nnz
    assert model.feedback_y.tolist() == [0, 1]  # the most recent decisions are kept
    assert model.feedback_X.dtype == np.float32


def test_memory_footprint_is_small(trained: SpamModel) -> None:
    assert trained.memory_bytes() < 50 * 2**20


def test_bytes_round_trip_and_integrity(model):
    from masthead.antispam.errors import ModelLoadError
    from masthead.antispam.model import SpamModel

    key = b"site key"
    data = model.to_bytes(key=key)
    assert SpamModel.from_bytes(data, key=key).metadata == model.metadata
    tampered = bytearray(data)
    tampered[-10] ^= 1
    with pytest.raises(ModelLoadError, match="integrity check failed"):
        SpamModel.from_bytes(bytes(tampered), key=key, name="v7")
    with pytest.raises(ModelLoadError, match="v7: is signed"):
        SpamModel.from_bytes(data, name="v7")
