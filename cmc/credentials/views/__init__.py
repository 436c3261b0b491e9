"""The credentials app's pages: credentials, endorsement, pathways."""
