"""A PEP 517 build backend for this one pure-Python package, in the tree
so that "pip install ./python" needs no index and works offline (pip's
isolated build would otherwise fetch setuptools).  It builds a wheel of
the scamper/ folder and an sdist of the project."""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME, VERSION = "scamper", "0.1.0"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = "%s-%s" % (NAME, VERSION)
METADATA = """Metadata-Version: 2.1
Name: %s
Version: %s
Summary: Drive scamper probers (control sockets, sc_remoted) and read warts and JSON results
License: ISC
Requires-Python: >=3.7
""" % (NAME, VERSION)
WHEEL = """Wheel-Version: 1.0
Generator: scamper_build
Root-Is-Purelib: true
Tag: py3-none-any
"""


def _sources():
    for d, _, files in sorted(os.walk(os.path.join(HERE, NAME))):
        for f in sorted(files):
            if f.endswith(".py"):
                full = os.path.join(d, f)
                yield full, os.path.relpath(full, HERE)


def _hash(data):
    h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + h.decode()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory,
                                     config_settings=None):
    info = os.path.join(metadata_directory, DIST + ".dist-info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write(METADATA)
    with open(os.path.join(info, "WHEEL"), "w") as f:
        f.write(WHEEL)
    return DIST + ".dist-info"


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    name = DIST + "-py3-none-any.whl"
    info = DIST + ".dist-info/"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        def add(arc, data):
            z.writestr(arc, data)
            record.append("%s,%s,%d" % (arc, _hash(data), len(data)))
        for full, rel in _sources():
            with open(full, "rb") as f:
                add(rel.replace(os.sep, "/"), f.read())
        add(info + "METADATA", METADATA.encode())
        add(info + "WHEEL", WHEEL.encode())
        record.append(info + "RECORD,,")
        z.writestr(info + "RECORD", "\n".join(record) + "\n")
    return name


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    """An editable install: a .pth file naming this folder."""
    name = DIST + "-py3-none-any.whl"
    info = DIST + ".dist-info/"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for arc, data in ((NAME + ".pth", (HERE + "\n").encode()),
                          (info + "METADATA", METADATA.encode()),
                          (info + "WHEEL", WHEEL.encode())):
            z.writestr(arc, data)
            record.append("%s,%s,%d" % (arc, _hash(data), len(data)))
        record.append(info + "RECORD,,")
        z.writestr(info + "RECORD", "\n".join(record) + "\n")
    return name


def build_sdist(sdist_directory, config_settings=None):
    name = DIST + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in ["pyproject.toml", "README.md"]:
            if os.path.exists(os.path.join(HERE, rel)):
                t.add(os.path.join(HERE, rel), DIST + "/" + rel)
        for d in ("backend", NAME, "tests"):
            for dd, _, files in sorted(os.walk(os.path.join(HERE, d))):
                for f in sorted(files):
                    if f.endswith(".py"):
                        full = os.path.join(dd, f)
                        t.add(full, DIST + "/" + os.path.relpath(full, HERE))
        info = tarfile.TarInfo(DIST + "/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name
