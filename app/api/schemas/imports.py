"""What an import answers: counts, every bad row and every duplicate."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RowProblem(BaseModel):
    row: int = Field(description="Spreadsheet row (header = 1) or GeoJSON feature number.")
    column: str
    message: str = Field(description="Chinese, for the member of staff who typed the row.")


class DuplicateRow(RowProblem):
    existing_id: str | None = Field(description="The live facility it repeats.")
    same_as_row: int | None = Field(description="The earlier row of the file it repeats.")


class ImportReport(BaseModel):
    file_sha256: str
    format: str
    coordsys: str
    dry_run: bool
    rows_total: int
    rows_invalid: int
    rows_duplicate: int
    rows_to_add: int
    rows_added: int
    committed: bool
    batch_id: int | None
    already_imported: bool = Field(description="This file or key was committed before.")
    ignored_headers: list[str]
    errors: list[RowProblem]
    duplicates: list[DuplicateRow]
