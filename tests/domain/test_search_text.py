from app.domain.search_text import document_tokens, query_terms


def test_two_character_query_is_one_bigram() -> None:
    assert query_terms("助餐") == ["助餐"]


def test_document_holds_unigrams_and_bigrams() -> None:
    tokens = document_tokens("老年助餐点").split()
    assert "助餐" in tokens and "老年" in tokens and "点" in tokens
    assert set(query_terms("助餐点")) <= set(tokens)


def test_latin_and_digits_are_words_and_punctuation_is_dropped() -> None:
    assert query_terms("A座 12号!") == ["a", "座", "12", "号"]
    assert query_terms("!!") == []


def test_single_character_query_uses_the_unigram() -> None:
    assert query_terms("院") == ["院"]
