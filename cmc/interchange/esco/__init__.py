"""ESCO in the interchange app: reading its CSV exports (reading), loading them (loading),
reading them back (selectors), the site-search collection and statement source (finding),
and the doors: pages (views, urls), the API (api) and the commands import_esco and
import_esco_crosswalk."""
