"""The CASE 1.1 provider's endpoints, mounted at /ims/case/v1p1/ (see config/urls.py)."""

from django.urls import path, re_path

from . import provider

app_name = "case"
ID = "<str:identifier>"
urlpatterns = [
    path("CFDocuments", provider.documents, name="documents"),
    path(f"CFDocuments/{ID}", provider.document, name="document"),
    path(f"CFPackages/{ID}", provider.package, name="package"),
    path(f"CFItems/{ID}", provider.item, name="item"),
    path(f"CFItemAssociations/{ID}", provider.item_associations, name="item_associations"),
    path(f"CFAssociations/{ID}", provider.association, name="association"),
    path(f"CFItemTypes/{ID}", provider.item_types, name="item_type"),
    path(f"CFConcepts/{ID}", provider.concepts, name="concept"),
    path(f"CFSubjects/{ID}", provider.subjects, name="subject"),
    path(f"CFLicenses/{ID}", provider.licenses, name="license"),
    path(f"CFAssociationGroupings/{ID}", provider.groupings, name="grouping"),
    path(f"CFDefinitions/{ID}", provider.definitions, name="definitions"),
    re_path(r"^(?P<rest>.*)$", provider.not_found),
]
