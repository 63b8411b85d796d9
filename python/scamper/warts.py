"""warts through this project's libscamperfile (ctypes).

Why ctypes and not a decoder in Python: libscamperfile already reads
every record type scamper writes (and gzip, bzip2, xz input), and its
JSON renderer is checked byte for byte against Debian's sc_warts2json on
the whole test corpus.  Rendering each record to JSON there and parsing
that JSON here gives, by construction, the same objects from a warts
file as from a JSON file, for every record type, without a second
decoder to keep in step.  The library is needed for warts only: JSON
files and control sockets attached in JSON need nothing but Python.

The library is found, in order: $SCAMPER_LIBSCAMPERFILE (a path),
libscamperfile.so.1 on the loader's path (an installed scamper), then a
build tree beside this package (build*/formats).  Debian's CAIDA
library (libscamperfile.so.2) has another interface and is never used.
"""

import ctypes
import glob
import json
import os
import struct

from .errors import FormatError, LibraryMissing
from .result import make_result

WARTS_MAGIC = 0x1205
HDR = struct.Struct(">HHI")

T_LIST, T_CYCLE_START, T_CYCLE_DEF, T_CYCLE_STOP = 1, 2, 3, 4
TYPE_NAMES = {1: "list", 2: "cycle-start", 3: "cycle-def", 4: "cycle-stop",
              5: "address", 6: "trace", 7: "ping", 8: "tracelb",
              9: "dealias", 10: "neighbourdisc", 11: "tbit", 12: "sting",
              13: "sniff", 14: "host"}

_lib = None


def _candidates():
    env = os.environ.get("SCAMPER_LIBSCAMPERFILE")
    if env:
        yield env
        return
    yield "libscamperfile.so.1"
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    for d in sorted(glob.glob(os.path.join(top, "build*", "formats"))):
        yield os.path.join(d, "libscamperfile.so.1")


def library():
    """The loaded libscamperfile, or raise LibraryMissing."""
    global _lib
    if _lib is not None:
        return _lib
    tried = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path, use_errno=True)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        if not hasattr(lib, "scamper_json_obj") or \
                not hasattr(lib, "scamper_file_fdopen_read"):
            tried.append("%s (not this project's libscamperfile)" % path)
            continue
        _bind(lib)
        _lib = lib
        return lib
    raise LibraryMissing("warts needs this project's libscamperfile; tried "
                         + "; ".join(tried) +
                         " (set SCAMPER_LIBSCAMPERFILE to its path)")


def _bind(lib):
    vp, i, u16 = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint16
    lib.scamper_file_open_read.argtypes = [ctypes.c_char_p]
    lib.scamper_file_open_read.restype = vp
    lib.scamper_file_fdopen_read.argtypes = [i]
    lib.scamper_file_fdopen_read.restype = vp
    lib.scamper_file_read.argtypes = [vp, ctypes.POINTER(u16),
                                      ctypes.POINTER(vp)]
    lib.scamper_file_read.restype = i
    lib.scamper_file_error.argtypes = [vp]
    lib.scamper_file_error.restype = ctypes.c_char_p
    lib.scamper_file_close.argtypes = [vp]
    lib.scamper_file_close.restype = i
    lib.scamper_file_obj_free.argtypes = [u16, vp]
    lib.scamper_file_obj_free.restype = None
    lib.scamper_json_obj.argtypes = [u16, vp, ctypes.POINTER(vp)]
    lib.scamper_json_obj.restype = i
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [vp]
    libc.free.restype = None
    lib._free = libc.free


class _Objects:
    """Iterate (type, json-text-or-None) over a scamper_file handle."""

    def __init__(self, f, name):
        self.lib = library()
        self.f = f
        self.name = name

    def __iter__(self):
        lib = self.lib
        t = ctypes.c_uint16()
        obj = ctypes.c_void_p()
        out = ctypes.c_void_p()
        try:
            while True:
                rc = lib.scamper_file_read(self.f, ctypes.byref(t),
                                           ctypes.byref(obj))
                if rc == 0:
                    return
                if rc < 0:
                    err = lib.scamper_file_error(self.f) or b"read error"
                    raise FormatError(err.decode("utf-8", "replace"),
                                      vp=self.name)
                try:
                    if lib.scamper_json_obj(t.value, obj, ctypes.byref(out)):
                        raise MemoryError("rendering a record as JSON")
                    text = None
                    if out.value:
                        text = ctypes.string_at(out.value).decode("utf-8")
                        lib._free(out)
                        out.value = None
                finally:
                    lib.scamper_file_obj_free(t.value, obj)
                yield t.value, text
        finally:
            lib.scamper_file_close(self.f)
            self.f = None


def _record(t, text, name, vp=None):
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise FormatError("libscamperfile made bad JSON for a %s record: %s"
                          % (TYPE_NAMES.get(t, t), e), vp=name) from None
    return make_result(data, vp)


def read_warts(path):
    """Yield the Results of the warts file PATH (gzip, bzip2 or xz
    compressed too): every record that has a JSON form, in file order
    (list records and the types scamper prints no JSON for are skipped,
    as sc_warts2json skips them)."""
    lib = library()
    f = lib.scamper_file_open_read(os.fsencode(path))
    if not f:
        raise FormatError(os.strerror(ctypes.get_errno()) or "cannot open",
                          vp=path)
    for t, text in _Objects(f, path):
        r = _record(t, text, path)
        if r is not None:
            yield r


def split_records(buf):
    """Split bytes BUF into whole warts records: (list of (type, bytes),
    rest).  Raises FormatError on a bad header."""
    recs, off = [], 0
    while len(buf) - off >= HDR.size:
        magic, t, n = HDR.unpack_from(buf, off)
        if magic != WARTS_MAGIC or t == 0:
            raise FormatError("not a warts record at offset %d (magic 0x%04x,"
                              " type %d)" % (off, magic, t))
        if len(buf) - off < HDR.size + n:
            break
        recs.append((t, bytes(buf[off:off + HDR.size + n])))
        off += HDR.size + n
    return recs, bytes(buf[off:])


class StreamDecoder:
    """Decode the warts records of one attached session (DATA payloads),
    each on its own: the session's list and cycle records are kept and put
    in front of each measurement record in a small in-memory file, which
    libscamperfile reads."""

    def __init__(self, name):
        self.name = name
        self.head = {}          # T_LIST / T_CYCLE_START -> record bytes

    def decode(self, rec):
        """The Result for the warts record REC (bytes), or None for list
        records and types without a JSON form."""
        if len(rec) < HDR.size:
            raise FormatError("a DATA payload of %d bytes is no warts record"
                              % len(rec), vp=self.name)
        magic, t, n = HDR.unpack_from(rec, 0)
        if magic != WARTS_MAGIC or n != len(rec) - HDR.size:
            raise FormatError("a DATA payload is no warts record (magic "
                              "0x%04x, length %d of %d)" % (magic, n,
                                                             len(rec)),
                              vp=self.name)
        if t == T_LIST:
            self.head = {T_LIST: rec}
            return None
        if t in (T_CYCLE_START, T_CYCLE_DEF):
            self.head[T_CYCLE_START] = rec
        blob = self.head.get(T_LIST, b"")
        if t not in (T_CYCLE_START, T_CYCLE_DEF):
            blob += self.head.get(T_CYCLE_START, b"")
        blob += rec
        return self._decode_blob(blob, t)

    def _decode_blob(self, blob, want):
        lib = library()
        fd = os.memfd_create("scamper-record", os.MFD_CLOEXEC)
        try:
            os.write(fd, blob)
            os.lseek(fd, 0, os.SEEK_SET)
            f = lib.scamper_file_fdopen_read(fd)
            if not f:
                raise FormatError("libscamperfile could not read a record",
                                  vp=self.name)
            fd = -1             # the file owns it now
            last = None
            for t, text in _Objects(f, self.name):
                if t == want:
                    last = _record(t, text, self.name)
            return last
        finally:
            if fd != -1:
                os.close(fd)
