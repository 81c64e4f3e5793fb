"""The pipeline factory and its fast vectoriser."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.pipeline import CharNgrams, TokenTfidfVectorizer, word_ngrams

DOCS = ["kein budget xxquarter cue_money", "chef entscheiden cue_about_boss", "kein bedarf", "no budget this year", "ghosted after demo"]


def test_fast_vectoriser_equals_tfidf_vectorizer_for_both_analysers():
    for analyzer, min_df in ((word_ngrams, 1), (CharNgrams(3, 5), 1)):
        fast = TokenTfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df).fit(DOCS)
        plain = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df).fit(DOCS)
        new = DOCS + ["budget chef unbekannt", ""]
        assert np.allclose(fast.transform(new).toarray(), plain.transform(new).toarray())


def test_refitting_forgets_the_columns_of_the_earlier_fit():
    vectoriser = TokenTfidfVectorizer(analyzer=CharNgrams(3, 5), min_df=1).fit(DOCS)
    vectoriser.transform(DOCS)  # fills the per-token column cache
    vectoriser.fit(DOCS[:2])
    assert vectoriser.transform(DOCS).shape[1] == len(vectoriser.vocabulary_)
    assert np.allclose(vectoriser.transform(DOCS).toarray(), TfidfVectorizer(analyzer=CharNgrams(3, 5)).fit(DOCS[:2]).transform(DOCS).toarray())
