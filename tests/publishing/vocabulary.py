"""Does a JSON-LD document use schema.org's terms where schema.org allows them?

Reads the vocabulary (release 30.0) from the shared conformance material and checks
every node of a document with a schema.org `@context`: its `@type` is a schema.org
class; each property is a schema.org property whose domain includes the node's class (or
a class it inherits from); each value fits the property's range: a node whose class is
in the range (or inherits from one), text where the range has Text, URL, Date, DateTime
or Time, a number where it has Number. Returns the problems found, as sentences.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

TEXTUAL = {"Text", "URL", "Date", "DateTime", "Time"}
NUMERIC = {"Number", "Integer", "Float"}


def _ids(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v["@id"].removeprefix("schema:") for v in values if isinstance(v, dict)]


@cache
def vocabulary(path: Path) -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    """(class -> its direct parents, property -> (domain, range))."""
    graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    classes: dict[str, set[str]] = {}
    properties: dict[str, tuple[set[str], set[str]]] = {}
    for node in graph:
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        name = node["@id"].removeprefix("schema:")
        if "rdfs:Class" in kinds or "schema:DataType" in kinds:
            classes[name] = set(_ids(node.get("rdfs:subClassOf", [])))
        elif "rdf:Property" in kinds:
            properties[name] = (
                set(_ids(node.get("schema:domainIncludes", []))),
                set(_ids(node.get("schema:rangeIncludes", []))),
            )
    return classes, properties


def _ancestors(name: str, classes: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(classes.get(current, ()))
    return seen


def problems(document: Any, vocabulary_file: Path) -> list[str]:
    classes, properties = vocabulary(vocabulary_file)
    found: list[str] = []

    def node(obj: dict[str, Any], where: str) -> None:
        kind = obj.get("@type")
        if not isinstance(kind, str) or kind not in classes:
            found.append(f"{where}: {kind!r} is not a schema.org type")
            return
        lineage = _ancestors(kind, classes)
        for key, value in obj.items():
            if key.startswith("@"):
                continue
            if key not in properties:
                found.append(f"{where}.{key}: not a schema.org property")
                continue
            domain, range_ = properties[key]
            if not domain & lineage:
                found.append(f"{where}.{key}: not a property of {kind}")
            for index, one in enumerate(value if isinstance(value, list) else [value]):
                at = f"{where}.{key}[{index}]"
                if isinstance(one, dict):
                    child = one.get("@type")
                    if not isinstance(child, str) or not _ancestors(child, classes) & range_:
                        found.append(f"{at}: a {child} where {sorted(range_)} are expected")
                    node(one, at)
                elif isinstance(one, bool) or one is None:
                    found.append(f"{at}: {one!r} is no value")
                elif isinstance(one, int | float):
                    if not range_ & NUMERIC and "Text" not in range_:
                        found.append(f"{at}: a number where {sorted(range_)} are expected")
                elif isinstance(one, str) and not range_ & TEXTUAL:
                    found.append(f"{at}: text where {sorted(range_)} are expected")

    for index, obj in enumerate(document if isinstance(document, list) else [document]):
        node(obj, f"[{index}]")
    return found
