"""Facility tables in and out of files: CSV (UTF-8 or GBK, as Excel saves them), XLSX,
GeoJSON. Reading yields numbered rows of text cells keyed by column code; writing
neutralises cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from app.domain.import_cells import COLUMNS, NEUTRALISED, header_map

FileFormat = Literal["csv", "xlsx", "geojson"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


class FileError(ValueError):
    """A file that cannot be read at all (message in Chinese)."""


@dataclass(frozen=True, slots=True)
class Table:
    """Rows as staff see them: `number` is the spreadsheet row (header = 1) or feature #."""

    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]
    ignored_headers: tuple[str, ...]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("文件是 UTF-16 编码，请另存为 UTF-8 或 GBK 编码的 CSV")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileError("文件编码无法识别，请用 UTF-8 或 GBK 保存") from exc


def _table(headers: Sequence[str], records: Iterator[tuple[int, Sequence[Any]]]) -> Table:
    mapping = header_map([str(h or "") for h in headers])
    if "name" not in mapping.values():
        raise FileError("找不到“名称”列：表头无法识别（编码不是 UTF-8/GBK，或缺少表头）")
    rows = []
    for number, values in records:
        cells = {
            mapping[str(h)]: _cell_text(v)
            for h, v in zip(headers, values, strict=False)
            if str(h or "") in mapping
        }
        if any(cells.values()):
            rows.append((number, cells))
    if not rows:
        raise FileError("文件没有数据行")
    ignored = tuple(str(h) for h in headers if h and str(h) not in mapping)
    return Table(tuple(dict.fromkeys(mapping.values())), rows, ignored)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise FileError("文件为空") from exc
    except csv.Error as exc:
        raise FileError(f"CSV 格式错误：{exc}") from exc
    try:
        return _table(headers, ((i, r) for i, r in enumerate(reader, start=2)))
    except csv.Error as exc:
        raise FileError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from exc


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileError("不是有效的 XLSX 文件") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise FileError("文件为空")
        return _table(list(headers), ((i, r) for i, r in enumerate(rows, start=2)))
    finally:
        book.close()


def read_geojson(data: bytes) -> Table:
    try:
        doc = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise FileError(f"不是有效的 GeoJSON：{exc.msg}（第 {exc.lineno} 行）") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise FileError("GeoJSON 必须是 FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise FileError("文件没有数据行")
    records = []
    for number, feature in enumerate(features, start=1):
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coords = geometry.get("coordinates") or []
            if len(coords) >= 2:
                props["lon"], props["lat"] = coords[0], coords[1]
        records.append((number, props))
    headers = list(dict.fromkeys(k for _, p in records for k in p))
    return _table(headers, ((n, [p.get(h) for h in headers]) for n, p in records))


READERS = {"csv": read_csv, "xlsx": read_xlsx, "geojson": read_geojson}


def read_table(data: bytes, file_format: FileFormat) -> Table:
    if not data.strip():
        raise FileError("文件为空")
    return READERS[file_format](data)


def neutralised(value: str) -> str:
    """A cell a spreadsheet shows as text: = + - @ (and tab, CR) at the start get a `'`."""
    if value and (value[0] in NEUTRALISED or value[0] in "\t\r"):
        return "'" + value
    return value


def write_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    """UTF-8 with a BOM, so Excel opens Chinese text correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralised(row.get(c, "")) for c in COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(rows: Sequence[Mapping[str, str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("facilities")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([neutralised(row.get(c, "")) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_geojson(rows: Sequence[Mapping[str, str]]) -> bytes:
    features = []
    for row in rows:
        props = {c: neutralised(row.get(c, "")) for c in COLUMNS if c not in ("lon", "lat")}
        point = [float(row["lon"]), float(row["lat"])]
        geometry = {"type": "Point", "coordinates": point}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "geojson": write_geojson}
