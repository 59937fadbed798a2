"""`engage picture refresh [--organisation ID]`: rebuild the partnership's shared picture
now (after restoring a backup, say, or changing the framework of themes), and
`engage picture sharing`: what each organisation shares."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.partners.models import Organisation
from engage.partnership.services import picture_refresh, picture_refresh_all
from engage.partnership.sharing.selectors import sharing_levels


class Command(BaseCommand):
    help = "The partnership's shared picture: rebuild it now, or list what each organisation shares."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        refresh = actions.add_parser(
            "refresh",
            help="Rebuild the figures from what each organisation shares now (the worker does this "
            "after every analysis; this is for after a restore or a change of framework).",
        )
        refresh.add_argument(
            "--organisation", type=int, help="Only this organisation's figures (its number)."
        )
        actions.add_parser("sharing", help="List what each organisation shares with the partnership.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sharing":
            levels = sharing_levels()
            for organisation in Organisation.objects.order_by("name"):
                level = levels.own.get(organisation.pk)
                self.stdout.write(
                    f"{organisation.name}: {level.label.lower() if level else 'nothing (not chosen)'}"
                )
            return
        started = time.perf_counter()
        chosen = options.get("organisation")
        if chosen is not None:
            if not Organisation.objects.filter(pk=chosen).exists():
                raise CommandError(f"There is no organisation numbered {chosen}.")
            counted = picture_refresh(organisation_id=chosen)
        else:
            counted = picture_refresh_all()
        self.stdout.write(
            f"The shared picture counts {counted:,} shared conversations (rebuilt in {time.perf_counter() - started:.1f} s)."
        )
