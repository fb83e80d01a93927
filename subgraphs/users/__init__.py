"""The users subgraph: people, their roles and emails."""
