"""Imports sit at the module top; a function-level import stays only with a stated reason.

A reason is a comment on the import's line, or in the comments right above its group of
imports, that names the cycle it breaks ("cycle: ...") or says why it is "not at the top: ..."
(Django's app loading, an optional backend, a heavy optional library). Migrations and tests are
not checked.

Run as a script to list every function-level import and print their count:
    .venv/bin/python tests/portal/test_imports.py
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "docs_base", "search", "benchmarks", "forum", "elearning", "alerts")
REASON = re.compile(r"#.*\b(cycle|not at the top:)", re.IGNORECASE)


def python_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" not in parts and "tests" not in parts:
                yield path


def function_level_imports(path: Path) -> list[int]:
    """Line numbers of the imports inside function bodies (nested ones included)."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return sorted(lines)


def has_reason(lines: list[str], lineno: int) -> bool:
    """The import's own line, or the comments above its group of imports, state a reason."""
    index = lineno - 1
    if REASON.search(lines[index]):
        return True
    index -= 1
    while index >= 0:
        line = lines[index].strip()
        if line.startswith("#"):
            if REASON.search(line):
                return True
        elif not (line.startswith(("from ", "import ")) or line.endswith(",") or line == ")"):
            return False
        index -= 1
    return False


def all_imports() -> list[tuple[str, int, str, bool]]:
    found = []
    for path in python_files():
        lines = path.read_text().splitlines()
        for lineno in function_level_imports(path):
            name = str(path.relative_to(ROOT))
            found.append((name, lineno, lines[lineno - 1].strip(), has_reason(lines, lineno)))
    return found


def test_every_function_level_import_states_why():
    unexplained = [f"{name}:{lineno}: {text}" for name, lineno, text, ok in all_imports() if not ok]
    assert not unexplained, "Move to the module top, or say why not:\n" + "\n".join(unexplained)


def test_the_checker_sees_a_reason_only_where_one_is_written():
    lines = [
        "def f():",
        "    # Not at the top: WeasyPrint is heavy.",
        "    from weasyprint import HTML",
        "    from weasyprint.urls import URLFetcher",
        "    from a import b  # cycle: a imports this module",
        "",
        "    from django.conf import settings",
    ]
    assert [has_reason(lines, n) for n in (3, 4, 5, 7)] == [True, True, True, False]


if __name__ == "__main__":
    imports = all_imports()
    for name, lineno, text, ok in imports:
        print(f"{name}:{lineno}: {text}{'' if ok else '   <-- no reason'}")
    print(f"{len(imports)} function-level imports, {sum(not ok for *_, ok in imports)} unexplained")
    sys.exit(0)
