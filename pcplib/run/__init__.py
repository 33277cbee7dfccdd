"""The scheduled run (``pcp run``, ``pcp public``, ``pcp annual``): from options to published HTML.

Each module holds one part of the pipeline, in the order a run goes through them:

- :mod:`~pcplib.run.options`: how a run executes (:class:`RunOptions`);
- :mod:`~pcplib.run.plans`: which reports a command produces, into which folder;
- :mod:`~pcplib.run.jobs`: the jobs (one notebook execution each), the plan and the results;
- :mod:`~pcplib.run.validation`: the checks before anything runs (renderer, output folder,
  data, notebooks, each report's parameters against the data, the kernel);
- :mod:`~pcplib.run.lock`: one run at a time into each output folder;
- :mod:`~pcplib.run.runtime`: the kernels' runtime folder, and what killed runs left there;
- :mod:`~pcplib.run.execute`: executing the jobs in parallel kernels, progress and summary;
- :mod:`~pcplib.run.render`: one notebook through papermill and nbconvert (or Quarto) to HTML;
- :mod:`~pcplib.run.pictures`: screenshots and PDFs of the reports, with
  :mod:`~pcplib.run.browser` (headless Chromium); :mod:`~pcplib.run.page_checks` checks
  pages in it;
- :mod:`~pcplib.run.index`: ``index.html`` and the overall RAGs it shows;
- :mod:`~pcplib.run.manifest`: ``manifest.json`` (hashes, versions, git commit);
- :mod:`~pcplib.run.publish`: the temporary folder, atomic publishing, ``_failed/``, SIGTERM,
  tidying up after killed runs;
- :mod:`~pcplib.run.log`: ``run.log``;
- :mod:`~pcplib.run.months` and :mod:`~pcplib.run.errors`: the quarter asked for, exit
  codes, ``RunError``;
- :mod:`~pcplib.run.pipeline`: the entry points, calling the steps in order.

The names below are re-exported so ``from pcplib.run import X`` works for every public
name the runner has. To replace one in a test, patch the module that looks it up
(``pcplib.run.execute.execute_job``, ``pcplib.run.jobs.NOTEBOOKS``): setting it here
changes only this package's copy.
"""

from pcplib.run.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, RunError
from pcplib.run.execute import (
    describe_failure,
    execute_job,
    execute_jobs,
    execute_with_progress,
    print_summary,
)
from pcplib.run.index import (
    RAG_COLOURS,
    THUMBNAIL_SIZE,
    OverallRag,
    build_index,
    describe_job_meeting,
    load_index_template,
    summarise_overall,
    summarise_overalls,
)
from pcplib.run.jobs import (
    NO_MEETING,
    NOTEBOOKS,
    SPC_RULES,
    Job,
    JobResult,
    RunPlan,
    describe_meeting,
    name_jobs,
    name_strategies,
    notebook_path,
    plan_annual_job,
    plan_overview_job,
    plan_public_about_job,
    plan_public_job,
    plan_strategy_job,
    repo_parameter,
)
from pcplib.run.lock import LOCK_WAIT_SECONDS, LockHolder, hold_folder_lock, read_lock_holder
from pcplib.run.log import logger, start_log, stop_log
from pcplib.run.manifest import (
    PACKAGES,
    build_manifest,
    hash_file,
    read_git_commit,
    read_package_versions,
    write_json,
)
from pcplib.run.months import quarter_end_of
from pcplib.run.options import (
    RunOptions,
    count_cpus,
    default_jobs,
    make_options,
    read_today,
    resolve_produced_at,
)
from pcplib.run.pictures import SCREENSHOTS_SKIPPED, picture_reports
from pcplib.run.pipeline import dispatch, execute_plan, run_plan, skip_unused_imports
from pcplib.run.plans import (
    build_annual_plan,
    build_public_plan,
    build_run_plan,
    check_period,
    derive_slot_for_period,
    known_strategies,
    load_plan,
    resolve_slot_spec,
)
from pcplib.run.publish import (
    discard_staging,
    handle_sigterm,
    prepare_staging,
    publish_failures,
    publish_folder,
    remove_stale_staging,
    tidy_output_folder,
)
from pcplib.run.runtime import process_runtime_dir, remove_dead_runtime_dirs
from pcplib.run.validation import (
    RENDERERS,
    check_job_parameters,
    check_jobs,
    check_kernel,
    check_output_location,
    check_renderer,
    describe_validated_data,
    load_inputs,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "LOCK_WAIT_SECONDS",
    "NOTEBOOKS",
    "NO_MEETING",
    "PACKAGES",
    "RAG_COLOURS",
    "RENDERERS",
    "SCREENSHOTS_SKIPPED",
    "SPC_RULES",
    "THUMBNAIL_SIZE",
    "Job",
    "JobResult",
    "LockHolder",
    "OverallRag",
    "RunError",
    "RunOptions",
    "RunPlan",
    "build_annual_plan",
    "build_index",
    "load_index_template",
    "describe_job_meeting",
    "build_manifest",
    "build_public_plan",
    "build_run_plan",
    "check_job_parameters",
    "check_jobs",
    "check_kernel",
    "check_output_location",
    "check_period",
    "check_renderer",
    "count_cpus",
    "default_jobs",
    "derive_slot_for_period",
    "describe_failure",
    "describe_validated_data",
    "discard_staging",
    "dispatch",
    "execute_job",
    "execute_jobs",
    "execute_plan",
    "execute_with_progress",
    "handle_sigterm",
    "hash_file",
    "hold_folder_lock",
    "known_strategies",
    "load_inputs",
    "load_plan",
    "logger",
    "make_options",
    "describe_meeting",
    "name_jobs",
    "name_strategies",
    "notebook_path",
    "picture_reports",
    "plan_annual_job",
    "plan_overview_job",
    "plan_public_about_job",
    "plan_public_job",
    "plan_strategy_job",
    "prepare_staging",
    "print_summary",
    "process_runtime_dir",
    "publish_failures",
    "publish_folder",
    "quarter_end_of",
    "read_git_commit",
    "read_lock_holder",
    "read_package_versions",
    "read_today",
    "remove_dead_runtime_dirs",
    "remove_stale_staging",
    "repo_parameter",
    "resolve_produced_at",
    "resolve_slot_spec",
    "run_plan",
    "skip_unused_imports",
    "start_log",
    "stop_log",
    "summarise_overall",
    "summarise_overalls",
    "tidy_output_folder",
    "write_json",
]
