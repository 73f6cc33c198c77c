"""How the OpenAPI schema describes `ApiTokenAuthentication`: the same `tokenAuth`
scheme as DRF's token authentication, which it replaces."""

from drf_spectacular.authentication import TokenScheme


class ApiTokenScheme(TokenScheme):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    priority = 0
