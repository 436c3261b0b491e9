"""The records of a CSV file, read under a file's limits (see cmc.core.files): each record's
text is bounded as it is read, and a quote left open is refused where it opened instead of
swallowing the rest of the file into one cell."""

import csv
from collections.abc import Iterator

from .files import Guard


class NotCsv(Exception):
    pass


class _LongRow(Exception):
    pass


class _Lines:
    """The lines of a CSV file as the csv module reads them, with the text of each record
    bounded (a file of one endless line is never read whole) and the end of the file noted:
    a record the reader finishes only there was left inside an open quote."""

    def __init__(self, handle, budget: int | None):
        self.handle, self.budget = handle, budget
        self.used, self.ended = 0, False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        room = -1 if self.budget is None else self.budget - self.used + 1
        line = self.handle.readline(room)
        if not line:
            self.ended = True
            raise StopIteration
        self.used += len(line)
        if self.budget is not None and self.used > self.budget:
            raise _LongRow
        return line


def csv_rows(handle, guard: Guard) -> Iterator[list[str]]:
    lines = _Lines(handle, guard.limits.row_chars)
    reader = csv.reader(lines)
    number, start = 0, 1  # the record being read, and the line it starts on
    try:
        for row in reader:
            number += 1
            if lines.ended:
                guard.refuse(f"{guard.label}, row {number}", "file", _unclosed(number, start))
            yield row
            lines.used, start = 0, reader.line_num + 1
    except UnicodeDecodeError as error:
        line, byte = _first_bad_byte(handle)
        raise NotCsv(
            f"is not UTF-8 text (bad byte 0x{byte:02x} on line {line}); "
            "save it as 'CSV UTF-8' and import it again"
        ) from error
    except _LongRow:
        limits = guard.limits
        guard.refuse(f"{guard.label}, row {number + 1}", "file",
                     f"runs past {limits.row_chars:,} characters, longer than a row may be "
                     f"({limits.columns} cells of {limits.cell_chars:,}); if a quote opened in it "
                     "is never closed, close it")  # fmt: skip
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):
            guard.refuse(f"{guard.label}, row {number + 1}", "file",
                         f"has a cell longer than {csv.field_size_limit():,} characters, "
                         "more than a cell may hold; shorten it")  # fmt: skip
        raise NotCsv(f"row {reader.line_num} is not valid CSV ({error})") from error


def _unclosed(row: int, line: int) -> str:
    on = f" (on line {line})" if line != row else ""
    return (
        f"a quote opened here{on} is never closed, so the rest of the file would be read into "
        'one cell; close the quote, or write a quote that is part of the text as two ("")'
    )


def _first_bad_byte(handle) -> tuple[int, int]:
    """The line and value of the first byte that is not UTF-8: the decoder reads ahead in
    blocks, so the reader's own position does not say where it is. Read again from the start
    of the bytes under the text (a file on disk, or an upload held in memory)."""
    raw = handle.buffer
    raw.seek(0)
    for number, line in enumerate(raw, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            return number, line[error.start]
    return 0, 0
