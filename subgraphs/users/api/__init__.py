"""The users subgraph GraphQL API: types, queries, mutations and the schema."""
