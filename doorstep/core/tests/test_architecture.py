"""The shape of the code: imports between apps point one way (docs/architecture.md, "Which way imports
point"). Tests and migrations aside, every import of one app's module by another app's code is an edge,
whether at the top of a module or inside a function; a cycle among apps fails the suite, naming the
imports that make it."""

import ast
from collections import defaultdict
from pathlib import Path

DOORSTEP = Path(__file__).resolve().parents[2]
APPS = sorted(p.name for p in DOORSTEP.iterdir() if (p / "apps.py").exists())
# The one deliberate cycle: the kernel's tenancy and the analytics engine's partitions know
# organizations and the roles held in them, and organizations are built on the kernel.
ALLOWED_CYCLES = [{"core", "organizations"}]


def app_imports(root: Path = DOORSTEP) -> dict[str, dict[str, list[str]]]:
    """{app: {other app: ["file:line", ...]}} for the code of every app under ``root``."""
    apps = sorted(p.name for p in root.iterdir() if (p / "apps.py").exists())
    edges: dict[str, dict[str, list[str]]] = {app: defaultdict(list) for app in apps}
    for app in apps:
        for path in (root / app).rglob("*.py"):
            parts = path.relative_to(root / app).parts
            if "tests" in parts or "migrations" in parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                for other in _imported_apps(node, apps):
                    if other != app:
                        edges[app][other].append(f"{path.relative_to(root)}:{node.lineno}")
    return edges


def _imported_apps(node: ast.AST, apps: list[str]) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = node.module.split(".")
        if names[0] == "doorstep":
            if len(names) > 1:
                return [names[1]] if names[1] in apps else []
            return [alias.name for alias in node.names if alias.name in apps]
    if isinstance(node, ast.Import):
        found = []
        for alias in node.names:
            names = alias.name.split(".")
            if names[0] == "doorstep" and len(names) > 1 and names[1] in apps:
                found.append(names[1])
        return found
    return []


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_between_apps_point_one_way():
    edges = app_imports()
    graph = {app: set(others) for app, others in edges.items()}
    unexpected = [c for c in cycles(graph) if c not in ALLOWED_CYCLES]
    where = {
        " ↔ ".join(sorted(c)): {
            f"{a} → {b}": edges[a][b][:3] for a in sorted(c) for b in sorted(graph[a] & c)
        }
        for c in unexpected
    }
    assert unexpected == [], f"Imports between apps make a cycle: {where}"


def test_the_kernel_imports_no_app_but_organizations():
    assert set(app_imports()["core"]) <= {"organizations"}


def test_no_app_imports_the_benchmarks():
    importers = [app for app, others in app_imports().items() if "bench" in others]
    assert importers == []


def test_it_finds_a_cycle_of_apps(tmp_path):
    for app, imports in {
        "alpha": "from doorstep.beta import models\n",
        "beta": "def f():\n    from doorstep.gamma import queries\n",
        "gamma": "import doorstep.alpha.services\n",
        "delta": "from doorstep import alpha\n",
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "services.py").write_text(imports)
        (tmp_path / app / "tests").mkdir()
        (tmp_path / app / "tests" / "test_it.py").write_text("from doorstep.delta import services\n")
    graph = {app: set(others) for app, others in app_imports(tmp_path).items()}
    assert graph["delta"] == {"alpha"}  # a test's import is not an edge
    assert cycles(graph) == [{"alpha", "beta", "gamma"}]
