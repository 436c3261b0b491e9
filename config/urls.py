from django.contrib import admin
from django.urls import include, path

from cmc.core import views as core_views
from cmc.frameworks.views import browse as framework_views

from .api import api

handler403 = "cmc.core.views.forbidden"
handler404 = "cmc.core.views.not_found"
handler500 = "cmc.core.views.server_error"

urlpatterns = [
    path("", framework_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("frameworks/", include("cmc.frameworks.urls")),
    path("frameworks/", include("cmc.interchange.urls")),
    path("imports/", include("cmc.interchange.urls_imports")),
    path("frameworks/", include("cmc.analysis.urls")),
    path("occupations/", include("cmc.occupations.urls")),
    path("esco/", include("cmc.interchange.esco.urls")),
    path("lattices/", include("cmc.ladders.urls")),
    path("resources/", include("cmc.resources.urls")),
    path("", include("cmc.credentials.urls")),
    path("", include("cmc.review.urls")),
    path("accounts/", include("cmc.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("ims/case/v1p1/", include("cmc.interchange.urls_case")),
]
