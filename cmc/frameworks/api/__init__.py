"""API routes of frameworks: browse (list, read, create, change, delete), build (derive, item edits, blend choices), versions (versions, status, sharing, diff), and their schemas."""
