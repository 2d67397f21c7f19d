"""The audit app sits below accounts: accounts (and every other app) write through
tongxin.audit.services, and audit imports nothing of accounts, so the two never import each
other."""

import ast
from pathlib import Path

import tongxin.audit

AUDIT = Path(tongxin.audit.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_audit_app_imports_nothing_from_accounts():
    offending = {
        f"{path.relative_to(AUDIT)}: {module}"
        for path in AUDIT.rglob("*.py")
        for module in _imported_modules(path)
        if module == "tongxin.accounts" or module.startswith("tongxin.accounts.")
    }
    assert offending == set()
