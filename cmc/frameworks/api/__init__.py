"""API routes of frameworks: browse (list, read, create, change, delete), blends (derive, blend
choices, likely duplicates), items (item edits, renumbering), versions (versions, status,
sharing, diff), and their schemas."""
