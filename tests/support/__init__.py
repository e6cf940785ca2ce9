"""What the tests share: constants, the clock, databases, the app on loopback, HTTP and Slack
helpers, day-log seeding. Plain modules: no fixtures here (those are in tests/conftest.py)."""
