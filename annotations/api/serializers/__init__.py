"""Explicit input and output serializers of the API, one module per area.

Input serializers parse and check shapes, and resolve related ids through scoped
querysets (an unknown id is a 400 naming the field); they never create or change
anything. Output serializers document answers (the OpenAPI schema). The rules live in
the services.
"""
