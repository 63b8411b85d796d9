"""Measurement results as Python objects.

Every record is a Result: its JSON object (exactly as scamper's JSON
output and sc_warts2json print it) with attribute access and a few
conveniences per type.  Results from a warts file, a JSON file or a
control socket compare equal when they hold the same measurement;
where a result came from (vp, command) takes no part in the comparison.
"""

import ipaddress


class Result:
    """One record.  r.type is its "type" ("trace", "ping", "cycle-start",
    ...); r.data the whole JSON object as a dict; r["key"] and r.key read
    its members.  r.vp and r.command say where it came from when a
    Controller delivered it."""

    __slots__ = ("data", "vp", "command")

    def __init__(self, data, vp=None, command=None):
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise ValueError("a scamper record is a JSON object with a type")
        self.data = data
        self.vp = vp
        self.command = command

    @property
    def type(self):
        return self.data["type"]

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    def __contains__(self, key):
        return key in self.data

    def __getattr__(self, name):
        # only reached for names that are not attributes: the members
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError("%s record has no member '%s'"
                                 % (self.data.get("type"), name)) from None

    def __eq__(self, other):
        if not isinstance(other, Result):
            return NotImplemented
        return self.data == other.data

    def __hash__(self):
        return hash((self.type, self.data.get("dst"),
                     str(self.data.get("start"))))

    def __repr__(self):
        extra = ""
        if "dst" in self.data:
            extra = " dst=%s" % self.data["dst"]
        if self.vp is not None:
            extra += " vp=%s" % self.vp
        return "<%s%s>" % (self.type, extra)

    @property
    def is_measurement(self):
        """False for cycle-start and cycle-stop records."""
        return not self.type.startswith("cycle-")

    @property
    def userid(self):
        return self.data.get("userid", 0)


class Trace(Result):
    """A traceroute.  hops: the hop objects in TTL order (only hops that
    answered appear in JSON); hop_addrs(): the addresses by TTL."""

    __slots__ = ()

    @property
    def hops(self):
        return self.data.get("hops", [])

    def hop_addrs(self):
        """{ttl: [addresses in order of replies]}."""
        out = {}
        for h in self.hops:
            out.setdefault(h["probe_ttl"], []).append(h["addr"])
        return out

    @property
    def reached(self):
        """True if some reply came from the destination."""
        return any(h.get("addr") == self.data.get("dst") for h in self.hops)


class Ping(Result):
    """A ping.  replies: the response objects; rtts(): their RTTs in
    milliseconds; replied: how many probes got a reply."""

    __slots__ = ()

    @property
    def replies(self):
        return self.data.get("responses", [])

    def rtts(self):
        return [r["rtt"] for r in self.replies if "rtt" in r]

    @property
    def replied(self):
        return self.data.get("statistics", {}).get("replies", 0)


_CLASSES = {"trace": Trace, "ping": Ping}


def make_result(data, vp=None, command=None):
    """The Result (or subclass) for the JSON object DATA."""
    cls = _CLASSES.get(data.get("type"), Result) if isinstance(data, dict) \
        else Result
    return cls(data, vp, command)


def norm_addr(a):
    """An address in one spelling (IPv6 compressed), or A unchanged."""
    try:
        return str(ipaddress.ip_address(a))
    except (ValueError, TypeError):
        return a
