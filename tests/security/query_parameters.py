"""Which query parameters each view reads, found by reading the source.

A list page or API list narrows what it shows by its query string (`?group=`,
`?activity=`, `?organisation=`…). To prove that no such parameter leaks or changes
another partner's data, the every-URL walk sends each one, set to another partner's
records and to junk; this module finds them so that a new one cannot be missed.

The source of every module under `engage/` is parsed (tests and migrations aside).
A read is a call of `.get("name")` or `.getlist("name")`, a subscript `["name"]` or a
test `"name" in …` on a query string: `request.GET`, `request.query_params` (also
through `self.request` or `request._request`), a local name bound to one of those
(`get = request.GET`), or a parameter of a helper that some caller passes a query
string to (`theme_filters(request.GET)`, `reach_set_from(request.query_params)`). A
function's reads include those of the functions it calls (resolved within its module
and through `from engage… import …`), so `paginate(request, …)` reads `page`. Where a
query string is passed to something this cannot follow, or read with a name that is
not a literal, or iterated, the read is reported as unknown (`<…>`) so a person
catalogues it by hand. Building links from the whole query (`.urlencode()`,
`.copy()`) reads no parameter of its own.

DRF's page number pagination reads `page` (`PageNumberPagination.page_query_param`):
a call of `paginate_queryset` or a `ListAPIView` counts as reading it.

Templates read the query string too (`request.GET.get("month")` in a Jinja template);
`template_reads` finds those by pattern.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGAGE = ROOT / "engage"
QUERY_ATTRIBUTES = frozenset({"GET", "query_params"})
# A form sent by POST, read the same way (`post_reads_of`).
FORM_ATTRIBUTES = frozenset({"POST"})
READ_METHODS = {"get", "getlist"}
# Whole-query uses that read no parameter by name (links that keep the query).
PASS_THROUGH = {"urlencode", "copy"}
DRF_PAGE = "page"


@dataclass
class Function:
    """One function or method: where it is, what it reads and whom it calls."""

    key: str  # module.qualname
    module: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    params: list[str]
    reads: dict[str, list[int]] = field(default_factory=dict)  # name -> lines
    # Reads through one of its own parameters, when a caller passes a query string there.
    param_reads: dict[str, set[str]] = field(default_factory=dict)
    aliases: set[str] = field(default_factory=set)  # names that hold a query string in it
    calls: list[ast.Call] = field(default_factory=list)
    callees: list[tuple[ast.Call, Function]] = field(default_factory=list)  # those of ours


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def source_files() -> list[Path]:
    return sorted(
        path
        for path in ENGAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and "management" not in path.parts
    )


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted target, for `from engage… import name [as alias]`."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("engage"):
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _is_query(node: ast.AST, aliases: set[str], attributes: frozenset[str] = QUERY_ATTRIBUTES) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in attributes:
        return True
    return isinstance(node, ast.Name) and node.id in aliases


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Collector(ast.NodeVisitor):
    """The reads of one function body (nested functions are their own)."""

    def __init__(self, function: Function, query_params: set[str], attributes: frozenset[str]) -> None:
        self.function = function
        self.attributes = attributes
        self.aliases = set(query_params)
        self.query_params = query_params
        self.by_param: dict[str, set[str]] = {p: set() for p in query_params}

    def _read(self, name: str, node: ast.AST, via: ast.AST) -> None:
        target = self.by_param.get(via.id) if isinstance(via, ast.Name) else None
        if target is not None:
            target.add(name)
        else:
            self.function.reads.setdefault(name, []).append(node.lineno)  # type: ignore[attr-defined]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node is self.function.node:
            self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        if node is self.function.node:
            self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if _is_query(node.value, self.aliases, self.attributes):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.aliases.add(target.id)
                    if isinstance(node.value, ast.Name) and node.value.id in self.by_param:
                        self.by_param.setdefault(target.id, self.by_param[node.value.id])
            return
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and _is_query(func.value, self.aliases, self.attributes):
            name = _literal(node.args[0]) if node.args else None
            if func.attr in READ_METHODS:
                self._read(
                    name if name is not None else f"<{func.attr}() of a name not written out>",
                    node,
                    func.value,
                )
            elif func.attr not in PASS_THROUGH:
                self._read(f"<.{func.attr}() of the whole query string>", node, func.value)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "paginate_queryset"
            and self.attributes == QUERY_ATTRIBUTES
        ):
            self.function.reads.setdefault(DRF_PAGE, []).append(node.lineno)
        self.function.calls.append(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if _is_query(node.value, self.aliases, self.attributes):
            name = _literal(node.slice)
            self._read(name if name is not None else "<[…] of a name not written out>", node, node.value)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and _is_query(right, self.aliases, self.attributes):
                name = _literal(node.left)
                self._read(name if name is not None else "<`in` with a name not written out>", node, right)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        if _is_query(node.iter, self.aliases, self.attributes):
            self._read("<iterates over the whole query string>", node, node.iter)
        self.generic_visit(node)


@dataclass
class Source:
    functions: dict[str, Function]
    classes: dict[str, list[str]]  # class key -> keys of its methods
    list_api_classes: set[str]  # class keys of DRF generic list views (paginated by DRF)
    imports: dict[str, dict[str, str]]  # module -> its `from engage… import` names
    attributes: frozenset[str]  # what holds the parameters: the query string, or a form


def _functions(
    module: str, tree: ast.Module
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    """(qualname, node, enclosing class qualname or "") for every function in the module."""

    def walk(
        node: ast.AST, prefix: str, owner: str
    ) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.", f"{prefix}{child.name}")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{prefix}{child.name}", child, owner
                yield from walk(child, f"{prefix}{child.name}.<locals>.", "")

    yield from walk(tree, "", "")


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for written in node.bases:
        base = written.value if isinstance(written, ast.Subscript) else written
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


@cache
def _trees() -> tuple[tuple[str, ast.Module], ...]:
    return tuple(
        (_module_name(path), ast.parse(path.read_text(), filename=str(path))) for path in source_files()
    )


@cache
def parsed(attributes: frozenset[str] = QUERY_ATTRIBUTES) -> Source:
    functions: dict[str, Function] = {}
    classes: dict[str, list[str]] = {}
    list_apis: set[str] = set()
    imports: dict[str, dict[str, str]] = {}
    for module, tree in _trees():
        imports[module] = _imports(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _base_names(node) & {"ListAPIView", "ListCreateAPIView"}:
                list_apis.add(f"{module}.{node.name}")
        for qualname, node, owner in _functions(module, tree):
            params = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
            key = f"{module}.{qualname}"
            functions[key] = Function(key=key, module=module, node=node, params=params)
            if owner:
                classes.setdefault(f"{module}.{owner}", []).append(key)
    source = Source(functions, classes, list_apis, imports, attributes)
    _collect(source)
    return source


def _callee(source: Source, caller: Function, call: ast.Call) -> Function | None:
    """The function a call names, where it is one of the project's own."""
    func = call.func
    module_imports = source.imports.get(caller.module, {})
    if isinstance(func, ast.Name):
        target = module_imports.get(func.id, f"{caller.module}.{func.id}")
        return source.functions.get(target)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = func.value.id
        if owner in {"self", "cls"}:
            cls = caller.key.rsplit(".", 1)[0]
            return source.functions.get(f"{cls}.{func.attr}")
        module = module_imports.get(owner)
        if module is not None:
            return source.functions.get(f"{module}.{func.attr}")
    return None


def _arguments(callee: Function, call: ast.Call) -> Iterator[tuple[str, ast.AST]]:
    """(parameter name, argument) for each argument of the call that the callee names."""
    params = callee.params
    if params[:1] in (["self"], ["cls"]) and isinstance(call.func, ast.Attribute):
        params = params[1:]  # a method called on self: its first parameter is bound
    yield from zip(params, call.args, strict=False)
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield keyword.arg, keyword.value


def _collect(source: Source) -> None:
    """Each function's own reads and calls; then, until nothing changes, which of its
    parameters its callers pass a query string to (those functions are read again)."""
    query_params: dict[str, set[str]] = {key: set() for key in source.functions}
    pending = list(source.functions)
    while pending:
        again: set[str] = set()
        for key in pending:
            function = source.functions[key]
            function.reads, function.calls = {}, []
            collector = _Collector(function, query_params[key], source.attributes)
            collector.visit(function.node)
            function.param_reads, function.aliases = collector.by_param, collector.aliases
            function.callees = []
            for call in function.calls:
                callee = _callee(source, function, call)
                arguments = (*call.args, *(k.value for k in call.keywords))
                if callee is None:
                    if any(_is_query(a, collector.aliases, source.attributes) for a in arguments):
                        passed = f"<query string passed to {ast.unparse(call.func)}()>"
                        function.reads.setdefault(passed, []).append(call.lineno)
                    continue
                function.callees.append((call, callee))
                for param, arg in _arguments(callee, call):
                    if (
                        _is_query(arg, collector.aliases, source.attributes)
                        and param not in query_params[callee.key]
                    ):
                        query_params[callee.key].add(param)
                        again.add(callee.key)
        pending = sorted(again)


@cache
def reads_of(key: str, attributes: frozenset[str] = QUERY_ATTRIBUTES) -> frozenset[str]:
    """Every query parameter the function (or class, all its methods) reads, with those
    its callees read on its behalf."""
    source = parsed(attributes)
    if key in source.classes:
        names: set[str] = set()
        for method in source.classes[key]:
            names |= reads_of(method, attributes)
        if key in source.list_api_classes and attributes == QUERY_ATTRIBUTES:
            names.add(DRF_PAGE)
        return frozenset(names)
    function = source.functions.get(key)
    if function is None:
        return frozenset()
    names = set(function.reads)
    _in_progress.add((key, attributes))
    try:
        for call, callee in function.callees:
            if (callee.key, attributes) not in _in_progress:  # recursion: already being read
                names |= reads_of(callee.key, attributes)
            for param, arg in _arguments(callee, call):
                if _is_query(arg, function.aliases, source.attributes):
                    names |= _param_reads(source, callee.key, param, frozenset({key}))
    finally:
        _in_progress.discard((key, attributes))
    return frozenset(names)


_in_progress: set[tuple[str, frozenset[str]]] = set()


def _param_reads(source: Source, key: str, param: str, seen: frozenset[str]) -> set[str]:
    """What a function reads through one of its parameters, followed into its callees."""
    function = source.functions[key]
    names = set(function.param_reads.get(param, set()))
    for call, callee in function.callees:
        if callee.key in seen:
            continue
        for callee_param, arg in _arguments(callee, call):
            if isinstance(arg, ast.Name) and arg.id == param:
                names |= _param_reads(source, callee.key, callee_param, seen | {key})
    return names


def post_reads_of(key: str) -> frozenset[str]:
    """The fields of a POSTed form that the view reads by name (`request.POST.get("form")`);
    fields a Django form reads for itself are not among them."""
    return reads_of(key, FORM_ATTRIBUTES)


def lines_reading(name: str, module: str) -> list[str]:
    """Where the module reads the parameter `name` (file:line), for messages."""
    found = []
    for function in parsed().functions.values():
        if function.module != module:
            continue
        found += [f"{module.replace('.', '/')}.py:{line}" for line in function.reads.get(name, [])]
        if any(name in reads for reads in function.param_reads.values()):
            found.append(f"{function.key} (through its parameter)")
    return sorted(set(found))


def module_reads() -> dict[str, frozenset[str]]:
    """Every parameter read anywhere in each module, however it is reached."""
    found: dict[str, set[str]] = {}
    for function in parsed().functions.values():
        names = set(function.reads)
        for reads in function.param_reads.values():
            names |= reads
        if names:
            found.setdefault(function.module, set()).update(names)
    return {module: frozenset(names) for module, names in found.items()}


TEMPLATE_READ = re.compile(r"""request\.GET(?:\.get(?:list)?\(\s*|\[\s*)["']([^"']+)["']""")
TEMPLATE_ANY = re.compile(r"request\.(?:GET|query_params)\b")


def template_reads() -> dict[str, frozenset[str]]:
    """For each template that reads the query string, the names it reads (a read this
    pattern cannot name is reported as unknown)."""
    found: dict[str, frozenset[str]] = {}
    for path in sorted(ENGAGE.rglob("jinja2/**/*")):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if not TEMPLATE_ANY.search(text):
            continue
        names = set(TEMPLATE_READ.findall(text))
        named = len(TEMPLATE_READ.findall(text))
        if named < len(TEMPLATE_ANY.findall(text)):
            names.add("<a read of the query string this pattern cannot name>")
        found[str(path.relative_to(ROOT))] = frozenset(names)
    return found
