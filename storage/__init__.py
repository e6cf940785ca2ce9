"""Storage: engine, models, migrations and query functions (session first, never commit)."""
