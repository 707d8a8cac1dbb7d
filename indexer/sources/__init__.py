"""One module per registry, each behind the `Source` protocol (`indexer.sources.base`)."""
