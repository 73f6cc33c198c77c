"""Every change of state is a service function; pages, API, admin and commands call them.

Import from the submodule that names the thing: `annotations.services.claims`,
`annotations.services.reviews`, `annotations.services.actors`, `annotations.services.revisions`.
"""
