"""The simulated year, run against a database with the addons installed.

    python -m tests.simulation.run --db DB [--days 400] [--customers 300] [--seed 23]

(run from the repository root; scripts/simulate.sh creates the database and runs
it, and make test runs it as one of its steps). Prints a summary; exits 1 with
the first broken invariant and its day.
"""

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from odoo_script import add_connection_arguments, load_odoo  # noqa: E402


def real_monotonic():
    """Real seconds elapsed (os.times: freezegun freezes the time module)."""
    return os.times().elapsed


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=23)
    add_connection_arguments(parser)
    parser.add_argument(
        "--progress", type=int, default=50, help="print a line every N days"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    odoo = load_odoo(args)
    # the runner's "Job ... processed" lines: one per job and night
    logging.getLogger("odoo.addons.base.models.ir_cron").setLevel(logging.WARNING)
    from tests.simulation import events, invariants
    from tests.simulation.driver import Driver, Observer

    started = real_monotonic()
    world = events.build_world(args.seed, args.days, args.customers)
    log = invariants.EventLog()
    checker = invariants.Checker(world, log)
    driver = Driver(odoo, args.db, world, log)
    driver.setup()
    for day in world.history_days():
        driver.run_day(day)
    print(f"  history loaded in {real_monotonic() - started:.0f}s", flush=True)
    observer = Observer(driver)
    setup_seconds = real_monotonic() - started
    print(
        f"simulation: seed {args.seed}, {args.days} days from {world.start}, "
        f"{args.customers} customers, set up with their history in "
        f"{setup_seconds:.0f}s",
        flush=True,
    )
    phases = dict.fromkeys(("nights", "days", "checks"), 0.0)
    crash = None
    try:
        for day in range(world.days):
            tick = real_monotonic()
            before = observer.before_night()
            phase = "night"
            driver.run_night(day)
            tock = real_monotonic()
            facts = observer.after_night(day, before)
            checker.check_night(facts)
            tack = real_monotonic()
            phase = "day"
            driver.run_day(day)
            phases["nights"] += tock - tick
            phases["checks"] += tack - tock
            phases["days"] += real_monotonic() - tack
            if args.progress and (day + 1) % args.progress == 0:
                print(
                    f"  day {day + 1}: {world.date(day)}, "
                    f"{real_monotonic() - started:.0f}s, "
                    f"{sum(checker.failure_counts.values())} broken checks",
                    flush=True,
                )
    except Exception as error:
        # reported with its day, after the summary of what ran until then
        traceback.print_exc()
        crash = f"day {day} ({world.date(day)}): the {phase} raised {error!r}"
    finally:
        driver.clock.stop()
    elapsed = real_monotonic() - started
    counts = log.counts()
    activities = observer.last_activity_id
    print(
        f"simulation summary ({elapsed:.0f}s): "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    )
    print(
        f"  jobs run: {driver.jobs_processed} runner calls, "
        f"{len(driver.company_calls)} company runs; activities created: "
        f"{activities}; invariants checked: {sum(checker.checks.values())}"
    )
    print(
        "  time: "
        + ", ".join(f"{name} {seconds:.0f}s" for name, seconds in phases.items())
        + f", set-up and history {setup_seconds:.0f}s; CPU of this process "
        f"{os.times().user + os.times().system:.0f}s"
    )
    print(
        "  seconds per kind of event: "
        + ", ".join(
            f"{kind} {seconds:.0f}" for kind, seconds in driver.seconds.most_common()
        )
    )
    lines, first = checker.report()
    print("\n".join(lines))
    if crash:
        print(f"FAILED: {crash}")
        return 1
    if first:
        print(f"FAILED: {first}")
        return 1
    print("simulation passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
