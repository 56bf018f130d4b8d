"""`select_for_update()` outside a transaction is an error on PostgreSQL (SQLite ignores it, so
the SQLite suite never sees it): every function that locks rows must run inside one."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[1] / "apps"


def is_atomic(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target) in {"transaction.atomic", "atomic"}


def unguarded_locks(tree: ast.AST) -> list[tuple[str, int]]:
    found = []

    def visit(node, function: str, guarded: bool):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
            guarded = any(is_atomic(d) for d in node.decorator_list)
        if isinstance(node, ast.With | ast.AsyncWith) and any(
            is_atomic(item.context_expr) for item in node.items
        ):
            guarded = True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "select_for_update"
            and not guarded
        ):
            found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function, guarded)

    visit(tree, "<module>", False)
    return found


def test_it_locks_rows_only_inside_a_transaction():
    problems = []
    for path in sorted(APPS.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for function, line in unguarded_locks(ast.parse(path.read_text(encoding="utf-8"))):
            problems.append(f"{path.relative_to(APPS.parent)}:{line} {function}")
    assert problems == [], "select_for_update() вне transaction.atomic:\n" + "\n".join(problems)
