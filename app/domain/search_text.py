"""Chinese text search without a Chinese parser: character unigrams and bigrams.

PostgreSQL's `simple` configuration keeps each space-separated token, so a
document becomes the unigrams and bigrams of its Han runs (plus lower-cased
Latin/digit words), and a query matches when all of its bigrams are present.
pg_trgm cannot serve two-character queries such as 助餐; bigrams can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from app.domain.vocabulary import kinds

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def _runs(text: str) -> list[str]:
    return [m.group(0).lower() for m in _RUN.finditer(text)]


def _tokens(texts: Iterable[str]) -> list[str]:
    tokens: list[str] = []
    for text in texts:
        for run in _runs(text):
            if run.isascii():
                tokens.append(run)
                continue
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def document_tokens(*texts: str) -> str:
    """Space-separated tokens to index: every unigram and bigram of each Han run."""
    return " ".join(dict.fromkeys(_tokens(texts)))


def query_terms(query: str) -> list[str]:
    """Terms that must all be present: bigrams of each Han run (the character if alone)."""
    terms: list[str] = []
    for run in _runs(query):
        if run.isascii() or len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(terms))


@cache
def _kind_tokens(kind_codes: tuple[str, ...]) -> list[str]:
    vocab = kinds()
    terms = [vocab[k] for k in kind_codes if k in vocab]
    return _tokens([*[t.name_zh for t in terms], *[a for t in terms for a in t.aliases]])


def facility_document(name: str, address: str | None, kind_codes: Sequence[str]) -> str:
    """Tokens of a facility for to_tsvector('simple', …): name, address, kind names, aliases."""
    tokens = _tokens((name, address or "")) + _kind_tokens(tuple(kind_codes))
    return " ".join(dict.fromkeys(tokens))
