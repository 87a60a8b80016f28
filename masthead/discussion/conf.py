"""Settings of the discussion app that belong to the deployment rather than to editors.

Editors change the discussion rules in the admin (:class:`~masthead.discussion.models.
DiscussionSettings`); these are read from Django's settings when code runs.
"""

from masthead.core.conf import AppSettings

app_settings = AppSettings(
    "MASTHEAD_",
    {
        # Dotted path to the class that gives each posted comment a spam verdict: by default
        # Masthead's own filter, which keeps everything on this server.
        "SPAM_CHECKER": "masthead.antispam.checker.LocalSpamChecker",
        # The comment form carries a signed timestamp: a post sent sooner than this after
        # the form was made (faster than a person types), or later than this many hours,
        # is refused and the form shown again with everything the reader typed.
        "COMMENT_FORM_MIN_SECONDS": 3,
        "COMMENT_FORM_MAX_HOURS": 24,
        # How long "Save my name, email, and website in this browser" remembers them.
        "COMMENT_COOKIE_DAYS": 365,
        # How long a reader's own pending comments stay visible to them.
        "PENDING_COOKIE_DAYS": 14,
        # How long links in confirmation emails (subscriptions, data requests) work.
        "CONFIRMATION_LINK_DAYS": 7,
        # How long after posting a reader may change or delete their comment, from the
        # browser that posted it (0: never).
        "COMMENT_EDIT_MINUTES": 15,
    },
)

REMEMBER_COOKIE = "masthead_commenter"
PENDING_COOKIE = "masthead_pending"
EDIT_COOKIE = "masthead_edit"  # signed, HttpOnly: the comments this browser may change
EDITABLE_COOKIE = "masthead_editable"  # for comments.js: which, and until when (no secret)
