"""What the tests share: where the corpus is, and whether libscamperfile
can be loaded."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(TOP, "tests", "data")


def have_lib():
    from scamper import warts
    from scamper.errors import LibraryMissing
    try:
        warts.library()
        return True
    except LibraryMissing:
        return False


def corpus_pairs():
    """(warts, json) paths of the corpus files that have both."""
    out = []
    for f in sorted(os.listdir(CORPUS)):
        if f.endswith(".warts"):
            j = os.path.join(CORPUS, f[:-6] + ".json")
            if os.path.exists(j):
                out.append((os.path.join(CORPUS, f), j))
    return out
