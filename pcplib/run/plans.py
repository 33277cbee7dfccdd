"""Planning a run from the command line: which reports, into which folder.

``pcp run`` plans a board meeting's (a slot's) strategy reports and the plan overview (``--slot``,
``--default`` adds the public quarterly report), chosen strategies for a period
(``--strategy``) or every strategy in the forward plan (``--all``); ``pcp public``
plans a quarter's public report and ``pcp annual`` a year's evaluation.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pcplib.labels import month_words, suggest_name
from pcplib.periods import label_month, label_quarter, shift_month
from pcplib.run.errors import EXIT_USAGE, RunError
from pcplib.run.history import HISTORY_FOLDER
from pcplib.run.jobs import (
    NO_MEETING,
    Job,
    RunPlan,
    describe_meeting,
    plan_annual_job,
    plan_board_job,
    plan_overview_job,
    plan_public_about_job,
    plan_public_job,
    plan_strategy_job,
    repo_parameter,
)
from pcplib.run.months import quarter_end_of
from pcplib.run.options import RunOptions


def load_plan(forward_plan: Path) -> Any:
    """Load the forward plan, turning its errors into a :class:`RunError`.

    Parameters
    ----------
    forward_plan : Path
        The forward plan (the data set's ``forward_plan.yaml``).

    Returns
    -------
    pcplib.data.forward_plan.ForwardPlan
        The plan.

    Raises
    ------
    RunError
        When the plan cannot be read or is invalid (exit 1).
    """
    from pcplib.data.forward_plan import load_forward_plan

    try:
        return load_forward_plan(forward_plan)
    except ValueError as exc:
        # The message is one line naming the file, the line and what was expected.
        raise RunError(str(exc)) from exc


def resolve_slot_spec(plan: Any, spec: str, today: date | None) -> Any:
    """Resolve ``latest``, ``next`` or ``YYYY-MM`` to a slot of the forward plan.

    Parameters
    ----------
    plan : pcplib.data.forward_plan.ForwardPlan
        The plan.
    spec : str
        The ``--slot`` value.
    today : datetime.date or None
        The date ``latest`` and ``next`` are relative to.

    Returns
    -------
    pcplib.data.forward_plan.Slot
        The slot.

    Raises
    ------
    RunError
        If the slot is not in the plan (exit 2).
    """
    from pcplib.data.forward_plan import resolve_slot

    try:
        return resolve_slot(plan, spec, today=today)
    except (ValueError, KeyError, LookupError) as exc:
        raise RunError(f"--slot {spec}: {exc}", EXIT_USAGE) from exc


def check_period(period: str) -> str:
    """Check a ``--period`` value is a quarter-end month ``YYYY-MM``.

    Parameters
    ----------
    period : str
        The value given.

    Returns
    -------
    str
        The same month.

    Raises
    ------
    RunError
        If it is not ``YYYY-MM`` in March, June, September or December (exit 2).
    """
    try:
        parsed = datetime.strptime(period, "%Y-%m")
    except ValueError as exc:
        raise RunError(f"--period {period!r} is not a month YYYY-MM", EXIT_USAGE) from exc
    if parsed.month % 3:
        raise RunError(
            f"--period {period} is not a quarter end (expected March, June, September or "
            "December, e.g. 2026-09)",
            EXIT_USAGE,
        )
    return period


def known_strategies(forward_plan: Any) -> list[str]:
    """Return every strategy the forward plan schedules, in order of first appearance.

    Parameters
    ----------
    forward_plan : pcplib.data.forward_plan.ForwardPlan
        The plan.

    Returns
    -------
    list of str
        Strategy ids.
    """
    ordered: dict[str, None] = {}
    for slot in forward_plan.slots:
        ordered.update(dict.fromkeys(slot.strategies))
    return list(ordered)


def check_strategies(strategies: list[str], known: list[str]) -> None:
    """Refuse ``--strategy`` ids the forward plan does not schedule, before anything runs.

    The forward plan is checked against the data set's strategies, so its ids are the
    ones a report can be built for.

    Parameters
    ----------
    strategies : list of str
        The ids given.
    known : list of str
        The forward plan's strategies.

    Raises
    ------
    RunError
        Naming the first unknown id, a near miss and the known ids (exit 2).
    """
    for strategy in strategies:
        if strategy not in known:
            hint = suggest_name(strategy, known)
            raise RunError(
                f"--strategy {strategy}: unknown strategy{hint}; expected one of: "
                f"{', '.join(known)}",
                EXIT_USAGE,
            )


def derive_slot_for_period(plan: Any, period_end: str) -> str:
    """Return the first board meeting that reports data up to ``period_end``.

    Parameters
    ----------
    plan : pcplib.data.forward_plan.ForwardPlan
        The forward plan.
    period_end : str
        The data period's last month.

    Returns
    -------
    str
        The earliest scheduled slot whose period ends then; otherwise the month two
        months after ``period_end`` (the first meeting that could see that quarter).
    """
    matching = sorted(
        label_month(s.slot) for s in plan.slots if label_month(s.period_end) == period_end
    )
    return matching[0] if matching else shift_month(period_end, 2)


def find_meeting(plan: Any, strategy: str, period_end: str, board: str = "Board") -> str:
    """Name the meeting that reviews a strategy on a data period, or say when it is next due.

    A report built outside its slot (``--all``, ``--strategy``) must not claim a
    meeting it was never prepared for: it names the forward plan's meeting that reviews
    that strategy on that data period or, when there is none, says it was prepared for
    no meeting and when the forward plan next brings the strategy to the board (a
    strategy on the forward plan is never left looking forgotten).

    Parameters
    ----------
    plan : pcplib.data.forward_plan.ForwardPlan
        The forward plan.
    strategy : str
        The strategy id.
    period_end : str
        The data period's last month, ``YYYY-MM``.
    board : str, default "Board"
        The board's name (the data set's ``board.name``).

    Returns
    -------
    str
        ``"<board name>, July 2026"``; or :data:`~pcplib.run.jobs.NO_MEETING` followed by
        "; next due at the <board name> in March 2027 (data to December 2026)", or by
        "; not on the forward plan again up to its last meeting, in March 2027".
    """
    from pcplib.data.forward_plan import find_meeting_slot

    slot = find_meeting_slot(plan, strategy, period_end)
    if slot is not None:
        return describe_meeting(label_month(slot.slot), board)
    return f"{NO_MEETING}; {describe_next_review(plan, strategy, period_end, board)}"


def describe_next_review(plan: Any, strategy: str, period_end: str, board: str = "Board") -> str:
    """Say when the forward plan next reviews a strategy on data later than ``period_end``.

    Parameters
    ----------
    plan : pcplib.data.forward_plan.ForwardPlan
        The forward plan.
    strategy : str
        The strategy id.
    period_end : str
        The data period's last month, ``YYYY-MM``.
    board : str, default "Board"
        The board's name.

    Returns
    -------
    str
        "next due at the <board> in March 2027 (data to December 2026)", or "not on the
        forward plan again up to its last meeting, in March 2027".
    """
    later = sorted(
        (label_month(s.slot), label_month(s.period_end))
        for s in plan.slots
        if strategy in s.strategies and label_month(s.period_end) > label_month(period_end)
    )
    if not later:
        # The forward plan file simply ends (the cycle repeats, but nobody has listed the
        # next year yet): say where it ends, not that the strategy is never seen again.
        last = max((label_month(s.slot) for s in plan.slots), default="")
        if not last:
            return "not on the forward plan, which lists no meetings"
        return f"not on the forward plan again up to its last meeting, in {month_words(last)}"
    slot, data_to = later[0]
    return f"next due at the {board} in {month_words(slot)} (data to {month_words(data_to)})"


def build_run_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp run`` from its options (``--slot``, ``--strategy``, ``--all``, ``--default``).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options (paths, produced_at).

    Returns
    -------
    RunPlan
        The plan.

    Raises
    ------
    RunError
        For conflicting or invalid options (exit 2).
    """
    modes = _check_run_modes(args)
    from pcplib.data.identity import read_identity

    forward_plan = load_plan(options.forward_plan)
    # The board's name for every meeting line comes from the data set (dataset.yaml).
    board = read_identity(options.data_dir).board_name
    # Checked for every mode, though only --strategy and --all use it.
    period = check_period(args.period) if args.period else ""
    mode = modes[0] if modes else "slot"
    audience = getattr(args, "audience", None) or "board"
    if mode in ("slot", "default"):
        return _plan_meeting_run(args, options, forward_plan, board, mode, audience)
    return _plan_strategies_run(args, options, forward_plan, board, mode, audience, period)


def _check_run_modes(args: Any) -> list[str]:
    """The one mode asked for (``strategy``, ``all``, ``default``; none for ``--slot``).

    Raises :class:`RunError` (exit 2) for two modes, none and no slot, or a period
    without a mode that takes one.
    """
    modes = [m for m in ("strategy", "all", "default") if getattr(args, m, None)]
    if len(modes) > 1:
        raise RunError(
            f"choose one of --strategy, --all and --default (got {', '.join(modes)})", EXIT_USAGE
        )
    if not modes and not args.slot:
        raise RunError(
            "say what to run: --slot latest|next|YYYY-MM, --strategy ID --period YYYY-MM, "
            "--all or --default",
            EXIT_USAGE,
        )
    if args.period and not modes:
        raise RunError("--period goes with --strategy or --all", EXIT_USAGE)
    return modes


def _history_parameters(options: RunOptions) -> dict[str, str]:
    """The forward plan and meeting history every strategy report is given.

    Each report compares with the last meeting these name (its "since the last
    meeting"), the history being the one this output folder keeps.
    """
    return {
        "forward_plan": repo_parameter(options.forward_plan),
        "history_dir": repo_parameter(options.out_dir / HISTORY_FOLDER),
    }


def _public_suffixes(audience: str) -> tuple[str, str]:
    """The folder's and the heading's suffix for the audience.

    Public versions go to their own folder, so they never mix with the Board's.
    """
    return ("-public", " (public versions)") if audience == "public" else ("", "")


def _plan_meeting_run(
    args: Any, options: RunOptions, forward_plan: Any, board: str, mode: str, audience: str
) -> RunPlan:
    """A meeting's run (``--slot``, ``--default``).

    Its strategies, the overview, the delivery board's view (the Board's only) and, for
    ``--default``, the public report and its About page.
    """
    data_param, at = repo_parameter(options.data_dir), options.produced_at
    history = _history_parameters(options)
    suffix, versions = _public_suffixes(audience)
    slot = resolve_slot_spec(forward_plan, args.slot or "latest", options.today)
    slot_id, period_end = label_month(slot.slot), label_month(slot.period_end)
    jobs: list[Job] = [
        plan_strategy_job(
            strategy,
            slot_id,
            period_end,
            data_param,
            at,
            audience=audience,
            meeting=describe_meeting(slot_id, board),
            **history,
        )
        # A strategy listed twice in one slot (the plan does so) runs once.
        for strategy in dict.fromkeys(slot.strategies)
    ]
    jobs.append(
        plan_overview_job(
            slot_id,
            period_end,
            data_param,
            at,
            meeting=describe_meeting(slot_id, board),
            forward_plan=history["forward_plan"],
            audience=audience,
        )
    )
    if audience == "board":
        # The delivery board's view names the Board's actions and restricted work: it
        # is never part of a public run.
        jobs.append(
            plan_board_job(
                slot_id, period_end, data_param, at, **history,
                board_name=name_delivery_board(options.data_dir),
            )
        )  # fmt: skip
    if mode == "default":
        quarter = label_quarter(period_end)
        jobs.append(plan_public_job(quarter, data_param, repo_parameter(options.forward_plan), at))
        jobs.append(plan_public_about_job(quarter, data_param, at))
    heading = f"{describe_meeting(slot_id, board)}: delivery reports"
    return RunPlan(slot_id + suffix, heading + versions, tuple(jobs), slot_id, period_end)


def _plan_strategies_run(
    args: Any,
    options: RunOptions,
    forward_plan: Any,
    board: str,
    mode: str,
    audience: str,
    period: str,
) -> RunPlan:
    """A run of strategies on a period (``--strategy``, ``--all``), not a meeting's own.

    ``period`` is the checked ``--period`` (empty: the slot's, or the latest meeting's).
    """
    today = options.today
    suffix, versions = _public_suffixes(audience)
    if args.slot:
        slot_id = label_month(resolve_slot_spec(forward_plan, args.slot, today).slot)
        if not args.period:
            period = label_month(resolve_slot_spec(forward_plan, args.slot, today).period_end)
    else:
        if not args.period:
            period = label_month(resolve_slot_spec(forward_plan, "latest", today).period_end)
        slot_id = derive_slot_for_period(forward_plan, period)
    if mode == "all":
        strategies = known_strategies(forward_plan)
        folder = f"all-{period}"
        heading = f"Every delivery strategy, data to {month_words(period)}"
    else:
        strategies = list(dict.fromkeys(args.strategy))
        check_strategies(strategies, known_strategies(forward_plan))
        folder = f"{strategies[0]}-{period}" if len(strategies) == 1 else f"strategies-{period}"
        heading = f"Delivery strategy reports, data to {month_words(period)}"
    # Each report names the meeting that reviews it on this period, or says there is none.
    jobs = [
        plan_strategy_job(
            s, slot_id, period, repo_parameter(options.data_dir), options.produced_at,
            audience=audience, meeting=find_meeting(forward_plan, s, period, board),
            **_history_parameters(options),
        )
        for s in strategies
    ]  # fmt: skip
    # Not the meeting's own run: later meetings must not read it as what the Board was told.
    return RunPlan(
        folder + suffix, heading + versions, tuple(jobs), slot_id, period, for_meeting=False
    )


def name_delivery_board(data_dir: Path) -> str:
    """The quarterly delivery board's name from the data set's identity, for the index.

    Parameters
    ----------
    data_dir : Path
        The data set folder.

    Returns
    -------
    str
        The name ``dataset.yaml`` gives (``delivery_board.name``); the neutral default
        when it gives none or names it wrongly (validation then reports the key).
    """
    from pcplib.data.identity import read_identity

    return read_identity(data_dir).delivery_board_name


def build_public_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp public --quarter "2026/27 Q2"``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options.

    Returns
    -------
    RunPlan
        One public quarterly report and its "About these figures" page into
        ``public-<quarter>`` (``public-2026-27-Q2``).
    """
    quarter = args.quarter
    period_end = quarter_end_of(quarter)
    folder = "public-" + quarter.replace("/", "-").replace(" ", "-")
    data_param = repo_parameter(options.data_dir)
    job = plan_public_job(
        quarter, data_param, repo_parameter(options.forward_plan), options.produced_at
    )
    about = plan_public_about_job(quarter, data_param, options.produced_at)
    return RunPlan(folder, f"Public monitoring report, {quarter}", (job, about), None, period_end)


def build_annual_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp annual --year 2025/26``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options.

    Returns
    -------
    RunPlan
        One annual evaluation into ``annual-<year>`` (``annual-2025-26``).

    Raises
    ------
    RunError
        When the year is not a financial year such as ``2025/26`` (exit 2).
    """
    from pcplib.periods import parse_financial_year

    year = args.year
    try:
        _, end = parse_financial_year(year)
    except (ValueError, TypeError) as exc:
        raise RunError(f"--year {year!r}: {exc}", EXIT_USAGE) from exc
    job = plan_annual_job(year, repo_parameter(options.data_dir), options.produced_at)
    folder = "annual-" + year.replace("/", "-")
    return RunPlan(folder, f"Annual evaluation, {year}", (job,), None, end.strftime("%Y-%m"))
