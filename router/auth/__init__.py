"""Authentication at the router: verify the caller's token, say who the caller is."""
