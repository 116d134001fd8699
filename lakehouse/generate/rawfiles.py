"""Writing raw landing files: one line at a time, atomically renamed when complete.

Files are named ``<entity>_<D>_<nn>.<ext>`` inside
``<raw_root>/<source>/<entity>/ingest_date=<D>/``. A file is written under a hidden
temporary name (Spark and the bronze job skip names starting with ``.``) and renamed
into place when closed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from lakehouse import contracts

# Invalid UTF-8 bytes (the non_utf8 defect) travel through str as lone surrogates.
ENCODING = "utf-8"
ENCODING_ERRORS = "surrogateescape"
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl"}


def partition_dir(raw_root: Path, entity: str, day_iso: str) -> Path:
    contract = contracts.load(entity)
    return raw_root / str(contract.source) / entity / f"ingest_date={day_iso}"


def file_extension(entity: str) -> str:
    return EXTENSIONS[str(contracts.load(entity).format)]


class RawFile:
    """A raw file being written; ``write`` returns the 1-based data line number."""

    def __init__(self, raw_root: Path, entity: str, day_iso: str, number: int, header: str | None):
        directory = partition_dir(raw_root, entity, day_iso)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{entity}_{day_iso}_{number:02d}.{file_extension(entity)}"
        self.entity = entity
        self.path = directory / name
        self.relative_path = self.path.relative_to(raw_root).as_posix()
        self.lines = 0
        self._temporary = directory / f".{name}.tmp"
        self._handle = open(  # noqa: SIM115 - closed in close(), also via the context manager
            self._temporary, "w", encoding=ENCODING, errors=ENCODING_ERRORS, newline=""
        )
        if header is not None:
            self._handle.write(header + "\n")

    def write(self, line: str) -> int:
        self._handle.write(line + "\n")
        self.lines += 1
        return self.lines

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()
            os.replace(self._temporary, self.path)

    def close_as_copy_of(self, original: RawFile) -> None:
        """Finish this (empty) file as a byte-identical copy of a closed file."""
        self._handle.close()
        shutil.copyfile(original.path, self._temporary)
        os.replace(self._temporary, self.path)
        self.lines = original.lines

    def __enter__(self) -> RawFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class DayFiles:
    """Hands out file numbers 01, 02, ... per entity for one ingest date.

    Creating it clears earlier generator output for that date, so re-running the
    generator with the same arguments leaves exactly the same set of files."""

    def __init__(self, raw_root: Path, day_iso: str, entities: tuple[str, ...]):
        self.raw_root = raw_root
        self.day_iso = day_iso
        self._next_number = dict.fromkeys(entities, 1)
        self.opened: dict[str, list[RawFile]] = {entity: [] for entity in entities}
        for entity in entities:
            directory = partition_dir(raw_root, entity, day_iso)
            if directory.is_dir():
                for old in directory.glob(f"{entity}_{day_iso}_*"):
                    old.unlink()
                for leftover in directory.glob(f".{entity}_{day_iso}_*.tmp"):
                    leftover.unlink()

    def _take_number(self, entity: str) -> int:
        number = self._next_number[entity]
        self._next_number[entity] = number + 1
        return number

    def open(self, entity: str, header: str | None) -> RawFile:
        raw_file = RawFile(self.raw_root, entity, self.day_iso, self._take_number(entity), header)
        self.opened[entity].append(raw_file)
        return raw_file

    def copy(self, original: RawFile) -> RawFile:
        """Deliver a closed file again, byte for byte, under the entity's next number."""
        duplicate = self.open(original.entity, header=None)
        duplicate.close_as_copy_of(original)
        return duplicate
