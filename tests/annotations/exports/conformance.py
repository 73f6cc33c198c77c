"""Checks against the shared conformance material (beside the repository): the W3C
validator script and offline JSON-LD expansion with the local `anno.jsonld`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pyld import jsonld

ANNO_CONTEXT_URLS = ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld")


def validate_webanno(conformance_dir: Path, tmp_path: Path, *documents: Any) -> str:
    """Write each document to a file and run the W3C validator over all of them.

    Returns the validator's report; fails the test when it does not exit 0.
    """
    paths = []
    for index, document in enumerate(documents):
        path = tmp_path / f"document-{index}.json"
        if isinstance(document, bytes):
            path.write_bytes(document)
        else:
            path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run(
        [sys.executable, str(conformance_dir / "validate_webanno.py"), "--quiet", *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout, result.stdout
    return result.stdout


def offline_loader(conformance_dir: Path):
    """A pyld document loader that serves `anno.jsonld` from the local copy and refuses
    every other URL (nothing is fetched from the network)."""
    context = json.loads(
        (conformance_dir / "w3c" / "web-annotation" / "jsonld" / "anno.jsonld").read_text(
            encoding="utf-8"
        )
    )

    def load(url, options=None):
        if url in ANNO_CONTEXT_URLS:
            return {"contextUrl": None, "documentUrl": url, "document": context}
        raise jsonld.JsonLdError(f"offline: refusing to load {url}", "loading document failed")

    return load


def expand(conformance_dir: Path, document: Any) -> list:
    """Expand offline, after checking that every key and every `type` value of the
    document is a term of its contexts (JSON-LD silently drops undefined terms)."""
    anno = json.loads(
        (conformance_dir / "w3c" / "web-annotation" / "jsonld" / "anno.jsonld").read_text(
            encoding="utf-8"
        )
    )["@context"]
    undefined: list[str] = []

    def walk(node: Any, terms: frozenset[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, terms)
            return
        if not isinstance(node, dict):
            return
        context = node.get("@context")
        if context is not None:
            extra: set[str] = set()
            for part in context if isinstance(context, list) else [context]:
                if isinstance(part, str) and part in ANNO_CONTEXT_URLS:
                    extra.update(anno)
                elif isinstance(part, dict):
                    extra.update(part)
            terms = terms | extra
        for key, value in node.items():
            if key == "@context":
                continue
            if not key.startswith("@") and key not in terms and ":" not in key:
                undefined.append(key)
            if key in ("type", "@type", "motivation", "purpose"):
                types = value if isinstance(value, list) else [value]
                undefined.extend(t for t in types if t not in terms and ":" not in t)
            walk(value, terms)

    walk(document, frozenset())
    assert not undefined, f"terms the contexts do not define: {sorted(set(undefined))}"
    expanded = jsonld.expand(document, {"documentLoader": offline_loader(conformance_dir)})
    assert expanded
    return expanded


def count_keys(node: Any) -> int:
    """How many keys a JSON document holds, nested ones included."""
    if isinstance(node, dict):
        return len(node) + sum(count_keys(v) for v in node.values())
    if isinstance(node, list):
        return sum(count_keys(v) for v in node)
    return 0
