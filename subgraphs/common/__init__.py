"""What both subgraphs share: settings, database, DataLoaders, errors, metrics, app factory."""
