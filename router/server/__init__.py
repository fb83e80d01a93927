"""The router's ASGI app: GraphQL over HTTP, GraphiQL, health and readiness."""
