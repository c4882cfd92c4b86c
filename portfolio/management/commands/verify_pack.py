from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.pack import verify_zip


class Command(BaseCommand):
    help = "Check a portfolio pack (ZIP) against its MANIFEST.sha256."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        problems = verify_zip(data)
        if problems:
            raise CommandError("The pack does not verify:\n" + "\n".join(problems))
        self.stdout.write("The pack verifies: every file matches its manifest.")
