"""Extract: spaCy components and the rules they run (structure, responsibility, …)."""
