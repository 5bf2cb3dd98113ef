"""Where a rule comes from: source documents and the article a value or rule cites."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.domain.policy.frozen import FrozenModel


class Document(FrozenModel):
    """A policy document as a rule file names it once and cites it by id."""

    title: str = Field(min_length=1)
    number: str = Field("", description="文号, empty when the document has none.")
    issued: date | None = Field(None, description="Date of issue; None when undated.")
    issued_note: str = Field("", description="How an undated document was dated, if it was.")
    status: Literal["in_force", "draft"] = Field(
        "in_force", description="draft: a 征求意见稿, not in force as published."
    )


class CiteRef(FrozenModel):
    """A reference from a rule or value to an article of a document of the same file."""

    doc: str = Field(min_length=1)
    article: str = Field(min_length=1, description="任务, 章节 or 附件 item, as written.")


class Citation(BaseModel):
    """A resolved reference, as answers carry it: title, 文号, article, date."""

    document: str
    number: str
    article: str
    issued: date | None
    draft: bool

    def text_zh(self) -> str:
        """《title》（文号）article, marked when the document is a draft."""
        number = f"（{self.number}）" if self.number else ""
        draft = (
            "（征求意见稿，尚未正式施行）"
            if self.draft and "征求意见稿" not in self.document
            else ""
        )
        return f"《{self.document}》{number}{self.article}{draft}"


def resolve(refs: tuple[CiteRef, ...], documents: dict[str, Document]) -> list[Citation]:
    """Citations for `refs`; every doc id was checked when the rule file was loaded."""
    out = []
    for ref in refs:
        doc = documents[ref.doc]
        out.append(
            Citation(
                document=doc.title,
                number=doc.number,
                article=ref.article,
                issued=doc.issued,
                draft=doc.status == "draft",
            )
        )
    return out


def unique(citations: list[Citation]) -> list[Citation]:
    """Citations without repeats, in first-seen order."""
    seen: dict[tuple[str, str, str], Citation] = {}
    for c in citations:
        seen.setdefault((c.document, c.number, c.article), c)
    return list(seen.values())
