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
    """Upsert every row of a registry CSV by (state, plate key); all rows or none."""
    if hasattr(path_or_file, "read"):
        return _import(path_or_file)
    try:
        with open(path_or_file, newline="", encoding="utf-8-sig") as f:
            return _import(f)
    except FileNotFoundError:
        raise VehiclesError(f"{path_or_file}: no such file.") from None
    except UnicodeDecodeError:
        raise VehiclesError(f"{path_or_file}: not a UTF-8 text file; export the extract as UTF-8 CSV.") from None


def _import(text_file):
    if isinstance(text_file, io.BufferedIOBase):
        text_file = io.TextIOWrapper(text_file, encoding="utf-8-sig", newline="")
    report = ImportReport()
    records, first_line = {}, {}
    for line, outcome in read_rows(text_file):
        if isinstance(outcome, VehiclesError):
            message = str(outcome)
            report.errors.append((line, message if message.startswith("line ") else f"line {line}: {message}"))
            continue
        key = (outcome["state"], outcome["plate_key"])
        if key in records:
            report.errors.append((line, f"line {line}: plate {outcome['plate']} ({outcome['state']}) already appears on line {first_line[key]}."))
            continue
        records[key], first_line[key] = outcome, line
    if report.errors:
        return report
    with transaction.atomic():
        keys = list(records)
        existing = {}
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            for row in Registration.objects.filter(plate_key__in=[k for _, k in chunk]):
                existing[(row.state, row.plate_key)] = row
        new, changed = [], []
        for key, values in records.items():
            row = existing.get(key)
            if row is None:
                new.append(Registration(**values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        Registration.objects.bulk_create(new, batch_size=BATCH)
        update_fields = [name for name in records[keys[0]] if name not in ("state", "plate_key")] + ["imported_at"] if keys else []
        if changed:
            from django.utils import timezone

            now = timezone.now()
            for row in changed:
                row.imported_at = now
            Registration.objects.bulk_update(changed, update_fields, batch_size=BATCH)
        report.created, report.updated = len(new), len(changed)
    return report
