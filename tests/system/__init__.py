"""Tests of the whole product and of bot/'s top-level modules: the CLI, the scheduler, logs,
scale-out over several processes, isolation between workspaces."""
