"""OpenAPI links: what a client (or a stateful test) may call next with an answer.

Every answer that is a resource links to the operations on that resource, its id taken
from the answer (`$response.body#/id`): a claim made by `POST /api/v1/claims/` leads to
reading, changing, deleting, submitting and reviewing it, its audit trail, its Web
Annotation and its article; an article to its revisions; a project to its members and
its annotation container. Where an operation needs the version (or the revision) the
client acts on, the link carries it from the same answer in `requestBody` (merged into
the rest of the body) or in the query.

The links are added once, here, to every `200` and `201` answer whose schema is the
resource's component, so the views need not declare them. A link naming an operationId
or a parameter the schema does not have, or missing a path parameter, is left out with
a generator warning, which `manage.py spectacular --fail-on-warn` (and the schema test)
turns into a failure.
"""

from __future__ import annotations

import copy

from drf_spectacular.drainage import warn

ID = "$response.body#/id"
VERSION = "$response.body#/version"
REVISION = "$response.body#/revision"


def _link(operation_id: str, description: str, *, parameters=None, body=None) -> dict:
    link = {
        "operationId": operation_id,
        "parameters": parameters or {"path.id": ID},
        "description": description,
    }
    if body is not None:
        link["requestBody"] = body
    return link


CLAIM_LINKS = {
    "GetClaim": _link("claims_retrieve", "Read the claim."),
    "UpdateClaim": _link(
        "claims_partial_update", "Change the claim, at its version.", body={"version": VERSION}
    ),
    "DeleteClaim": _link(
        "claims_destroy",
        "Delete the claim, at its version.",
        parameters={"path.id": ID, "query.version": VERSION},
    ),
    "SubmitClaim": _link(
        "claims_submit", "Send the claim to review, at its version.", body={"version": VERSION}
    ),
    "ReviewClaim": _link(
        "claims_review", "Review the claim, at its version.", body={"version": VERSION}
    ),
    "ClaimEvents": _link("claims_events_list", "The claim's audit trail."),
    "ClaimRelations": _link(
        "claims_relations_list", "The claim's relations to other claims, both ways."
    ),
    "ClaimAnnotation": _link("annotations_retrieve", "The claim as a W3C Web Annotation."),
    "ClaimArticle": _link(
        "articles_retrieve",
        "The article the claim is on.",
        parameters={"path.id": "$response.body#/article"},
    ),
}

ARTICLE_LINKS = {
    "GetArticle": _link("articles_retrieve", "Read the article."),
    "ReviseArticle": _link(
        "articles_partial_update",
        "Correct the text, based on its current revision.",
        body={"revision": REVISION},
    ),
    "ArticleRevisions": _link("articles_revisions_list", "The article's revisions."),
    "CurrentRevision": _link(
        "articles_revisions_retrieve",
        "The article's current revision.",
        parameters={"path.id": ID, "path.number": REVISION},
    ),
}

ACTOR_LINKS = {
    "GetActor": _link("actors_retrieve", "Read the actor."),
    "UpdateActor": _link("actors_partial_update", "Change the actor (editors)."),
}

SOURCE_LINKS = {
    "GetSource": _link("sources_retrieve", "Read the source."),
    "UpdateSource": _link("sources_partial_update", "Change the source (editors)."),
}

PROJECT_LINKS = {
    "GetProject": _link("projects_retrieve", "Read the project."),
    "ProjectMembers": _link("project_members_list", "The project's members."),
    "ProjectAnnotations": _link(
        "project_annotations_container", "The project's annotation container."
    ),
}

# The schema component of an answer -> the links of that answer.
LINKS_BY_COMPONENT: dict[str, dict[str, dict]] = {
    "Claim": CLAIM_LINKS,
    "ArticleDetail": ARTICLE_LINKS,
    "ArticleRevised": ARTICLE_LINKS,
    "Actor": ACTOR_LINKS,
    "Source": SOURCE_LINKS,
    "Project": PROJECT_LINKS,
}

_COMPONENT_REF = "#/components/schemas/"
_METHODS = {"get", "put", "patch", "post", "delete"}


def _operations(result: dict):
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method in _METHODS:
                yield path, method, operation


def _parameter_names(operation: dict) -> set[str]:
    return {f"{p['in']}.{p['name']}" for p in operation.get("parameters", []) if "$ref" not in p}


def _check(name: str, link: dict, targets: dict[str, dict]) -> bool:
    """Whether `link` names an operation of the schema, only its parameters and all of
    its path parameters."""
    target = targets.get(link["operationId"])
    if target is None:
        warn(f"link {name}: no operation {link['operationId']!r} in the schema")
        return False
    unknown = set(link["parameters"]) - _parameter_names(target)
    if unknown:
        warn(f"link {name}: {link['operationId']} has no parameter {sorted(unknown)}")
        return False
    path = {f"path.{p['name']}" for p in target.get("parameters", []) if p.get("in") == "path"}
    if path - set(link["parameters"]):
        warn(f"link {name}: {link['operationId']} needs {sorted(path - set(link['parameters']))}")
        return False
    if "requestBody" in link and "requestBody" not in target:
        warn(f"link {name}: {link['operationId']} takes no request body")
        return False
    return True


def add_links(result, generator, request, public, **kwargs):
    """drf-spectacular postprocessing hook: add `links` to the answers listed above."""
    targets = {op["operationId"]: op for _, _, op in _operations(result) if "operationId" in op}
    components = result.get("components", {}).get("schemas", {})
    for component in LINKS_BY_COMPONENT:
        if component not in components:
            warn(f"links: no component {component!r} in the schema")
    checked: dict[str, dict] = {}
    for _path, _method, operation in _operations(result):
        for status in ("200", "201"):
            answer = operation.get("responses", {}).get(status)
            if not answer:
                continue
            ref = answer.get("content", {}).get("application/json", {}).get("schema", {})
            component = ref.get("$ref", "").removeprefix(_COMPONENT_REF)
            links = LINKS_BY_COMPONENT.get(component)
            if not links:
                continue
            for name, link in links.items():
                if name not in checked:
                    checked[name] = link if _check(name, link, targets) else {}
                if checked[name]:
                    answer.setdefault("links", {})[name] = copy.deepcopy(checked[name])
    return result
