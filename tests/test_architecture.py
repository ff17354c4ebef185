"""The folder tree is the architecture: imports point one way and never in a circle.

Layers, lowest first (docs/architecture.md):
    texts → errors, schema, findings, version → rules → model → read → check → write → work → cli, excel, frames
A module may import its own layer or a lower one.  Nothing outside cli imports cli;
only cli imports excel (to build the add-in).  Imports inside functions count too: a
lazy import is still a dependency.  Imports under ``if TYPE_CHECKING:`` are type hints
only and do not count.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xltools"

LAYERS = {"texts": 0, "errors": 1, "schema": 1, "findings": 1, "version": 1, "aside": 1, "rules": 2, "model": 3,
          "read": 4, "check": 5, "write": 6, "work": 7, "cli": 8, "excel": 8, "ui": 8,
          "frames": 8}


def module_name(path: Path) -> str:
    parts = ("xltools",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The xltools modules a file imports (names imported from a package that are
    themselves modules count as those modules)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "xltools")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if base.split(".")[0] != "xltools":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    out.discard(me)
    return out


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


GRAPH = {m: imports_of(p, set(modules())) for m, p in modules().items()}


def test_every_module_has_a_layer():
    assert [m for m in GRAPH if m != "xltools" and layer(m) is None] == []


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m != "xltools"))
def test_imports_point_down(module):
    mine = layer(module)
    upward = sorted(d for d in GRAPH[module] if d == "xltools" or (layer(d) or 0) > mine)
    assert upward == [], f"{module} (layer {mine}) imports a higher layer: {upward}"
    room = module.split(".")[1]
    if room != "cli":
        assert not [d for d in GRAPH[module] if d.startswith("xltools.cli")], f"{module} imports the CLI"
    if room not in ("cli", "excel"):
        assert not [d for d in GRAPH[module] if d.startswith("xltools.excel")], f"{module} imports excel"


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets (a module found again on its own path).  A
    package's __init__ importing its own modules is not a cycle with them."""
    cycles, state = [], {}

    def visit(m, path):
        state[m] = "open"
        for d in sorted(graph.get(m, ())):
            if d not in graph or d == "xltools" or d.startswith(m + "."):
                continue
            if state.get(d) == "open":
                cycles.append(path[path.index(d):] + [d])
            elif d not in state:
                visit(d, path + [d])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    return cycles


def test_no_import_cycles():
    assert find_cycles(GRAPH) == []


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    """The test above could fail: a read module importing work is caught."""
    fake = tmp_path / "xltools"
    (fake / "read").mkdir(parents=True)
    (fake / "work").mkdir()
    (fake / "read" / "a.py").write_text("from xltools.work.b import x\n")
    (fake / "work" / "b.py").write_text("def f():\n    from xltools.read import a\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    mods = modules()
    graph = {m: imports_of(p, set(mods)) for m, p in mods.items()}
    assert graph["xltools.read.a"] == {"xltools.work.b"}
    assert graph["xltools.work.b"] == {"xltools.read.a"}
    assert layer("xltools.work.b") > layer("xltools.read.a")
    assert find_cycles(graph) == [["xltools.read.a", "xltools.work.b", "xltools.read.a"]]


# ------------------------------------------------------------------ one home for each rule

UNIT_SEPARATORS = set("、，；;")
EXTERNAL_FORMS = {"openpyxl", "xlwings", "docx", "xlsxwriter", "matplotlib"}


def trees() -> dict[str, ast.AST]:
    return {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in modules().items()}


def unit_splits(tree: ast.AST) -> list[int]:
    """Lines that split text on a unit separator (str.split / re.split with 、，； in it)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and UNIT_SEPARATORS & set(arg.value):
                    out.append(node.lineno)
    return out


def test_only_rules_units_splits_unit_text():
    """The one unit splitter (rules.units.split_units) is called, never written again."""
    found = {m: lines for m, tree in trees().items() if m != "xltools.rules.units" and (lines := unit_splits(tree))}
    assert found == {}


def test_rules_make_no_file_forms():
    """rules/ is pure: the openpyxl, XML and Excel forms of a rule are made by the writers."""
    found = {}
    for m, tree in trees().items():
        if m.startswith("xltools.rules"):
            names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            if names & EXTERNAL_FORMS:
                found[m] = sorted(names & EXTERNAL_FORMS)
    assert found == {}


def finding_like_classes(tree: ast.AST) -> list[str]:
    """Classes with a `severity` field or attribute: a second kind of finding."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                target = item.target if isinstance(item, ast.AnnAssign) else None
                if isinstance(target, ast.Name) and target.id == "severity":
                    out.append(node.name)
    return out


def test_findings_are_made_only_through_the_findings_module():
    """Every problem is a findings.Finding with a code of the one table, whose severity and
    texts come from that table: no other finding type, no code that is not in it."""
    from xltools.texts import FINDINGS
    others, unknown = {}, {}
    for m, tree in trees().items():
        if m != "xltools.findings" and (classes := finding_like_classes(tree)):
            others[m] = classes
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding" and node.args \
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value not in FINDINGS:
                unknown.setdefault(m, []).append(node.args[0].value)
    assert others == {} and unknown == {}


def test_the_rule_checks_can_fail():
    bad = ast.parse('x = text.split("、")\n@dataclass\nclass IssueRow:\n    severity: str\n')
    assert unit_splits(bad) == [1]
    assert finding_like_classes(bad) == ["IssueRow"]


def test_a_finding_needs_its_parameters():
    """Under test a finding made without a parameter its message names fails where it
    is made (a clerk would see "?" instead)."""
    from xltools.findings import STRICT, Finding
    assert STRICT
    with pytest.raises(TypeError, match="task"):
        Finding("missing-units", "a.xlsx", "Sheet1", "D5")
    from xltools.findings import task_named
    with pytest.raises(KeyError):
        Finding("no-such-code", "a.xlsx")
    assert Finding("missing-units", "a.xlsx", params={"task": task_named(3, 5)}).message() == "第 3 项没有填写责任单位。"
    assert Finding("missing-units", "a.xlsx", params={"task": task_named(None, 5)}).message() == "第 5 行的任务没有填写责任单位。"


def test_every_text_and_finding_code_is_defined_once():
    """A dict literal keeps the last of two equal keys silently: a code or text key
    written twice (a merge of two branches, say) would lose one of its texts."""
    twice = {}
    for m, tree in trees().items():
        if not m.startswith("xltools.texts"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                if dup := sorted({k for k in keys if keys.count(k) > 1}):
                    twice[m] = dup
    assert twice == {}
