"""Exports of claims in open formats, streamed with constant memory.

`records` reads claims in chunks and turns each into one plain dict; one module per
format turns those records into text: `jsonl`, `csv_format`, `webannotation` (W3C Web
Annotation), `claimreview` (schema.org). The API's export endpoint and the
`export_claims` command both go through `formats.FORMATS`.
"""
