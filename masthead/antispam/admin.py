"""The spam filter in Django's admin: a dashboard, API keys, model versions, training data.

The dashboard (Spam filter → Dashboard) shows what the filter caught, held, let through and
got wrong over the last 30 days, the model in use and how it did, and starts a retrain.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from masthead.antispam import charts, keys, selectors
from masthead.antispam.models import ApiKey, Dashboard, SpamDecision, SpamModelVersion

RETRAIN_PERMISSION = "antispam.change_spammodelversion"
MODERATE = "discussion.moderate_comment"


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    """Not a list of rows: the changelist is the dashboard."""

    def has_module_permission(self, request):
        return request.user.has_perm(MODERATE) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("retrain/", view(self.retrain_view), name="antispam_dashboard_retrain"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = selectors.daily_series(days=30)
        series = {
            "Caught (spam)": [r["caught"] for r in rows],
            "Held for a moderator": [r["held"] for r in rows],
            "Approved by the filter": [r["passed"] for r in rows],
            "False positives": [r["false_positives"] for r in rows],
        }
        totals = {
            name: sum(int(r[name]) for r in rows)
            for name in ("checked", "passed", "held", "caught", "discarded", "approved",
                         "false_positives", "missed")
        }  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": "Spam filter",
            "opts": self.model._meta,
            "status": selectors.model_status(),
            "chart": charts.line_chart(
                [r["day"] for r in rows], series, title="The spam filter over the last 30 days"
            ),
            "totals": totals,
            "can_retrain": request.user.has_perm(RETRAIN_PERMISSION),
            "versions_url": reverse("admin:antispam_spammodelversion_changelist"),
            "decisions_url": reverse("admin:antispam_spamdecision_changelist"),
        }
        return TemplateResponse(request, "admin/antispam/dashboard.html", context)

    def retrain_view(self, request):
        if request.method != "POST" or not request.user.has_perm(RETRAIN_PERMISSION):
            raise PermissionDenied
        from masthead.antispam.tasks import spam_model_retrain

        rebuild = request.POST.get("rebuild") == "1"
        spam_model_retrain.enqueue(rebuild=rebuild)
        what = "A rebuild from the base model" if rebuild else "A retrain"
        self.message_user(
            request,
            f"{what} is queued; the background worker runs it and web processes use the new "
            "version within seconds of it finishing.",
            messages.SUCCESS,
        )
        return redirect("admin:antispam_dashboard_changelist")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label", "site", "note", "is_active", "rate_limit", "monthly_limit",
                    "checks_this_month", "created_at"]  # fmt: skip
    list_filter = ["is_active"]
    search_fields = ["site", "note", "prefix"]
    fields = ["site", "note", "rate_limit", "monthly_limit", "is_active", "created_at",
              "revoked_at"]  # fmt: skip
    readonly_fields = ["created_at", "revoked_at", "is_active"]
    actions = ["revoke"]

    @admin.display(description="Key")
    def label(self, obj: ApiKey) -> str:
        return f"{obj.prefix}…"

    @admin.display(description="Checks this month")
    def checks_this_month(self, obj: ApiKey) -> int:
        return selectors.month_usage(obj.pk)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the key's usage stays on record

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            keys.lookups.forget()
            return
        try:
            key = keys.issue(obj)
        except keys.ApiKeyError as err:
            self.message_user(request, str(err), messages.ERROR)
            return
        self.message_user(
            request,
            format_html(
                "The new key for {} is <strong><code>{}</code></strong>. Copy it now: only a "
                "hash of it is kept, so it cannot be shown again.",
                obj.site,
                key,
            ),
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for row in queryset.filter(is_active=True):
            keys.api_key_deactivate(row)
        self.message_user(request, "The keys are revoked; clients using them get 'invalid'.")


@admin.register(SpamModelVersion)
class SpamModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "kind", "is_current", "created_at", "n_new", "n_updates",
                    "size_kb", "recall", "roc_auc", "pruned"]  # fmt: skip
    list_filter = ["kind", "is_current", "pruned"]
    readonly_fields = ["version", "kind", "is_current", "created_at", "base_trained_at", "n_train",
                       "n_updates", "n_new", "size", "sha256", "evaluation", "pruned"]  # fmt: skip
    exclude = ["data"]
    actions = ["make_current"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description="Size")
    def size_kb(self, obj) -> str:
        return f"{obj.size / 1024:,.0f} KB"

    @admin.display(description="Recall at 1% FPR")
    def recall(self, obj) -> str:
        value = (obj.evaluation or {}).get("recall_at_fpr_1pct")
        return "—" if value is None else f"{value:.3f}"

    @admin.display(description="ROC AUC")
    def roc_auc(self, obj) -> str:
        value = (obj.evaluation or {}).get("roc_auc")
        return "—" if value is None else f"{value:.3f}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Use the selected version", permissions=["change"])
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        # Imported here: the model's numerical libraries (scikit-learn, SciPy) are loaded by
        # the processes that score or train, not by every command that loads the admin.
        from masthead.antispam import learning

        try:
            learning.model_activate(version=queryset.get())
        except ValueError as err:
            self.message_user(request, str(err), messages.ERROR)
            return
        self.message_user(request, "That version is now in use.")


@admin.register(SpamDecision)
class SpamDecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "label", "source", "excerpt", "comment_author", "user",
                    "learned_in", "score_before", "superseded"]  # fmt: skip
    list_filter = ["label", "source", "superseded", ("learned_in", admin.EmptyFieldListFilter)]
    search_fields = ["comment_content", "comment_author"]
    list_select_related = ["learned_in", "user"]
    date_hierarchy = "created_at"

    @admin.display(description="Comment")
    def excerpt(self, obj: SpamDecision) -> str:
        return Truncator(obj.comment_content).chars(100)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
