"""Check that the Python running this script provides the pinned packages of requirements.txt.

Usage::

    .venv/bin/python notebooks-data/check_requirements.py notebooks-data/requirements.txt

Each ``name==version`` line is checked by importing the module and comparing its
``__version__`` (Debian's python3-h5py ships no installable-package metadata, so the
module is asked, not pip). Nothing is installed or downloaded. Exit status 0 when every
pin is met; 1 with one line per missing or different package otherwise.
"""

import importlib
import sys


def pins(path):
    """The (name, version) pairs of the ``name==version`` lines of `path`."""
    result = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, separator, version = line.partition("==")
            if not separator:
                raise SystemExit(f"{path}: {line!r} is not pinned with ==")
            result.append((name.strip(), version.strip()))
    return result


def main(argv):
    if len(argv) != 2:
        print("usage: check_requirements.py requirements.txt", file=sys.stderr)
        return 2
    problems = []
    for name, wanted in pins(argv[1]):
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            problems.append(f"{name}: not importable by {sys.executable} ({error}); want {wanted}")
            continue
        found = getattr(module, "__version__", "unknown")
        if found != wanted:
            problems.append(f"{name}: {found} found at {module.__file__}, {wanted} pinned")
        else:
            print(f"{name} {found}  ({module.__file__})")
    for problem in problems:
        print(f"check_requirements: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
