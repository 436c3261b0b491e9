"""Credentials, their endorsement by industry bodies, and stackable pathways."""
