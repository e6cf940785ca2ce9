"""Pure Block Kit builders and parsers of submitted view state."""
