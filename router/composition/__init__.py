"""Supergraph composition: subgraph SDLs in, an Apollo-format supergraph SDL out.

An offline tool (``fedtasks compose``, ``fedtasks schema check``); never imported on the
request path.
"""
