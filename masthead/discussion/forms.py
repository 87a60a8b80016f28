"""The reader's comment form and the privacy page's data-request form."""

from __future__ import annotations

from django import forms

from masthead.discussion.models import DiscussionSettings
from masthead.discussion.text import clean_line, clean_text

BODY_MAX = 65525
NAME_MAX = 245
EMAIL_MAX = 100
URL_MAX = 200


def _too_long(what: str, limit: int) -> str:
    return (
        f"{what} can be at most {limit:,} characters long; yours has %(show_value)s. "
        "Please shorten it."
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={
            "required": "Please type your comment.",
            "max_length": _too_long("A comment", BODY_MAX),
        },
    )
    author_name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={
            "required": "Please enter your name.",
            "max_length": _too_long("A name", NAME_MAX),
        },
    )
    author_email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": "Please enter your email address. It will not be published.",
            "invalid": "This email address does not look right: check it for typos. It "
            "should look like name@example.org.",
            "max_length": _too_long("An email address", EMAIL_MAX),
        },
    )
    author_url = forms.URLField(
        label="Website",
        max_length=URL_MAX,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={
            "invalid": "This does not look like a web address. Use one that starts with "
            "https:// or http://, or leave the field empty.",
            "max_length": _too_long("A web address", URL_MAX),
        },
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    subscribe = forms.BooleanField(
        label="Notify me of follow-up comments by email.", required=False
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # When the form was made, signed (tokens.form_token): checked by guards.FormTimestamp.
    issued = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    leave_empty = forms.CharField(
        label="Leave this empty", required=False, strip=False, max_length=200
    )

    def __init__(self, *args, config: DiscussionSettings, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        self.signed_in = bool(user is not None and user.is_authenticated)
        if self.signed_in:
            for name in ("author_name", "author_email", "author_url", "remember"):
                del self.fields[name]
        elif not config.require_name_email:
            self.fields["author_name"].required = False
            self.fields["author_email"].required = False
        if not config.allow_subscriptions or self.signed_in:
            del self.fields["subscribe"]

    def clean_body(self) -> str:
        body = clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("Please type your comment.", code="required")
        return body

    def clean_author_name(self) -> str:
        name = clean_line(self.cleaned_data.get("author_name", ""))
        if self.fields["author_name"].required and not name:
            raise forms.ValidationError("Please enter your name.", code="required")
        return name

    def clean_author_url(self) -> str:
        url = clean_line(self.cleaned_data.get("author_url", ""))
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(self.fields["author_url"].error_messages["invalid"])
        return url

    def clean(self):
        data = super().clean()
        if data.get("subscribe") and not data.get("author_email"):
            self.add_error(
                "author_email", "Enter your email address to be notified of follow-up comments."
            )
        return data


class DataRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter the email address you used when commenting.",
            "invalid": "This email address does not look right: check it for typos.",
        },
    )
    action = forms.ChoiceField(
        label="What would you like?",
        choices=[
            ("export", "Send me a copy of my comment data (JSON)"),
            ("erase", "Erase my comment data"),
        ],
        widget=forms.RadioSelect,
        initial="export",
    )


class CommentEditForm(forms.Form):
    """A reader changing their own comment: its text, under the same rules as when posted."""

    body = CommentForm.declared_fields["body"]
    clean_body = CommentForm.clean_body


class StaffReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={"required": "Type your reply."},
    )
