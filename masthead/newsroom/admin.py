"""The newsroom: Django's admin, configured for editors coming from WordPress."""

from __future__ import annotations

import difflib
import json
import re
from datetime import datetime, timedelta

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from masthead.core.forms import https_formfield
from masthead.core.html import html_to_text, sanitize_body
from masthead.core.roles import ROLES
from masthead.core.slugs import ascii_slug
from masthead.newsroom import services
from masthead.newsroom.images import image_choices, image_delete, image_save, image_stories
from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Image, Section, Tag
from masthead.newsroom.permissions import can_change_image, can_delete, can_edit, can_publish
from masthead.newsroom.preview import preview_url
from masthead.related import admin as related_admin
from masthead.syndication.structured import absolute

Status = Article.Status
BULK_PUBLISH = "Publish selected stories now"
BULK_UNPUBLISH = "Unpublish selected stories (back to draft)"


def _when(moment) -> str:
    """A moment as the story's history shows it (to the second: saves come close together)."""
    return date_format(template_localtime(moment), services.HISTORY_TIME_FORMAT)


def _label(name: str) -> str:
    field = Article._meta.get_field(name)
    return {"seo_title": "Search title", "seo_description": "Search description"}.get(
        name, str(field.verbose_name).capitalize()
    )


def restore_changes(current: Article, text: dict[str, str]) -> list[dict]:
    """What restoring ``text`` would change in the story as it is now, for the restore page:
    each field that differs, with its text now and in the revision (the body as paragraphs
    of text: the ones that would go and the ones that would come back)."""
    changes = []
    for name, then in text.items():
        now = getattr(current, name)
        if name == "body":
            now, then = sanitize_body(now), sanitize_body(then)
        if now == then:
            continue
        change = {"label": _label(name), "now": now, "then": then}
        if name == "body":
            old, new = html_to_text(now).split("\n\n"), html_to_text(then).split("\n\n")
            matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
            change["now"] = [p for op, i1, i2, _, _ in matcher.get_opcodes() if op != "equal"
                             for p in old[i1:i2]]  # fmt: skip
            change["then"] = [p for op, _, _, j1, j2 in matcher.get_opcodes() if op != "equal"
                              for p in new[j1:j2]]  # fmt: skip
            change["paragraphs"] = True
        changes.append(change)
    return changes


class ArticleAdminForm(forms.ModelForm):
    """The story form. It carries the version of the story it was opened on: a save over a
    story someone else saved since is refused (with who and when), unless the editor, told
    so, ticks "Save my version anyway"."""

    user = None  # set by ArticleAdmin.get_form

    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    # The version the editor was told about when a save was refused (see clean()).
    conflict_version = forms.CharField(required=False, widget=forms.HiddenInput)
    save_over = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,  # a checkbox only once a save has been refused
        label="Save my version anyway",
        help_text="Your form replaces the story as it is now: their changes to the fields "
        "listed above are lost, unless you copy them into your form first.",
    )

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

    VERSION_FIELDS = ("opened_version", "conflict_version", "save_over")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_over = None  # the StoryChanged this save replaced, if the editor chose to
        if self.instance.pk is not None:
            self.initial["opened_version"] = services.version_token(self.instance.modified_at)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.help_text += (
                " Changing it on a published story moves the story: its old address then "
                "redirects to the new one."
            )
            if self.instance.pk is None:  # a new story: a taken or empty slug is made free
                slug.required = False
                slug.help_text += " If another story has it, a new story's gets -2 added."
        self.slug_replaced = None  # (given, why) when a new story's slug was made for it
        body = self.fields.get("body")
        if body is not None:  # pasted embed codes vanish in the editor: say why beforehand
            body.help_text = (
                "Headings, quotes, lists, tables and pictures are kept. Embed codes (a YouTube "
                "player, a post from a social network) are removed: Masthead's pages load "
                "nothing from other sites, so link to the video or post instead."
            )
            if self.user is not None and self.user.has_perm("newsroom.view_image"):
                # admin-pictures.js adds "Insert a picture…" under the editor
                body.widget.attrs["data-picture-picker"] = reverse("admin:newsroom_image_picker")
                if self.user.has_perm("newsroom.add_image"):
                    body.widget.attrs["data-picture-upload"] = reverse("admin:newsroom_image_add")
        status = self.fields.get("status")
        if status is None or self.user is None or can_publish(self.user, self.instance):
            return
        allowed = {Status.DRAFT, Status.PENDING, self.instance.status}
        status.choices = [c for c in status.choices if c[0] in allowed]
        status.help_text = (
            "Save a draft while you work. When the story is ready, choose Pending review: "
            "the editors see it waiting for them, and one of them publishes it."
        )

    def clean_slug(self):
        wanted = self.cleaned_data.get("slug", "")
        if self.instance.pk is not None:
            return wanted
        headline = self.cleaned_data.get("headline", "")
        given = services.article_free_slug(wanted, headline)
        if wanted:
            why = f"“{wanted}” is another story's"
        elif given.startswith(services.SLUG_FALLBACK) and not ascii_slug(headline):
            why = "the headline has no letters or digits to make one from"
        else:
            why = "it was made from the headline, in Latin letters"
        if given != wanted:
            self.slug_replaced = (given, why)
        return given

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
        updated = data.get("updated_at")
        if updated is not None and updated > now + timedelta(minutes=1):
            self.add_error(
                "updated_at",
                "This time is still to come. “Updated” tells readers when the story last "
                "changed: leave it empty and it is set when you save a live story.",
            )
        self._check_version(data)
        return data

    def _check_version(self, data) -> None:
        opened = data.get("opened_version")
        if self.instance.pk is None or not opened:
            return
        changed = services.article_changed_since(self.instance.pk, opened, lock=True)
        if changed is None:
            return
        if data.get("save_over") and data.get("conflict_version") == changed.token:
            self.saved_over = changed  # told about exactly this version, and chose to replace it
            return
        message = changed.describe(viewer=self.user)
        message += " Your changes are not saved yet: they are still in the form below."
        message += self._what_differs(data, changed)
        message += (
            " To keep their changes, open the story in a new tab and copy what you need "
            "into this form, then tick “Save my version anyway” and save."
        )
        self.add_error(None, message)
        # The next save of this form may replace the version the editor was just told about,
        # and only that one; the checkbox appears for it.
        self.data = self.data.copy()
        self.data["conflict_version"] = changed.token
        self.data.pop("save_over", None)
        self.fields["save_over"].widget = forms.CheckboxInput()

    @property
    def changed_data(self) -> list[str]:
        """The story's changed fields (the version bookkeeping is not a change)."""
        return [
            name
            for name, bound in self._bound_items()
            if name not in self.VERSION_FIELDS and bound._has_changed()
        ]

    def _what_differs(self, data, changed) -> str:
        """The story fields of this form that changed since the editor opened it (from the
        history), or else those where the story now differs from the form."""
        current = Article.objects.filter(pk=self.instance.pk).first()
        if current is None:
            return ""
        opened = changed.opened_fields
        labels = []
        for name, field in self.fields.items():
            try:
                model_field = Article._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not model_field.editable:
                continue
            if opened is not None:
                if model_field.attname not in opened:
                    continue
                before = opened[model_field.attname]
            elif name in data:
                before = data[name]
            else:
                continue
            now = model_field.value_from_object(current)
            if _comparable(model_field, now) != _comparable(model_field, before):
                label = str(field.label or model_field.verbose_name).capitalize()
                if name == "status":
                    label += f" (now {current.get_status_display()})"
                labels.append(label)
        if not labels:
            return ""
        if opened is not None:
            return " Changed since you opened it: " + ", ".join(labels) + "."
        return " The story now differs from your form in: " + ", ".join(labels) + "."


def _comparable(model_field, value):
    """A field's value in a form, the database or the history, in one comparable shape."""
    if model_field.many_to_many:
        return {getattr(item, "pk", item) for item in value or ()}
    if model_field.is_relation:
        return getattr(value, "pk", value)
    if model_field.name == "body":
        return sanitize_body(value)
    if isinstance(value, datetime):
        return value.replace(microsecond=0)  # as the form shows it
    return "" if value is None else value


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

    class Media:
        js = [
            "masthead/js/admin-unsaved.js",  # leaving with unsaved changes asks first
            "masthead/js/admin-pictures.js",  # the body editor's picture picker
        ]
        css = {"all": ["masthead/css/admin-pictures.css", "masthead/css/admin-lists.css"]}

    def view_on_site(self, obj: Article) -> str:
        """A live story's page; for a draft or a scheduled story (no page yet), its preview."""
        return obj.get_absolute_url() if obj.is_live else preview_url(obj)

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "byline_names",
        "modified_at",
    ]
    list_filter = [
        MineFilter,
        "status",
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "pinned",
        "published_at",
        "tags",
    ]
    # Drafts without a publish time first, then scheduled stories, then the archive.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    list_select_related = ["section"]
    # As in WordPress, the text too, and the bylines.
    search_fields = ["headline", "standfirst", "slug", "body", "bylines__author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "featured_image"]
    readonly_fields = [
        "preview_link",
        "old_addresses",
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
    actions = ["publish_selected", "unpublish_selected", "revoke_previews"]
    change_list_template = "admin/newsroom/article/change_list.html"
    save_on_top = True
    object_history_template = "reversion/newsroom/article/object_history.html"
    revision_form_template = "reversion/newsroom/article/revision_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    # Hidden: the version this form was opened on (a checkbox appears after
                    # a save is refused because someone else saved the story meanwhile).
                    ("opened_version", "conflict_version", "save_over"),
                    "headline",
                    "slug",
                    "standfirst",
                    "body",
                ]
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    ("status", "published_at"),
                    "updated_at",
                    ("pinned", "comments_open"),
                    "preview_link",
                    "old_addresses",
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
        url = absolute(preview_url(obj))
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open preview</a>'
            '<div class="help">Anyone with this link can read the story for 7 days: '
            '<code style="overflow-wrap: anywhere">{}</code></div>',
            url,
            url,
        )

    @admin.display(description="Old addresses")
    def old_addresses(self, obj: Article) -> str:
        if obj.pk is None:
            return "—"
        paths = list(obj.old_addresses.values_list("old_path", flat=True))
        if not paths:
            return "None: the story has only ever been public at its present address."
        return format_html(
            '{}<div class="help">While the story is live, these addresses redirect (301) '
            "to it.</div>",
            format_html_join(", ", "<code>{}</code>", ((path,) for path in paths)),
        )

    @admin.display(description="Shown with this story")
    def related_stories(self, obj: Article) -> str:
        return related_admin.explain(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("newsroom.publish_any_article"):
            fields.append("pinned")  # the home page's lead is the editors' choice
        if not self.has_publish_permission(request):
            # As in WordPress, the dates readers see are set by whoever publishes.
            fields += ["published_at", "updated_at"]
        return fields

    def has_publish_permission(self, request) -> bool:
        """Publishes some stories: authors their own, editors any (bulk actions)."""
        user = request.user
        return user.has_perm("newsroom.publish_article") or user.has_perm(
            "newsroom.publish_any_article"
        )

    def has_recover_permission(self, request) -> bool:
        """Deleted stories, by anyone, are the editors' to bring back."""
        return request.user.has_perm("newsroom.publish_any_article") and self.has_add_permission(
            request
        )

    def changelist_view(self, request, extra_context=None):
        extra = {"has_recover_permission": self.has_recover_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return can_delete(request.user, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        replaced = getattr(form, "saved_over", None)
        moved = not add and "status" in form.changed_data
        if replaced is None and not moved:
            return message
        text = LogEntry(change_message=json.dumps(message)).get_change_message()
        if moved:  # which status it left and which it took, as WordPress's history says
            before = Status(form.initial["status"]).label
            text += f" Status: {before} → {form.instance.get_status_display()}."
        if replaced is None:
            return text
        saves = "; ".join(f"{change.who()} at {_when(change.at)}" for change in replaced.changes)
        return f"{text} Saved over a newer version" + (f" ({saves})." if saves else ".")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "_masthead_restoring", None)
        if obj is not None and restoring is not None:
            # The restore form: the story as it is now, with the revision's text.
            for name, value in restoring.items():
                setattr(obj, name, value)
        return obj

    def save_model(self, request, obj, form, change):
        recovered = getattr(request, "_masthead_recovering", False)
        try:
            services.article_save(article=obj, user=request.user, recovered=recovered)
        except PermissionDenied as err:
            raise ValidationError(str(err)) from err
        if obj.status == Status.SCHEDULED and {"status", "published_at"} & set(form.changed_data):
            asked = form.cleaned_data.get("status")
            why = (
                "The publish time is still to come, so the story is scheduled"
                if asked == Status.PUBLISHED
                else "Scheduled"
            )
            self.message_user(
                request,
                f"{why}: it goes live on {_when(obj.published_at)}. Until then, readers "
                "can see it only through its preview link.",
                messages.INFO,
            )
        if obj.status == Status.PENDING and "status" in form.changed_data:
            self.message_user(
                request,
                "Sent for review: the editors see it waiting on the admin's front page. You "
                "can still change it until an editor publishes it.",
                messages.INFO,
            )
        if form.slug_replaced:
            given, why = form.slug_replaced
            self.message_user(
                request,
                f"The story's address ends in “{given}”: {why}. Change the slug to choose another.",
                messages.INFO,
            )
        if obj.moved_from:
            self.message_user(
                request,
                f"The story's address changed. Its old address, {obj.moved_from}, now "
                "redirects to the new one.",
                messages.INFO,
            )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore a revision's text onto the story as it is now.

        Only :data:`services.RESTORED_FIELDS` come back (headline, standfirst, body, search
        title and description); status, dates, address, section, tags, bylines, picture,
        notes and related pins and exclusions stay as they are. Unlike django-reversion's
        revert, nothing is written until the editor saves the form, and that save is an
        ordinary edit: the same form, permission and version checks, publishing rules,
        "Updated" time, page purges and related-list updates.
        """
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_model(Article).select_related("revision"),
            pk=version_id,
            object_id=object_id,
        )
        try:
            text = services.article_revision_text(version)
        except RevertError as err:
            messages.error(request, str(err))
            return redirect("admin:newsroom_article_history", quote(object_id))
        current = Article.objects.filter(pk=object_id).first()
        saved_on = _when(version.revision.date_created)
        request._masthead_restoring = text
        context = {
            "title": f"Restore the text saved on {saved_on}",
            "revert": True,
            "restore_saved_on": saved_on,
            "restore_fields": [_label(name) for name in services.RESTORED_FIELDS],
            "restore_changes": restore_changes(current, text) if current else [],
            **(extra_context or {}),
        }
        with self.create_revision(request):
            response = self.changeform_view(request, quote(object_id), request.path, context)
            if request.method == "POST" and response.status_code == 302 and current:
                reversion.set_comment(self._restore_comment(current, saved_on))
        if response.status_code == 200 and isinstance(response, TemplateResponse):
            response.template_name = self.revision_form_template
        return response

    @staticmethod
    def _restore_comment(before: Article, saved_on: str) -> str:
        after = Article.objects.filter(pk=before.pk).values(*services.RESTORED_FIELDS).first()
        restored = [
            _label(name)
            for name in services.RESTORED_FIELDS
            if after and after[name] != getattr(before, name)
        ]
        comment = f"Restored the text saved on {saved_on}"
        comment += f" ({', '.join(restored)})." if restored else " (the same as before)."
        also = reversion.get_comment()  # what the editor changed on top, from log_change
        if also and also != gettext("No fields changed."):
            comment += f" {also}"
        return comment

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        # The story is written back before its form is saved: the save treats it as new.
        request._masthead_recovering = True
        return super().recover_view(request, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.article_byline_default(article=form.instance, user=request.user)

    def get_deleted_objects(self, objs, request):
        """What belongs to a story goes with it, as in WordPress: whoever may delete the story
        may delete its comments, follow-up subscriptions, old-address redirects, bylines and
        related-story choices, without a permission on each (the moderation queue itself
        deletes only spam and trash)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed = {name for name in perms_needed if name == Article._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    def render_delete_form(self, request, context):
        context["comment_count"] = context["object"].comments.count()
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)

    @admin.action(description=BULK_PUBLISH, permissions=["publish"])
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for article in queryset:
            if not can_publish(request.user, article):
                refused.append(article.headline)
                continue
            if article.status == Status.PUBLISHED:
                continue
            services.article_publish(article=article, user=request.user)
            self.log_change(request, article, f"Published with “{BULK_PUBLISH}”.")
            done += 1
        self.message_user(request, f"Published {done} stor{'y' if done == 1 else 'ies'}.")
        if refused:
            self.message_user(
                request,
                "Not published: you may publish only your own stories. " + "; ".join(refused),
                level=messages.WARNING,
            )

    @admin.action(description="Revoke preview links of selected stories", permissions=["publish"])
    def revoke_previews(self, request, queryset):
        done, refused = 0, []
        for article in queryset:
            if not can_publish(request.user, article):
                refused.append(article.headline)
                continue
            services.article_previews_revoke(article=article)
            self.log_change(request, article, "Revoked its preview links.")
            done += 1
        if refused:
            self.message_user(
                request,
                "Links kept: you may revoke only your own stories' links. " + "; ".join(refused),
                level=messages.WARNING,
            )
        self.message_user(
            request,
            f"Revoked the preview links of {done} stor{'y' if done == 1 else 'ies'}: links "
            "given out so far no longer open them. A new link is on each story's page.",
        )

    @admin.action(description=BULK_UNPUBLISH, permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        done, refused = 0, []
        for article in queryset.exclude(status__in=[Status.DRAFT, Status.PENDING]):
            if not can_publish(request.user, article):
                refused.append(article.headline)
                continue
            services.article_unpublish(article=article, user=request.user)
            self.log_change(
                request, article, f"Unpublished (back to draft) with “{BULK_UNPUBLISH}”."
            )
            done += 1
        self.message_user(request, f"Unpublished {done} stor{'y' if done == 1 else 'ies'}.")
        if refused:
            self.message_user(
                request,
                "Not unpublished: you may unpublish only your own stories. " + "; ".join(refused),
                level=messages.WARNING,
            )


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["name", "slug", "position", "show_on_home", "in_navigation"]
    list_editable = ["position", "show_on_home", "in_navigation"]
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
        # Only for a stored picture: after a refused upload the file is gone from the form.
        return f"{obj.width} × {obj.height}" if obj.pk and obj.width else ""

    @admin.display(description="Renditions")
    def rendition_list(self, obj: Image) -> str:
        return ", ".join(f"{r['width']} px" for r in obj.renditions) or "—"

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_change_image(request.user, obj)

    def get_urls(self):
        picker = path(
            "picker/", self.admin_site.admin_view(self.picker_view), name="newsroom_image_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The body editor's picture picker (admin-pictures.js): a page of pictures as JSON,
        newest first, ``?q=`` searching alt text, caption and credit, ``?before=<id>`` for
        the next page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        before = request.GET.get("before", "")
        if before and not re.fullmatch(r"[0-9]{1,18}", before):
            return JsonResponse({"error": "before must be a picture's id."}, status=400)
        images, more = image_choices(
            query=request.GET.get("q", "")[:200], before=int(before) if before else None
        )
        pictures = [
            {
                "id": image.pk,
                "src": image.url,
                "thumbnail": image.rendition_url(480),
                "alt": image.alt_text,
                "caption": image.caption,
                "credit": image.credit,
                "width": image.width,
                "height": image.height,
            }
            for image in images
        ]
        return JsonResponse({"pictures": pictures, "more": more})

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
        image = context["object"]
        context["live_stories"] = list(image_stories(image=image))
        # Any story, live or not, whose text points at the original keeps the file alive.
        context["body_stories"] = list(
            Article.objects.filter(body__contains=image.file.name).values_list("pk", flat=True)
        )
        return super().render_delete_form(request, context)


admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Django's user admin, where giving someone a newsroom role (Contributor, Author,
    Editor, Administrator) also gives them the admin sign-in, as a role does in WordPress:
    Django's separate "staff status" box was easy to miss, and their login then said the
    password was wrong. Only when the roles change here: an account whose staff status an
    administrator took away keeps its roles without it, and restores and imports leave
    staff status as they find it."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if "groups" not in form.changed_data or user.is_staff:
            return
        if user.groups.filter(name__in=ROLES).exists():
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            self.message_user(
                request,
                f"{user.get_username()} can now sign in to the newsroom: a newsroom role "
                "comes with staff status.",
                messages.INFO,
            )
