"""The JSON API: one NinjaAPI, one router per app; errors are JSON for people, never a 500."""

from ninja import NinjaAPI

from cmc.analysis.api import router as analysis_router
from cmc.core.api import add_error_handlers
from cmc.credentials.api import router as credentials_router
from cmc.credentials.api_pathways import router as pathways_router
from cmc.frameworks.api.alignments import router as alignments_router
from cmc.frameworks.api.blends import router as blends_router
from cmc.frameworks.api.browse import router as frameworks_router
from cmc.frameworks.api.items import router as items_router
from cmc.frameworks.api.versions import router as versions_router
from cmc.interchange.api import router as interchange_router
from cmc.interchange.esco.api import router as esco_router
from cmc.ladders.api import router as ladders_router
from cmc.occupations.api import router as occupations_router
from cmc.resources.api import router as resources_router
from cmc.review.api import router as review_router


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Every route is added when this module is imported, so the document never changes
        # while the process runs: made once per prefix (it takes seconds: a hundred
        # operations), not on every request of /api/v1/openapi.json and the docs page.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        made = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in made:
            made[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return made[path_prefix]

    def get_openapi_operation_id(self, operation) -> str:
        # The view's own name (list_frameworks, derive, export...): it names the action and
        # does not change when the code that serves it moves.
        return operation.view_func.__name__


api = Api(
    title="Competency Model Clearinghouse API",
    version="1",
    description=(
        "Frameworks (competency models), their tiers, competencies and key behaviors. "
        "Reads are open for public content; writes need a bearer token (`cmc token create`) "
        "or a signed-in session with its CSRF token."
    ),
    urls_namespace="api",
)
api.add_router("", blends_router)
api.add_router("", items_router)
api.add_router("", versions_router)
api.add_router("", frameworks_router)
api.add_router("", alignments_router)
api.add_router("", interchange_router)
api.add_router("", esco_router)
api.add_router("", analysis_router)
api.add_router("", occupations_router)
api.add_router("", ladders_router)
api.add_router("", resources_router)
api.add_router("", credentials_router)
api.add_router("", pathways_router)
api.add_router("", review_router)
add_error_handlers(api)
