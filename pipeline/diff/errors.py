"""The one error `diff` reports: trouble reading its inputs (exit status 2),
as a coded diagnostic (pipeline/diagnostics.py, D codes)."""

from pipeline.diagnostics import make


class DiffError(Exception):
    """One diagnostic for the user: what could not be read, and why. `path`
    None: a part of an input (an EPUB's member), placed by `at`."""

    def __init__(self, code: str, path=None, line: int = 0, **fields):
        self.code, self.path, self.line, self.fields = code, path, line, fields
        super().__init__(str(self.diagnostic))

    @property
    def diagnostic(self):
        return make(self.code, self.path if self.path is not None else "diff", self.line, **self.fields)

    def at(self, path) -> "DiffError":
        """This error, placed in `path` if it named no file of its own."""
        return self if self.path is not None else DiffError(self.code, path, self.line, **self.fields)


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in words: strerror is None when the error was
    raised with a bare message (OSError("...")), which would print "None"."""
    return exc.strerror or str(exc) or type(exc).__name__


def check_file_size(path, limit: int, kind: str) -> None:
    """Refuse a file larger than `limit` bytes before anything parses it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DiffError("D015", path, reason=os_reason(exc)) from None
    if size > limit:
        raise DiffError("D012", path, size=size // 2**20, limit=limit // 2**20, kind=kind)
