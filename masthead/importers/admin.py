from django.contrib import admin

from masthead.importers.models import ImportedItem, ImportedMedia, Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "source", "created_at"]
    search_fields = ["old_path", "article__headline"]
    list_filter = ["source"]
    autocomplete_fields = ["article"]


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "post_type", "article", "featured_image_url", "imported_at"]
    search_fields = ["source", "source_id", "guid", "article__headline", "original_url"]
    list_filter = ["source", "post_type"]
    readonly_fields = [f.name for f in ImportedItem._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ImportedMedia)
class ImportedMediaAdmin(admin.ModelAdmin):
    list_display = ["old_url", "image", "size", "downloaded_at"]
    search_fields = ["old_url"]
    readonly_fields = [f.name for f in ImportedMedia._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
