"""The app's own Python modules, for tests that read the code itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {
    "tests",
    # Writes made-up LinkedIn files for load runs: no one's data, imported, never opened.
    "bench",
    "node_modules",
    "static",
    "var",
}


def app_modules() -> dict[str, ast.Module]:
    """{path from the project's root: its syntax tree}."""
    paths = list(ROOT.glob("*.py"))
    for top in ROOT.iterdir():
        if top.is_dir() and top.name not in SKIPPED and not top.name.startswith("."):
            paths += top.rglob("*.py")
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(), filename=str(p)) for p in paths}
