from contact_platform.privacy.evaluation import pairwise_scores, scrub_scores


def test_pairwise_scores_count_pairs_not_records():
    truth = {"a": "p1", "b": "p1", "c": "p1", "d": "p2"}
    perfect = pairwise_scores({"a": "x", "b": "x", "c": "x", "d": "y"}, truth)
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    split = pairwise_scores({"a": "x", "b": "x", "c": "z", "d": "y"}, truth)
    assert split.precision == 1.0 and split.recall == 1 / 3
    merged = pairwise_scores({"a": "x", "b": "x", "c": "x", "d": "x"}, truth)
    assert merged.recall == 1.0 and merged.precision == 3 / 6


def test_scrub_scores_per_kind():
    planted = {("paris", "C1"): [("TEL", "06 12 34 56 78"), ("NOM", "DUPONT")]}
    scores = scrub_scores([("paris", "C1", "rappeler au [TEL], appel de DUPONT")], planted)
    assert scores.recall_by_kind == {"TEL": 1.0, "NOM": 0.0}
    assert scores.recall == 0.5
    assert scores.precision == 1.0
