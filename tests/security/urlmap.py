"""Every URL of the project, read from the URL configuration itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full name (with namespaces), its route and its arguments."""

    name: str
    route: str
    arguments: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _arguments(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex)


def walk(patterns=None, prefix: str = "", namespace: str = "", arguments=()) -> list[Route]:
    """Flatten the URL configuration, includes and namespaces resolved.

    An unnamed pattern is listed under its route, so that it cannot hide from a table
    keyed by name.
    """
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes: list[Route] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}{entry.namespace}:"
            routes.extend(walk(entry.url_patterns, route, space, arguments + _arguments(entry)))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<{route}>"
            routes.append(Route(name, route, arguments + _arguments(entry)))
    return routes
