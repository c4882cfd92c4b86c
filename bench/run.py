"""`make bench`: generate the data at each scale, measure the pages and jobs against
the Django admin on it, and write bench/RESULTS.md.

Point DATABASE_URL at a scratch PostgreSQL database: the generator replaces the data
it made before (users named bench-…) at each scale. BENCH_SCALES picks the scales
("small agency" by default; "small" for a quick look).
"""

import os
import subprocess
import sys

from bench.pages import RESULTS

SCALES = os.environ.get("BENCH_SCALES", "small agency").split()


def main() -> None:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        sys.exit("make bench measures PostgreSQL: set DATABASE_URL to a scratch database.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--verbosity", "0"], env=env, check=True)
    sections = []
    for scale in SCALES:
        print(f"== {scale}: generating", flush=True)
        subprocess.run(
            [
                python,
                "manage.py",
                "generate_network",
                "--scale",
                scale,
                "--replace",
                "--yes-this-is-not-production",
            ],
            env=env,
            check=True,
        )
        print(f"== {scale}: measuring", flush=True)
        subprocess.run([python, "-m", "bench.pages"], env=env, check=True)
        sections.append((scale, RESULTS.read_text()))
    RESULTS.write_text(
        "\n\n".join(
            text.replace("# Benchmark results", f"# Benchmark results: {scale} scale", 1)
            for scale, text in sections
        )
    )
    print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
