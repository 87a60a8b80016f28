"""The moderation queue and the discussion settings, in Django's admin.

Moderators (the ``discussion.moderate_comment`` permission; editors have it) see counts per
status, filter, search, act in bulk, reply as staff, and see why each comment was held.
Every action goes through :mod:`masthead.discussion.moderation`, which logs it.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator

from masthead.discussion import moderation
from masthead.discussion.forms import DataRequestForm, StaffReplyForm
from masthead.discussion.models import (
    Comment,
    DiscussionSettings,
    ModerationLog,
    ModeratorOptOut,
    Subscription,
)
from masthead.discussion.privacy import personal_data_erase, personal_data_export
from masthead.discussion.selectors import moderation_counts

Status = Comment.Status
MODERATE = "discussion.moderate_comment"
AUTHOR_CHARS = 40  # of a name or email shown in the queue
BUTTONS = [
    ("approve", "Approve"),
    ("unapprove", "Unapprove"),
    ("spam", "Spam"),
    ("not_spam", "Not spam"),
    ("trash", "Trash"),
    ("restore", "Restore"),
]
BUTTON_HTML = '<button type="submit" name="_moderate" value="{}" class="button">{}</button>'
# A queue row's own actions, as WordPress shows under each comment: buttons of the list's
# form (it carries the CSRF token) that post to the comment's moderate/ address instead.
ROW_BUTTON_HTML = (
    '<button type="submit" formaction="{}" name="_moderate" value="{}" class="row-action">'
    "{}</button>"
)
DONE = {
    "approve": "approved",
    "unapprove": "back in the queue",
    "spam": "marked as spam",
    "not_spam": "approved (not spam)",
    "trash": "moved to the trash",
    "restore": "restored",
}


def _bulk(action: str, done: str):
    def run(modeladmin, request, queryset):
        changed = sum(
            moderation.comment_moderate(comment=c, action=action, user=request.user)
            for c in queryset.select_related("article")
        )
        skipped = queryset.count() - changed if action != "trash" else 0
        if changed:
            modeladmin.message_user(
                request, f"{changed} comment{'s' if changed != 1 else ''} {done}."
            )
        if skipped > 0:
            modeladmin.message_user(
                request, f"{skipped} skipped: the action does not apply to them.", messages.WARNING
            )

    run.__name__ = f"action_{action}"
    run.allowed_permissions = ("moderate",)
    return run


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["author", "excerpt", "status", "story", "created_at"]
    list_display_links = None  # the row's Edit link opens a comment (the cell holds buttons)
    list_filter = ["status", "kind", "created_at", ("user", admin.EmptyFieldListFilter)]
    search_fields = ["author_name", "author_email", "author_url", "body", "article__headline"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    actions = [
        admin.action(description="Approve")(_bulk("approve", "approved")),
        admin.action(description="Unapprove (back to pending)")(_bulk("unapprove", "unapproved")),
        admin.action(description="Mark as spam")(_bulk("spam", "marked as spam")),
        admin.action(description="Not spam (approve)")(_bulk("not_spam", "marked as not spam")),
        admin.action(description="Move to trash")(_bulk("trash", "moved to the trash")),
        admin.action(description="Restore from trash")(_bulk("restore", "restored")),
        "delete_permanently",
    ]
    fields = [
        "moderate_buttons", "article", "parent", "status", "held_because", "spam_probability",
        "author_name", "author_email", "author_url", "user", "body", "created_at",
        "ip_address", "user_agent", "import_source", "history",
    ]  # fmt: skip
    readonly_fields = [
        "moderate_buttons", "article", "parent", "status", "held_because", "spam_probability",
        "author_email", "user", "created_at", "ip_address", "user_agent", "import_source",
        "history",
    ]  # fmt: skip
    change_list_template = "admin/discussion/comment/change_list.html"

    class Media:
        css = {"all": ["masthead/css/admin-lists.css"]}

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm(MODERATE)

    def has_module_permission(self, request):
        return self.has_moderate_permission(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_moderate_permission(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_moderate_permission(request)

    def has_add_permission(self, request):
        return False  # comments come from readers, staff replies from the queue

    def has_delete_permission(self, request, obj=None):
        if not self.has_moderate_permission(request):
            return False
        return obj is None or obj.status in (Status.SPAM, Status.TRASH)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Delete permanently (spam and trash only)", permissions=["moderate"])
    def delete_permanently(self, request, queryset):
        deleted = sum(
            moderation.comment_delete(comment=c, user=request.user)
            for c in queryset.select_related("article")
        )
        if deleted:
            self.message_user(
                request, f"{deleted} comment{'s' if deleted != 1 else ''} deleted permanently."
            )
        if kept := queryset.count():
            self.message_user(
                request,
                f"{kept} kept: only spam and trash can be deleted. Trash them first.",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        if not moderation.comment_delete(comment=obj, user=request.user):
            raise PermissionDenied("Only spam and trash can be deleted. Trash it first.")

    @admin.display(description="Author", ordering="author_name")
    def author(self, obj: Comment) -> str:
        # Shortened, the whole in a tooltip: one 245-letter name would widen every row.
        name, email = obj.display_name, obj.author_email or "—"
        return format_html(
            '<strong title="{}">{}</strong><br><small title="{}">{}</small>',
            name,
            Truncator(name).chars(AUTHOR_CHARS),
            email,
            Truncator(email).chars(AUTHOR_CHARS),
        )

    @admin.display(description="Comment")
    def excerpt(self, obj: Comment) -> str:
        """The comment's opening, why it waits (held or spam), and the row's actions."""
        why = ""
        if obj.status in (Status.PENDING, Status.SPAM):
            reasons = self.why(obj)
            why = format_html(
                '<p class="comment-why" title="{}">{}</p>', reasons, Truncator(reasons).chars(90)
            )
        return format_html(
            '<p class="comment-excerpt">{}</p>{}<p class="row-actions">{}</p>',
            Truncator(obj.body).chars(160),
            why,
            self.row_actions(obj),
        )

    def row_actions(self, obj: Comment) -> str:
        moderate = reverse("admin:discussion_comment_moderate", args=[obj.pk])
        buttons = format_html_join(
            " ",
            ROW_BUTTON_HTML,
            (
                (moderate, key, label)
                for key, label in BUTTONS
                if obj.status in moderation.TRANSITIONS[key].allowed_from
            ),
        )
        change = reverse("admin:discussion_comment_change", args=[obj.pk])
        return format_html('{} {} <a href="{}">Edit</a>', buttons, self.reply_link(obj), change)

    def view_on_site(self, obj: Comment) -> str:
        """A published comment's address (it finds the comment's page); the story's for one
        readers cannot see."""
        if obj.status == Status.APPROVED and obj.kind == Comment.Kind.COMMENT:
            return obj.get_absolute_url()
        return obj.article.get_absolute_url()

    @admin.display(description="In response to", ordering="article__headline")
    def story(self, obj: Comment) -> str:
        return format_html('<a href="{}">{}</a>', self.view_on_site(obj), obj.article.headline)

    @admin.display(description="Why held")
    def why(self, obj: Comment) -> str:
        parts = list(obj.moderation_reasons or [])
        scored = any("spam probability" in reason for reason in parts)
        if obj.spam_score is not None and not scored:  # the filter's reason gives it already
            parts.append(f"spam score {obj.spam_score:.2f}")
        return "; ".join(parts) or "—"

    @admin.display(description="Spam probability")
    def spam_probability(self, obj: Comment) -> str:
        if obj.spam_score is None:
            return "— (not scored)"
        return f"{obj.spam_score:.0%}"

    @admin.display(description="Reasons")
    def held_because(self, obj: Comment) -> str:
        if not obj.moderation_reasons:
            return "No rule held this comment."
        return format_html_join(format_html("<br>"), "• {}", ((r,) for r in obj.moderation_reasons))

    def reply_link(self, obj: Comment) -> str:
        if obj.status in (Status.SPAM, Status.TRASH):
            return ""
        if obj.depth >= DiscussionSettings.load().thread_depth:
            return ""  # a reply would nest too deep: comment_reply_as_staff refuses it
        return format_html(
            '<a href="{}">Reply</a>', reverse("admin:discussion_comment_reply", args=[obj.pk])
        )

    @admin.display(description="Moderate")
    def moderate_buttons(self, obj: Comment) -> str:
        buttons = [
            (key, label)
            for key, label in BUTTONS
            if obj.status in moderation.TRANSITIONS[key].allowed_from
        ]
        return format_html_join(" ", BUTTON_HTML, buttons)

    @admin.display(description="Moderation log")
    def history(self, obj: Comment) -> str:
        entries = obj.log.select_related("user")[:20]
        if not entries:
            return "—"
        rows = (
            (f"{e.at:%Y-%m-%d %H:%M}", e.get_action_display(), e.user or "the site")
            for e in entries
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {} by {}</li>", rows))

    def save_model(self, request, obj, form, change):
        if form.changed_data:
            moderation.comment_edit(comment=obj, user=request.user, changed=form.changed_data)
        action = request.POST.get("_moderate")
        moderated = action in moderation.TRANSITIONS and moderation.comment_moderate(
            comment=obj, action=action, user=request.user
        )
        if moderated:
            request._masthead_moderated = DONE[action]

    def response_change(self, request, obj):
        done = getattr(request, "_masthead_moderated", None)
        if done is None:
            return super().response_change(request, obj)
        self.message_user(request, f"The comment by {obj.display_name} is {done}.")
        return self.response_post_save_change(request, obj)

    def changelist_view(self, request, extra_context=None):
        counts = moderation_counts()
        tabs = [(status, label, counts[status]) for status, label in Status.choices]
        extra = {"status_tabs": tabs, "current_status": request.GET.get("status__exact", "")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/reply/", view(self.reply_view), name="discussion_comment_reply"),
            path(
                "<int:pk>/moderate/",
                view(self.moderate_view),
                name="discussion_comment_moderate",
            ),
            path(
                "personal-data/",
                view(self.personal_data_view),
                name="discussion_comment_personal_data",
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk: int):
        """One row's action button in the queue; back to the queue as it was (its filters
        and page), or to the queue's first page."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        action = request.POST.get("_moderate", "")
        if action not in moderation.TRANSITIONS:
            return HttpResponseBadRequest("Unknown moderation action.")
        who = comment.display_name
        if moderation.comment_moderate(comment=comment, action=action, user=request.user):
            self.message_user(request, f"The comment by {who} is {DONE[action]}.")
        else:
            self.message_user(
                request,
                f"The comment by {who} is {comment.get_status_display().lower()} already: "
                "nothing changed.",
                messages.WARNING,
            )
        back = request.headers.get("referer", "")
        queue = reverse("admin:discussion_comment_changelist")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        parts = urlsplit(back)
        if safe and parts.path == queue:
            # Its filters, from the first page: the comment may have left the last one.
            query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "p"]
            return HttpResponseRedirect(f"{queue}?{urlencode(query)}" if query else queue)
        return HttpResponseRedirect(queue)

    def reply_view(self, request, pk: int):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        form = StaffReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reply = moderation.comment_reply_as_staff(
                    parent=parent, body=form.cleaned_data["body"], user=request.user
                )
            except ValidationError as err:
                form.add_error(None, err)
            else:
                self.message_user(request, f"Your reply is published as comment {reply.pk}.")
                return redirect("admin:discussion_comment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to {parent.display_name}",
            "parent": parent,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/discussion/comment/reply.html", context)

    def personal_data_view(self, request):
        if not request.user.has_perm("discussion.manage_personal_data"):
            raise PermissionDenied
        form = DataRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if form.cleaned_data["action"] == "export":
                ModerationLog.objects.create(action=ModerationLog.Action.EXPORT, user=request.user)
                data = json.dumps(personal_data_export(email=email), ensure_ascii=False, indent=2)
                response = HttpResponse(data, content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="comment-data.json"'
                return response
            counts = personal_data_erase(email=email, user=request.user)
            self.message_user(
                request,
                f"Erased: {counts['deleted']} unpublished comments deleted, "
                f"{counts['anonymised']} published ones anonymised, "
                f"{counts['subscriptions']} subscriptions removed.",
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Commenters’ personal data: export or erase",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/discussion/comment/personal_data.html", context)


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "comment_link", "from_status", "to_status", "user", "note"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    search_fields = ["note", "comment_ref"]
    date_hierarchy = "at"

    class Media:
        css = {"all": ["masthead/css/admin-lists.css"]}

    @admin.display(description="Comment", ordering="comment_ref")
    def comment_link(self, obj: ModerationLog) -> str:
        if obj.comment_id is None:  # deleted since, or an entry about no one comment
            return f"{obj.comment_ref} (deleted)" if obj.comment_ref else "—"
        url = reverse("admin:discussion_comment_change", args=[obj.comment_id])
        return format_html('<a href="{}">{}</a>', url, obj.comment_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            "Comment form",
            {
                "fields": [
                    "comments_enabled",
                    "require_name_email",
                    "close_after_days",
                    "allow_subscriptions",
                ]
            },
        ),
        (
            "Threads and pages",
            {"fields": ["thread_depth", "per_page", "order", "show_pingbacks"]},
        ),
        (
            "Before a comment appears",
            {"fields": ["hold_all", "auto_approve_known", "hold_links", "flood_seconds"]},
        ),
        ("Words", {"fields": ["moderation_words", "disallowed_words"]}),
        ("Email moderators", {"fields": ["notify_on_comment", "notify_on_held"]}),
        (
            "Privacy and clean-up",
            {
                "fields": [
                    "ip_policy",
                    "ip_retention_days",
                    "spam_purge_days",
                    "trash_purge_days",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        DiscussionSettings.load()
        return redirect("admin:discussion_discussionsettings_change", 1)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "article", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["article", "email", "confirmed_at", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ModeratorOptOut)
class ModeratorOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
