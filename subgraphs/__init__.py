"""The users and tasks subgraphs: Strawberry federation services that own their data."""
