"""API views, one module per area. Each view: parse → permission → one service or
selector → serialize."""
