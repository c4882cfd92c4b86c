import dataclasses
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.generate import PREFIX, SCALES, network_delete, network_exists, network_generate


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic network for benchmarks: small (5 recruiters, "
        "5,000 contacts, 50,000 activities) or agency (50, 250,000, 2,500,000). Needs "
        "DEBUG=1 or --yes-this-is-not-production."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        for name in ("recruiters", "contacts", "activities"):
            parser.add_argument(f"--{name}", type=int, help=f"Override the scale's {name}.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day the history ends on (YYYY-MM-DD; default today): fix it to "
            "get the same rows on another day.",
        )
        parser.add_argument(
            "--password", help="Give every generated user this password (manual testing)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=f"Delete the users named {PREFIX}… and all their rows first.",
        )
        parser.add_argument("--yes-this-is-not-production", action="store_true")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["yes_this_is_not_production"]:
            raise CommandError(
                "This writes a large synthetic network: run it only with DEBUG=1, or "
                "pass --yes-this-is-not-production."
            )
        overrides = {
            name: options[name]
            for name in ("recruiters", "contacts", "activities")
            if options[name] is not None
        }
        scale = dataclasses.replace(SCALES[options["scale"]], **overrides)
        if min(dataclasses.astuple(scale)) < 0:
            raise CommandError("Counts cannot be negative.")
        if scale.activities and (not scale.recruiters or scale.contacts < scale.recruiters):
            raise CommandError("Activities need at least one contact per recruiter.")
        if network_exists():
            if not options["replace"]:
                raise CommandError(
                    f"Generated users ({PREFIX}…) exist already: add --replace to delete "
                    "them and their rows first."
                )
            network_delete(log=self.stdout.write)
        counts = network_generate(
            scale=scale,
            seed=options["seed"],
            password=options["password"],
            today=options["today"],
            log=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Generated {sum(counts.values()):,} rows in {len(counts)} tables.")
        )
