from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.models import Criterion, LearningOutcome, Unit
from reviews.units import load_unit, read_unit


class Command(BaseCommand):
    help = "Load (or update) a unit, its learning outcomes and criteria from a JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="e.g. reviews/data/default-unit.json")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = read_unit(file)
        except (OSError, ValueError, TypeError, AttributeError) as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            unit, written = load_unit(
                data, Unit=Unit, LearningOutcome=LearningOutcome, Criterion=Criterion
            )
        self.stdout.write(f"Loaded {unit}: {written} criteria.")
