"""SECURITY.md names the tests that prove it, and those names stay true.

Every backticked test reference (`test_x.py` or `test_x.py::test_name`) must name a file
that exists and, with `::`, a test function in it: renaming or deleting a test breaks
this test until the document follows. A bare file name is in `tests/security/`, a path
(`tests/accounts/test_api.py`) is from the repository's root.

Every table row, paragraph and bullet of the promise sections must carry at least one
reference. Only the document's introduction, the threat model's header row and the
section on reporting a problem are exempt.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "SECURITY.md"
DEFAULT_DIR = Path("tests/security")

PROMISE_SECTIONS = ("Threat model", "What is guaranteed", "What is not covered")
EXEMPT_SECTIONS = ("Reporting a problem",)
# Blocks of the promise sections that promise nothing themselves.
EXEMPT_BLOCKS = ("| Who | Wants to | Stopped by | Tested in |",)

REFERENCE = re.compile(r"`((?:tests/(?:\w+/)*)?test_\w+\.py)(?:::(\w+))?`")
BARE_TEST_NAME = re.compile(r"`(test_\w+)`")
TABLE_SEPARATOR = re.compile(r"^\|[\s|:-]+\|$")


@dataclass(frozen=True)
class Block:
    section: str
    line: int
    text: str

    def __str__(self) -> str:
        first = self.text.splitlines()[0]
        return f"SECURITY.md:{self.line} ({self.section}): {first[:90]}"


def sections() -> dict[str, list[tuple[int, str]]]:
    """The document's lines (numbered from 1) under each `## ` heading; the
    introduction under ""."""
    found: dict[str, list[tuple[int, str]]] = {"": []}
    current = ""
    for number, line in enumerate(DOCUMENT.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        elif not line.startswith("# "):
            found[current].append((number, line))
    return found


def blocks(section: str, lines: list[tuple[int, str]]) -> list[Block]:
    """Table rows, bullets (with their indented continuation lines) and paragraphs."""
    found: list[Block] = []
    start, text, kind = 0, [], None

    def close():
        nonlocal text, kind
        if text:
            found.append(Block(section, start, "\n".join(text)))
        text, kind = [], None

    for number, line in lines:
        if not line.strip():
            close()
        elif line.startswith("|"):
            close()
            if not TABLE_SEPARATOR.match(line.strip()):
                found.append(Block(section, number, line))
        elif line.startswith("- "):
            close()
            start, text, kind = number, [line], "bullet"
        elif (kind == "bullet" and line.startswith("  ")) or kind == "paragraph":
            text.append(line)
        else:
            close()
            start, text, kind = number, [line], "paragraph"
    close()
    return found


def all_blocks() -> list[Block]:
    return [block for name, lines in sections().items() for block in blocks(name, lines)]


def promise_blocks() -> list[Block]:
    return [
        block
        for block in all_blocks()
        if block.section in PROMISE_SECTIONS and block.text.strip() not in EXEMPT_BLOCKS
    ]


def references() -> list[tuple[Block, str, str | None]]:
    return [
        (block, path, name)
        for block in all_blocks()
        for path, name in REFERENCE.findall(" ".join(block.text.split()))
    ]


def resolve(path: str) -> Path:
    return REPO / path if path.startswith("tests/") else REPO / DEFAULT_DIR / path


@cache
def names_of_tests(file: Path) -> frozenset[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


def test_the_document_has_its_sections():
    names = set(sections())
    assert set(PROMISE_SECTIONS) <= names
    assert set(EXEMPT_SECTIONS) <= names
    unknown = names - set(PROMISE_SECTIONS) - set(EXEMPT_SECTIONS) - {""}
    assert not unknown, f"say whether these sections promise anything: {sorted(unknown)}"
    assert len(promise_blocks()) >= 30
    assert len(references()) >= 80


def test_every_referenced_test_file_exists():
    missing = sorted(
        {f"{path} (from {block})" for block, path, _ in references() if not resolve(path).is_file()}
    )
    assert not missing, "\n".join(missing)


def test_every_referenced_test_exists_in_its_file():
    missing = sorted(
        {
            f"{path}::{name} (from {block})"
            for block, path, name in references()
            if name and resolve(path).is_file() and name not in names_of_tests(resolve(path))
        }
    )
    assert not missing, "\n".join(missing)


def test_no_test_is_named_without_its_file():
    """A bare `test_name` cannot be checked against one file: write `file.py::test_name`."""
    bare = [
        f"{name} (from {block})"
        for block in all_blocks()
        for name in BARE_TEST_NAME.findall(block.text)
    ]
    assert not bare, "\n".join(bare)


@pytest.mark.parametrize("block", promise_blocks(), ids=lambda block: f"line{block.line}")
def test_every_promise_names_its_test(block):
    joined = " ".join(block.text.split())
    assert REFERENCE.search(joined), f"{block} names no test that proves it"


def test_the_checks_catch_a_renamed_test_and_an_untested_promise(tmp_path, monkeypatch):
    """The checker itself: a reference to a test that is not there is reported."""
    assert "test_permission_matrix" in names_of_tests(resolve("test_permission_matrix.py"))
    assert "test_no_such_promise" not in names_of_tests(resolve("test_permission_matrix.py"))
    assert not resolve("test_no_such_file.py").is_file()
    assert REFERENCE.findall("`test_a.py::test_b` and `tests/accounts/test_c.py`") == [
        ("test_a.py", "test_b"),
        ("tests/accounts/test_c.py", ""),
    ]
    document = tmp_path / "SECURITY.md"
    document.write_text(
        "# Security\n\nIntro.\n\n## What is guaranteed\n\n**A.** Promised, untested.\n"
        "- a bullet (`test_login.py`)\n  continued.\n- another bullet\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.DOCUMENT", document)
    untested = [block.line for block in promise_blocks() if not REFERENCE.search(block.text)]
    assert [block.line for block in promise_blocks()] == [7, 8, 10]
    assert untested == [7, 10]
