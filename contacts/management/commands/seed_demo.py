from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contacts.demo import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Create the demo accounts and a small network (local demo only; needs DEBUG=1)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo accounts share a known password: run this only with DEBUG=1."
            )
        if build_demo():
            self.stdout.write(
                "Demo ready: sign in as recruiter, manager, dpo or assessor, "
                f"password {DEMO_PASSWORD}."
            )
        else:
            self.stdout.write("Demo data already present; nothing changed.")
