"""``masthead spam``: train and evaluate models, manage API keys, retrain from decisions.

    masthead spam train --csv FILE [FILE ...] --out PATH
    masthead spam eval --model PATH --csv FILE [FILE ...] [--json] [--plot OUT.png]
    masthead spam key create --site URL [--note TEXT] [--rate-limit N]
    masthead spam key list
    masthead spam key revoke KEY
    masthead spam retrain [--rebuild]

``train`` and ``eval`` are ``masthead.antispam.cli`` (a stable contract: see its options
with ``masthead spam train --help``); exit status 2 means unusable data or model.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masthead.antispam import cli, learning, selectors
from masthead.antispam.keys import ApiKeyError, api_key_create, api_key_revoke


class Command(BaseCommand):
    help = "The spam filter: train and evaluate models, manage Akismet API keys, retrain."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        cli.add_train_arguments(
            actions.add_parser("train", help="train a model on labelled CSV files")
        )
        cli.add_eval_arguments(
            actions.add_parser("eval", help="measure a model on labelled CSV files")
        )
        key = actions.add_parser("key", help="API keys for the Akismet-compatible API")
        key_actions = key.add_subparsers(dest="key_action", required=True, metavar="KEY_ACTION")
        create = key_actions.add_parser("create", help="print a new key bound to a site")
        create.add_argument("--site", required=True, metavar="URL", help="the site's address")
        create.add_argument("--note", default="", help="who or what the key is for")
        create.add_argument("--rate-limit", type=int, metavar="N", help="calls per minute")
        key_actions.add_parser("list", help="the keys, with this month's checks")
        revoke = key_actions.add_parser("revoke", help="stop a key from working")
        revoke.add_argument("key", metavar="KEY", help="the key, or the 4 characters listed")
        retrain = actions.add_parser("retrain", help="learn moderators' decisions now")
        retrain.add_argument(
            "--rebuild", action="store_true", help="start again from the base model"
        )

    def handle(self, *args, action: str, **options):
        if action in ("train", "eval"):
            out = getattr(self.stdout, "_out", sys.stdout)
            code = cli.run(argparse.Namespace(command=action, **options), stdout=out)
            if code:
                raise SystemExit(code)
            return
        if action == "retrain":
            result = learning.model_retrain(rebuild=options["rebuild"])
            if result.status == "failed":
                raise CommandError(result.message)
            self.stdout.write(result.message)
            return
        try:
            getattr(self, f"key_{options['key_action']}")(**options)
        except ApiKeyError as err:
            raise CommandError(str(err)) from err

    def key_create(self, *, site: str, note: str, rate_limit: int | None, **options):
        row, key = api_key_create(site=site, note=note, rate_limit=rate_limit)
        self.stdout.write(key)
        self.stderr.write(
            f"Key {row.prefix}… for {row.site}: shown this once, only its hash is kept. "
            "Give it to the site with this server's address (docs/akismet-api.md)."
        )

    def key_list(self, **options):
        keys = selectors.api_keys()
        if not keys:
            self.stdout.write("No API keys. Create one with: masthead spam key create --site URL")
            return
        self.stdout.write(f"{'key':<7} {'site':<40} {'state':<8} {'created':<11} {'per min':>7}")
        for row in keys:
            state = "active" if row.is_active else "revoked"
            self.stdout.write(
                f"{row.prefix + '…':<7} {row.site[:40]:<40} {state:<8} "
                f"{timezone.localtime(row.created_at):%Y-%m-%d} {row.rate_limit or '—':>7}"
                f"  {selectors.month_usage(row.pk)} checks this month"
            )

    def key_revoke(self, *, key: str, **options):
        row = api_key_revoke(key=key)
        self.stdout.write(f"Revoked {row.prefix}… for {row.site}.")
