"""Service benchmark: the API against the same queries sent straight to the node."""
