"""sc_remoted's multiplexed socket (sc_remoted -M): framing and the
messages of channel 0.  Pure code, no I/O.

Every message, both ways: u32 channel, u32 length, then length bytes
(big-endian).  Channel 0 carries control messages that start with a u16
type; any other channel carries the bytes of one attached session with a
vantage point, as its per-VP unix socket would.
"""

import struct

VP_UPDATE, VP_DEPART, GO, CHANNEL_OPEN, CHANNEL_CLOSE = 0, 1, 2, 3, 4
# VP_UPDATE attributes
ATTR_NAME, ATTR_ARRIVAL, ATTR_ADDR = 1, 2, 3
ATTR_NAMES = {1: "name", 2: "arrival", 3: "address", 4: "local_address",
              5: "asn", 6: "cc", 7: "location"}

HDR = struct.Struct(">II")
MAXLEN = 1 << 20


class MuxError(ValueError):
    """A malformed message from sc_remoted."""


def frame(chan, payload):
    """The bytes of one message on CHAN."""
    return HDR.pack(chan, len(payload)) + payload


def channel_open(vp_id, chan):
    return frame(0, struct.pack(">HII", CHANNEL_OPEN, vp_id, chan))


def channel_close(chan):
    return frame(0, struct.pack(">HI", CHANNEL_CLOSE, chan))


def split(buf):
    """Whole messages at the start of BUF: ([(chan, payload)], rest)."""
    out, off = [], 0
    while len(buf) - off >= HDR.size:
        chan, n = HDR.unpack_from(buf, off)
        if n > MAXLEN:
            raise MuxError("message of %d bytes on channel %d (at most %d)"
                           % (n, chan, MAXLEN))
        if len(buf) - off < HDR.size + n:
            break
        out.append((chan, bytes(buf[off + HDR.size:off + HDR.size + n])))
        off += HDR.size + n
    return out, bytes(buf[off:])


def decode_ctl(p):
    """A channel-0 payload as (type, dict).  VP_UPDATE: {'vp': id,
    'attrs': {name: value}}; VP_DEPART: {'vp': id}; GO: {};
    CHANNEL_CLOSE: {'chan': id}."""
    if len(p) < 2:
        raise MuxError("control message of %d bytes" % len(p))
    t = struct.unpack_from(">H", p)[0]
    if t == VP_UPDATE:
        if len(p) < 6:
            raise MuxError("VP_UPDATE too short")
        vp = struct.unpack_from(">I", p, 2)[0]
        attrs, off = {}, 6
        while off < len(p):
            if len(p) - off < 3:
                raise MuxError("VP_UPDATE %d: cut attribute" % vp)
            a = struct.unpack_from(">H", p, off)[0]
            end = p.find(b"\0", off + 2)
            if end < 0:
                raise MuxError("VP_UPDATE %d: attribute %d without NUL"
                               % (vp, a))
            attrs[ATTR_NAMES.get(a, "attr%d" % a)] = \
                p[off + 2:end].decode("utf-8", "replace")
            off = end + 1
        return t, {"vp": vp, "attrs": attrs}
    if t == VP_DEPART:
        if len(p) != 6:
            raise MuxError("VP_DEPART of %d bytes" % len(p))
        return t, {"vp": struct.unpack_from(">I", p, 2)[0]}
    if t == GO:
        return t, {}
    if t == CHANNEL_CLOSE:
        if len(p) != 6:
            raise MuxError("CHANNEL_CLOSE of %d bytes" % len(p))
        return t, {"chan": struct.unpack_from(">I", p, 2)[0]}
    raise MuxError("unknown control message type %d" % t)
