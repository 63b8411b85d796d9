#!/usr/bin/env python3
"""make-aliasdrv-seeds.py OUTDIR [WARTS...]: the seed corpus of
fuzz-aliasdrv (fuzz_aliasdrv.c): set files of each family, and for each
warts file (tests/data/dealias-*.warts, made by Debian's scamper) the
file whole and its first dealias record after its list and cycle
records.  With OUTDIR ending in "aliasdump": that of fuzz-aliasdump
(fuzz_aliasdump.c): each driver's dump options with each warts file."""
import os
import struct
import sys

SETS = {
    "sets-v4": (0, b"# sets of aliases\n192.0.2.1 192.0.2.2\n\n"
                b"198.51.100.1,198.51.100.2 198.51.100.3 # three\n"
                b"203.0.113.9\n"),
    "sets-v6-tc": (1 | 8, b"2001:db8::1 2001:db8::2\n2001:db8::2\t"
                   b"2001:db8::3\r\n"),
    "sets-any": (2, b"192.0.2.1 2001:db8::1\n2001:db8:0:0:0:0:0:9\n"),
    "sets-bad": (0, b"192.0.2.1 2001:db8::1\n"),
}


def records(data):
    """(offset, type, length) of each warts record of DATA."""
    off = 0
    while off + 8 <= len(data):
        magic, typ, n = struct.unpack(">HHI", data[off:off + 8])
        if magic != 0x1205:
            return
        yield off, typ, n
        off += 8 + n


# fuzz-aliasdump: byte 0 the driver, then its options
DUMPS = {
    "ally-3": (0, ["-d", "3"]),
    "ally-1-tc": (0, ["-d", "1", "-O", "tc"]),
    "radargun-1": (1, ["-d", "1", "-f", "100"]),
    "radargun-2-nobs": (1, ["-d", "2", "-O", "nobs"]),
    "prefixscan": (2, []),
    "prefixscan-x": (2, ["-x", "24"]),
    "speedtrap-1": (3, ["-d", "1"]),
    "speedtrap-2": (3, ["-d", "2"]),
    "speedtrap-3": (3, ["-d", "3"]),
}


def dumps(out, paths):
    for name, (drv, args) in DUMPS.items():
        for path in paths:
            base = os.path.basename(path).replace(".warts", "")
            with open(path, "rb") as f:
                data = f.read()
            with open(os.path.join(out, name + "-" + base), "wb") as f:
                f.write(bytes([drv]) + b"".join(a.encode() + b"\0"
                                                for a in args)
                        + b"\0" + data)


def main():
    out = sys.argv[1]
    if out.rstrip("/").endswith("aliasdump"):
        os.makedirs(out, exist_ok=True)
        dumps(out, sys.argv[2:])
        return
    os.makedirs(out, exist_ok=True)
    for name, (mode, text) in SETS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([mode]) + text)
    for path in sys.argv[2:]:
        base = os.path.basename(path).replace(".warts", "")
        with open(path, "rb") as f:
            data = f.read()
        with open(os.path.join(out, "file-" + base), "wb") as f:
            f.write(b"\x03" + data)
        for off, typ, n in records(data):
            if typ == 9:	# a dealias record
                body = data[off + 8:off + 8 + n]
                with open(os.path.join(out, "rec-" + base), "wb") as f:
                    f.write(b"\x04" + struct.pack(">H", off) + data[:off]
                            + body)
                break


if __name__ == "__main__":
    main()
