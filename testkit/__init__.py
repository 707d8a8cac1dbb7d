"""What tests and benchmarks share, and the product never imports: `trials` as a child process,
a real Elasticsearch node for a session, and the fake *registry* server that replays recorded
responses (tests/fixtures/registries)."""
