"""Read scamper results from files: warts (plain, gzip, bzip2, xz) and
JSON lines (plain or compressed the same ways), as the same Result
objects."""

import bz2
import gzip
import json
import lzma

from .errors import FormatError
from .result import make_result
from .warts import read_warts

_OPENERS = ((b"\x1f\x8b", gzip.open), (b"BZh", bz2.open),
            (b"\xfd7zXZ\x00", lzma.open))


def _opener(head):
    for magic, op in _OPENERS:
        if head.startswith(magic):
            return op
    return open


def sniff(path):
    """'warts' or 'json' for the file PATH (looking through compression);
    raises FormatError if it is neither."""
    with open(path, "rb") as f:
        head = f.read(8)
    op = _opener(head)
    if op is not open:
        try:
            with op(path, "rb") as f:
                head = f.read(8)
        except (OSError, EOFError, lzma.LZMAError) as e:
            raise FormatError("cannot decompress: %s" % e, vp=path) from None
    stripped = head.lstrip()
    if head[:2] == b"\x12\x05":
        return "warts"
    if stripped[:1] == b"{" or head == b"":
        return "json"
    raise FormatError("neither warts nor JSON lines (starts with %r)"
                      % head[:8], vp=path)


def read_json(path):
    """Yield the Results of the JSON-lines file PATH (one object a line;
    blank lines skipped).  A bad line raises FormatError naming
    PATH:LINE."""
    with open(path, "rb") as f:
        head = f.read(8)
    op = _opener(head)
    try:
        with op(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    yield make_result(data)
                except ValueError as e:
                    raise FormatError("line %d: %s" % (n, e),
                                      vp=path) from None
    except (OSError, EOFError, lzma.LZMAError, UnicodeDecodeError) as e:
        raise FormatError(str(e), vp=path) from None


def read(path, measurements_only=False):
    """Yield every Result of the warts or JSON file PATH, in file order:
    cycle-start and cycle-stop records too, unless MEASUREMENTS_ONLY."""
    it = read_warts(path) if sniff(path) == "warts" else read_json(path)
    for r in it:
        if measurements_only and not r.is_measurement:
            continue
        yield r
