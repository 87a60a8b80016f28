"""The newsroom: Django's admin, configured for editors coming from WordPress."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from masthead.core.forms import https_formfield
from masthead.newsroom import services
from masthead.newsroom.images import image_delete, image_save, image_stories
from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Image, Section, Tag
from masthead.newsroom.permissions import can_change_image, can_delete, can_edit, can_publish
from masthead.newsroom.preview import preview_url
from masthead.related import admin as related_admin
from masthead.syndication.structured import absolute

Status = Article.Status


class ArticleAdminForm(forms.ModelForm):
    user = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 (ArticleAdmin.fieldsets chooses the fields)
        formfield_callback = https_formfield
        widgets = {
            "headline": forms.TextInput(
                attrs={"class": "vTextField", "style": "width: min(100%, 46rem)"}
            ),
            "slug": forms.TextInput(
                attrs={"class": "vTextField", "style": "width: min(100%, 30rem)"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is None or self.user is None or can_publish(self.user, self.instance):
            return
        allowed = {Status.DRAFT, self.instance.status}
        status.choices = [c for c in status.choices if c[0] in allowed]
        status.help_text = "You can save drafts; an editor publishes them."

    def clean(self):
        data = super().clean()
        status, when = data.get("status"), data.get("published_at")
        now = timezone.now()
        if status == Status.SCHEDULED:
            if when is None:
                self.add_error("published_at", "Choose the date and time the story should go live.")
            elif when <= now:
                self.add_error(
                    "published_at",
                    "This time is in the past. Choose a time to come, or set the status to "
                    "Published to publish now.",
                )
        return data


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine (my byline, or created by me)")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        bylined = Byline.objects.filter(author__user=request.user).values("article_id")
        return queryset.filter(Q(created_by=request.user) | Q(pk__in=bylined))


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "byline"
    verbose_name_plural = "Bylines (in the order shown to readers)"


class ArticleNoteInline(admin.StackedInline):
    model = ArticleNote
    extra = 0
    fields = [("kind", "noted_at"), "text"]
    verbose_name = "correction or update note"
    verbose_name_plural = "Corrections and updates (shown on the story with their date)"


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "byline_names",
        "modified_at",
        "reading_minutes",
    ]
    list_filter = [MineFilter, "status", "section", "pinned", "published_at", "tags"]
    # Drafts without a publish time first, then scheduled stories, then the archive.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "featured_image"]
    readonly_fields = [
        "preview_link",
        "reading_minutes",
        "word_count",
        "modified_at",
        "related_stories",
    ]
    inlines = [
        BylineInline,
        ArticleNoteInline,
        related_admin.RelatedPinInline,
        related_admin.RelatedExclusionInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            "Publishing",
            {
                "fields": [
                    ("status", "published_at"),
                    "updated_at",
                    ("pinned", "comments_open"),
                    "preview_link",
                    ("reading_minutes", "word_count", "modified_at"),
                ]
            },
        ),
        ("Section and topics", {"fields": ["section", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_caption"]}),
        ("Related stories", {"fields": ["related_stories"]}),
        (
            "Search engines and sharing",
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description", "canonical_url"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description="Bylines")
    def byline_names(self, obj: Article) -> str:
        return ", ".join(b.author.name for b in obj.bylines.all())

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        if obj.pk is None:
            return "Save the story to get a preview link."
        url = absolute(preview_url(obj.pk))
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open preview</a>'
            '<div class="help">Anyone with this link can read the story for 7 days: '
            "<code>{}</code></div>",
            url,
            url,
        )

    @admin.display(description="Shown with this story")
    def related_stories(self, obj: Article) -> str:
        return related_admin.explain(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("newsroom.publish_any_article"):
            fields.append("pinned")  # the home page's lead is the editors' choice
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return can_delete(request.user, obj)

    def save_model(self, request, obj, form, change):
        try:
            services.article_save(article=obj, user=request.user)
        except PermissionDenied as err:
            raise ValidationError(str(err)) from err

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.article_byline_default(article=form.instance, user=request.user)

    def get_deleted_objects(self, objs, request):
        """A story's comments go with it, as in WordPress: whoever may delete the story may
        delete them (the moderation queue itself deletes only spam and trash)."""
        from masthead.discussion.models import Comment

        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Comment._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def render_delete_form(self, request, context):
        context["comment_count"] = context["object"].comments.count()
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)

    @admin.action(description="Publish selected stories now")
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for article in queryset:
            if not can_publish(request.user, article):
                refused.append(article.headline)
                continue
            if article.status == Status.PUBLISHED:
                continue
            services.article_publish(article=article, user=request.user)
            done += 1
        self.message_user(request, f"Published {done} stor{'y' if done == 1 else 'ies'}.")
        if refused:
            self.message_user(
                request, "Not yours to publish: " + "; ".join(refused), level=messages.WARNING
            )

    @admin.action(description="Unpublish selected stories (back to draft)")
    def unpublish_selected(self, request, queryset):
        done, refused = 0, []
        for article in queryset.exclude(status=Status.DRAFT):
            if not can_publish(request.user, article):
                refused.append(article.headline)
                continue
            services.article_unpublish(article=article, user=request.user)
            done += 1
        self.message_user(request, f"Unpublished {done} stor{'y' if done == 1 else 'ies'}.")
        if refused:
            self.message_user(
                request, "Not yours to unpublish: " + "; ".join(refused), level=messages.WARNING
            )


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["name", "slug", "position", "show_on_home"]
    list_editable = ["position", "show_on_home"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(VersionAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "dimensions", "credit", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["thumbnail", "dimensions", "rendition_list"]
    fields = ["file", "thumbnail", "alt_text", "caption", "credit", "dimensions", "rendition_list"]

    @admin.display(description="Picture")
    def thumbnail(self, obj: Image) -> str:
        if not obj.pk or not obj.file:
            return ""
        return format_html(
            '<img src="{}" alt="" width="120" style="height:auto">', obj.rendition_url(480)
        )

    @admin.display(description="Size")
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else ""

    @admin.display(description="Renditions")
    def rendition_list(self, obj: Image) -> str:
        return ", ".join(f"{r['width']} px" for r in obj.renditions) or "—"

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_change_image(request.user, obj)

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        image_save(image=obj, file_changed="file" in form.changed_data)

    def delete_model(self, request, obj):
        image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            image_delete(image=image)

    def render_delete_form(self, request, context):
        context["live_stories"] = list(image_stories(image=context["object"]))
        return super().render_delete_form(request, context)
