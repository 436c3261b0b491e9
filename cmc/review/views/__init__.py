"""The review app's pages, one module per part (process, rounds, reviewing, refinement,
schedule, suggestions)."""
