"""Client operations: parse, validate against the API schema, pick the operation."""
