"""The tasks subgraph: tasks, their status and priority, and who they are assigned to."""
