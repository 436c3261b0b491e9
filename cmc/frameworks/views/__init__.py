"""Pages of frameworks: browse (home, list, a framework, a tier, a competency), build (the builder) and versions (versions, status, sharing, what changed)."""
