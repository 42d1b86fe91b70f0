"""The one error `diff` reports: trouble reading its inputs (exit status 2)."""


class DiffError(Exception):
    """One line for the user: what could not be read, and why."""


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in words: strerror is None when the error was
    raised with a bare message (OSError("...")), which would print "None"."""
    return exc.strerror or str(exc) or type(exc).__name__


def check_file_size(path, limit: int, kind: str) -> None:
    """Refuse a file larger than `limit` bytes before anything parses it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DiffError(f"{path}: cannot read ({os_reason(exc)})") from None
    if size > limit:
        raise DiffError(f"{path}: {size // 2**20} MB, larger than the {limit // 2**20} MB limit for {kind}")
