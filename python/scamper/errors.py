"""Exceptions raised by the scamper package."""


class ScamperError(Exception):
    """A failure that names where it happened.

    vp is the vantage point's name (or None), command the command text
    (or None), and reason what went wrong, in scamper's words where
    scamper gave them.
    """

    def __init__(self, reason, vp=None, command=None):
        self.reason = reason
        self.vp = vp
        self.command = command
        where = []
        if vp is not None:
            where.append(str(vp))
        if command is not None:
            where.append("'%s'" % command)
        msg = reason if not where else "%s: %s" % (": ".join(where), reason)
        super().__init__(msg)


class CommandError(ScamperError):
    """scamper refused a command, or lost it (the vantage point went)."""


class ConnectionLost(ScamperError):
    """A control socket or sc_remoted's socket closed or failed."""


class FormatError(ScamperError):
    """A file or a DATA payload could not be decoded.  Names the file (as
    vp) and the place."""


class LibraryMissing(ScamperError):
    """libscamperfile (this project's, soname libscamperfile.so.1) was
    not found; it is needed for warts only."""
