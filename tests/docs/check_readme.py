#!/usr/bin/env python3
"""Checks that every code block in README.md marked with
`<!-- example: PATH -->` is exactly the file PATH, so the quick starts in the
README are the examples the tests build and run and cannot rot.

    python3 tests/docs/check_readme.py README.md
"""
import pathlib
import re
import sys


def main() -> int:
    readme = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    root = readme.parent
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- example: (\S+) -->\s*\n```[a-z+]*\n(.*?)```", re.S)
    blocks = pattern.findall(text)
    failures = 0
    for path, body in blocks:
        source = (root / path)
        if not source.is_file():
            print(f"README: example {path} does not exist")
            failures += 1
        elif source.read_text(encoding="utf-8") != body:
            print(f"README: the block for {path} differs from the file; paste the file again")
            failures += 1
    if not blocks:
        print("README: no example blocks found (expected <!-- example: PATH --> markers)")
        failures += 1
    print(f"readme examples: {len(blocks) - failures if blocks else 0} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
