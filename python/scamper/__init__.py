"""scamper: drive scamper probers from Python and read their results.

Controller   many scampers at once: control sockets (Unix, TCP) and
             sc_remoted's multiplexed socket (-M) of remote vantage points
read()       warts (plain, gzip, bzip2, xz) and JSON-lines files
Result       one record (trace, ping, ...), equal from warts and JSON

Standard library only; warts needs this project's libscamperfile
(found through ctypes; see scamper.warts).
"""

from .control import Controller, VantagePoint, VpEvent
from .errors import (CommandError, ConnectionLost, FormatError,
                     LibraryMissing, ScamperError)
from .reader import read, read_json, sniff
from .result import Ping, Result, Trace, make_result
from .session import Command
from .warts import read_warts

__version__ = "0.1.0"

__all__ = ["Controller", "VantagePoint", "VpEvent", "Command", "Result",
           "Trace", "Ping", "make_result", "read", "read_json", "read_warts",
           "sniff", "ScamperError", "CommandError", "ConnectionLost",
           "FormatError", "LibraryMissing"]
