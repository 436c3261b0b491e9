from django.contrib import admin
from django.db import transaction

from .models import Competency, Framework, KeyBehavior, Tier
from .services import index_framework, unindex_framework


class ReindexMixin:
    """Edits made in the admin keep the search index in step, as the services' writes do."""

    def framework_of(self, obj) -> Framework:
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        index_framework(framework=self.framework_of(form.instance))


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0
    fields = ["number", "name", "group", "position"]


@admin.register(Framework)
class FrameworkAdmin(ReindexMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "status", "visibility", "is_reference", "updated_at"]
    list_filter = ["kind", "status", "visibility", "is_reference"]
    search_fields = ["name", "slug", "industry"]
    readonly_fields = ["identifier", "created_at", "updated_at"]
    inlines = [TierInline]

    # Search entries are not tied to the framework by a foreign key: they go with it here too.
    def delete_model(self, request, obj):
        with transaction.atomic():
            unindex_framework(framework=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for framework in queryset:
                unindex_framework(framework=framework)
            super().delete_queryset(request, queryset)


class KeyBehaviorInline(admin.TabularInline):
    model = KeyBehavior
    extra = 0
    fields = ["position", "title", "text"]


@admin.register(Competency)
class CompetencyAdmin(ReindexMixin, admin.ModelAdmin):
    def framework_of(self, obj) -> Framework:
        return obj.framework

    list_display = ["code", "name", "framework", "tier"]
    list_filter = ["framework"]
    search_fields = ["name", "code", "definition"]
    readonly_fields = ["identifier"]
    inlines = [KeyBehaviorInline]
