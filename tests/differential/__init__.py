"""Differential test: the router over the subgraphs against one monolithic server."""
