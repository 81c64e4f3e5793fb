import pandas as pd
import pytest

from training.agreed import agreed, main


def test_only_texts_both_annotators_label_alike_reach_the_batch(tmp_path):
    written = tmp_path / "w.csv"
    pd.DataFrame({"text": ["kein Geld", "wer weiß", "zu klein"], "lang": "de", "register": "buyer_quote"}).to_csv(written, index=False)
    (tmp_path / "a.csv").write_text("id,label\n2,bad_fit\n0,no_budget\n1,other\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,label\n0,no_budget\n1,too_early\n2,bad_fit\n", encoding="utf-8")
    out, record = tmp_path / "train_99_x.csv", tmp_path / "record.csv"
    assert main([str(written), str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), str(out), "--record", str(record)]) == 0
    batch = pd.read_csv(out, keep_default_na=False)
    assert batch[["text", "label"]].values.tolist() == [["kein Geld", "no_budget"], ["zu klein", "bad_fit"]]
    kept = pd.read_csv(record)
    assert len(kept) == 3 and set(kept["batch"]) == {"train_99_x"}


def test_missing_ids_and_unknown_labels_are_refused():
    written = pd.DataFrame({"text": ["a", "b"], "lang": "en", "register": "rep_note"})
    good = pd.DataFrame({"id": ["0", "1"], "label": ["other", "other"]})
    with pytest.raises(ValueError, match="ids must be 0..1"):
        agreed(written, good, good.iloc[:1])
    with pytest.raises(ValueError, match="unknown labels"):
        agreed(written, good, good.assign(label=["other", "maybe"]))
