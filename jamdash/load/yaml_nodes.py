"""Read YAML text into plain data and a SourceMap, within limits, turning every problem into a finding."""

from __future__ import annotations

from typing import Any

import yaml

from jamdash import codes
from jamdash.findings import NOWHERE, Finding, Position
from jamdash.load.source import Document, Path, SourceMap

MAX_DEPTH = 48
MAX_NODES = 500_000


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_KEY_TYPES = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
              "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:null": "null",
              "tag:yaml.org,2002:timestamp": "a date"}


class _TooBig(Exception):
    def __init__(self, pos: Position, message: str) -> None:
        super().__init__(message)
        self.pos = pos


def _position(node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


class _Reader:
    """Turns a composed YAML node tree into plain data and a SourceMap."""

    def __init__(self, path: str) -> None:
        self.source = SourceMap(path)
        self.findings: list[Finding] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, pos: Position, rule: str, message: str) -> None:
        self.findings.append(Finding.at(self.source.path, pos, rule, message))

    def read(self, node: yaml.Node, path: Path) -> Any:
        pos = _position(node)
        self.source.values[path] = pos
        if len(path) > MAX_DEPTH:
            raise _TooBig(pos, f"the spec nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:
            return node.value  # what construct_object gives text, without its bookkeeping
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            self.fail(pos, codes.YAML_VALUE, f"cannot read this value ({problem}); quote it if you mean text")
            return None

    def _key(self, node: yaml.Node) -> str | None:
        pos = _position(node)
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:merge":
            self.fail(pos, codes.YAML_KEY, "mapping keys must be plain strings (no complex keys, lists, "
                                       "mappings or '<<' merges); write the key as text")
            return None
        if node.tag != _STR_TAG:
            kind = _KEY_TYPES.get(node.tag, f"of type {node.tag}")
            self.fail(pos, codes.YAML_KEY, f"key {node.value!r} is read by YAML as {kind}, not text; "
                                       f"quote it: '{node.value}'")
            return None
        key: str = node.value
        return key

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in out:
                first = self.source.keys[(*path, key)]
                self.fail(_position(key_node), codes.DUPLICATE_KEY,
                          f"duplicate key '{key}' (first defined at line {first.line}); YAML would silently "
                          "keep the last one: remove or merge one of them")
                continue
            self.source.keys[(*path, key)] = _position(key_node)
            out[key] = self.read(value_node, (*path, key))
        return out


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_size(root: yaml.Node) -> None:
    """Raise _TooBig when the document would expand past MAX_NODES nodes, before expanding it.

    Aliases make the node graph share nodes, so an 'alias bomb' of a few lines expands to billions
    of nodes; sizes are computed once per node (memoized), and a node that contains itself is
    reported as a recursive alias.
    """
    tree = _tree_size(root)
    if tree is not None and tree <= MAX_NODES:
        return
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        if key in size:
            continue
        if key in on_path:
            raise _TooBig(_position(node), "this value contains itself through an alias (a recursive alias)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
    if size[id(root)] <= MAX_NODES:
        return
    nodes = {id(n): n for n in _walk_unique(root)}
    worst = min((k for k in nodes if size[k] > MAX_NODES), key=lambda k: (size[k], _position(nodes[k])))
    raise _TooBig(_position(nodes[worst]),
                  f"this value expands to {size[worst]} YAML nodes, each use of an alias counted (the limit is "
                  f"{MAX_NODES}); remove the anchors that multiply each other")


def _tree_size(root: yaml.Node) -> int | None:
    """check_size's count when no mapping or sequence is reached twice (no alias to one, the usual
    case): one reference per node, found in a single pass. None when some is shared or recursive."""
    seen: set[int] = set()
    stack = [root]
    total = 1
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            total += 2 * len(node.value)
            stack.extend(part for pair in node.value for part in pair if not isinstance(part, yaml.ScalarNode))
        elif isinstance(node, yaml.SequenceNode):
            total += len(node.value)
            stack.extend(item for item in node.value if not isinstance(item, yaml.ScalarNode))
    return total


def _walk_unique(root: yaml.Node) -> list[yaml.Node]:
    seen: set[int] = set()
    out: list[yaml.Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            out.append(node)
            stack.extend(_children(node))
    return out


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark
    lines = text.splitlines()
    at_tab = mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"
    if "tab" in problem:
        return f"{problem}: indent with spaces, not tabs"
    if at_tab:
        return f"{problem} (a tab): indent with spaces, not tabs"
    if "another document" in problem:
        return "the spec must be one YAML document: remove the '---' that starts a second one"
    if exc.context and exc.problem:
        return f"{exc.context}, {problem}"
    return problem


def read_document(path: str, text: str) -> tuple[Document | None, list[Finding]]:
    """Parse YAML text into a Document; syntax problems become findings."""
    reader = _Reader(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else NOWHERE
        return None, [Finding.at(path, pos, codes.YAML_SYNTAX, _syntax_message(exc, text))]
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError) as exc:
        return None, [Finding.at(path, NOWHERE, codes.YAML_SYNTAX, f"cannot parse YAML: {exc}")]
    if node is None:
        return None, [Finding.at(path, NOWHERE, codes.SPEC_EMPTY,
                                 "the spec is empty; start from the example in docs/spec.md")]
    try:
        check_size(node)
        data = reader.read(node, ())
    except _TooBig as exc:
        return None, [Finding.at(path, exc.pos, codes.SPEC_TOO_LARGE, str(exc))]
    except RecursionError:
        return None, [Finding.at(path, NOWHERE, codes.SPEC_TOO_LARGE, f"the spec nests deeper than {MAX_DEPTH} levels")]
    return Document(data, reader.source), reader.findings
