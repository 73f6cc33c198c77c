"""What both apps build on, and neither owns: the domain errors of the one error contract.

`articles` and `annotations` both import from here; this package imports from neither.
"""
