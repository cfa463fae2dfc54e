#!/usr/bin/env python3
"""Pastes each example file into README.md's `<!-- example: PATH -->` block.
tests/docs/check_readme.py fails when they drift apart; this fixes it.

    python3 scripts/sync_readme_examples.py
"""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
readme = root / "README.md"
pattern = re.compile(r"(<!-- example: (\S+) -->\s*\n```[a-z+]*\n)(.*?)(```)", re.S)


def paste(m: re.Match) -> str:
    return m.group(1) + (root / m.group(2)).read_text(encoding="utf-8") + m.group(4)


readme.write_text(pattern.sub(paste, readme.read_text(encoding="utf-8")), encoding="utf-8")
