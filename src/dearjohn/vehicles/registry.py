"""Loading the state's DMV extract into the local registry table.

A file is imported whole or not at all: every row is checked first, and any
bad row stops the import with a report of line numbers, so a truncated or
half-wrong file never leaves the table half-updated.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from .lookup import RECORD_FIELDS, REQUIRED_FIELDS, clean_record
from .models import Registration, VehiclesError

BATCH = 2000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)

    @property
    def ok(self):
        return not self.errors


def read_rows(text_file):
    """Yield (line number, cleaned record) or (line number, VehiclesError) for each data row."""
    reader = csv.DictReader(text_file)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise VehiclesError(f"line 1: the header lacks the column(s) {', '.join(missing)}; see the README for the columns.")
    unknown = [name for name in header if name and name not in RECORD_FIELDS]
    if unknown:
        raise VehiclesError(f"line 1: unknown column(s) {', '.join(unknown)}; see the README for the columns.")
    reader.fieldnames = header
    for row in reader:
        line = reader.line_num
        if None in row or any(row.get(name) is None for name in header):
            actual = sum(1 for name in header if row.get(name) is not None) + len(row.get(None) or [])
            yield line, VehiclesError(f"line {line}: has {actual} fields, expected {len(header)}.")
            continue
        try:
            yield line, clean_record(row, source=f"line {line}")
        except VehiclesError as e:
            yield line, e


def import_csv(path_or_file):
    """Upsert every row of a registry CSV by (state, plate key); all rows or none.

    The file is read twice: once to check every row (keeping only plate keys
    and line numbers), then again inside one transaction to write it in
    batches, so a statewide extract never has to fit in memory.
    """
    if hasattr(path_or_file, "read"):
        content = path_or_file.read()
        if isinstance(content, bytes):
            content = content.decode("utf-8-sig")
        return _import(lambda: io.StringIO(content, newline=""))
    path = str(path_or_file)
    try:
        with open(path, "rb"):
            pass
        return _import(lambda: open(path, newline="", encoding="utf-8-sig"))
    except FileNotFoundError:
        raise VehiclesError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise VehiclesError(f"{path}: not a UTF-8 text file; export the extract as UTF-8 CSV.") from None


def _import(open_text):
    report = ImportReport()
    first_line = {}
    with open_text() as text_file:
        for line, outcome in read_rows(text_file):
            if isinstance(outcome, VehiclesError):
                message = str(outcome)
                report.errors.append((line, message if message.startswith("line ") else f"line {line}: {message}"))
                continue
            key = (outcome["state"], outcome["plate_key"])
            if key in first_line:
                report.errors.append((line, f"line {line}: plate {outcome['plate']} ({outcome['state']}) already appears on line {first_line[key]}."))
                continue
            first_line[key] = line
    if report.errors:
        return report
    with transaction.atomic(), open_text() as text_file:
        batch = []
        for _, record in read_rows(text_file):
            batch.append(record)
            if len(batch) == BATCH:
                _write(batch, report)
                batch = []
        _write(batch, report)
    return report


def _write(records, report):
    """Insert the new plates and update the known ones of one batch."""
    if not records:
        return
    existing = {(row.state, row.plate_key): row
                for row in Registration.objects.filter(plate_key__in={r["plate_key"] for r in records})}
    new, changed = [], 0
    fields = [name for name in records[0] if name not in ("state", "plate_key")] + ["imported_at"]
    for values in records:
        row = existing.get((values["state"], values["plate_key"]))
        if row is None:
            new.append(Registration(**values))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        # One UPDATE by primary key per row: Django's bulk_update builds a
        # CASE per field and row, which is far slower at registry sizes.
        row.save(update_fields=fields)
        changed += 1
    Registration.objects.bulk_create(new)
    report.created += len(new)
    report.updated += changed
