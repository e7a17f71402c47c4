"""`jamdash demo`: the reference JAM service with a bounded traffic generator, ready to scrape."""

from __future__ import annotations

import os
from pathlib import Path

import click



@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--store", type=click.Choice(["memory", "postgres"]), default="memory", show_default=True,
              help="Where the service keeps its data.")
@click.option("--dsn", envvar="JAM_DATABASE_URL", show_envvar=True,
              help="PostgreSQL connection string, for --store postgres.")
@click.option("--profile", type=click.Choice(["healthy", "faulty"]), default="faulty", show_default=True,
              help="healthy: no faults; faulty: every fault that can be on at once, so every panel and alert shows.")
@click.option("--faults", default=None, metavar="A,B",
              help="Exactly these faults instead of the profile's (see docs/service.md).")
@click.option("--duration", default=1800.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds of traffic; the service keeps running afterwards.")
@click.option("--max-requests", default=200_000, show_default=True, type=click.IntRange(min=1),
              help="Requests the traffic generator sends at most.")
@click.option("--cleanup-interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between cleanup runs.")
@click.option("--no-traffic", is_flag=True, help="Serve only; send no traffic.")
@click.option("--events", is_flag=True, help="Print the service's JSON log events on stderr.")
@click.option("--generated", type=click.Path(file_okay=False, exists=True), default=None,
              help="The generated/ folder whose runtime modules the service imports (default: this checkout's).")
@click.pass_context
def command(ctx: click.Context, host: str, port: int, store: str, dsn: str | None, profile: str,
            faults: str | None, duration: float, max_requests: int, cleanup_interval: float, no_traffic: bool,
            events: bool, generated: str | None) -> None:
    """Run the reference JAM service with healthy traffic and injected faults.

    Prints the service URL and a Prometheus scrape config; Ctrl-C stops it.

    \b
    Example:
      jamdash demo                          # faulty traffic on http://127.0.0.1:8080
      jamdash demo --profile healthy --port 0
      jamdash demo --store postgres --dsn 'host=127.0.0.1 dbname=jam'
    """
    # Imported when the command runs, not at the top: `jamdash --help` imports every command module, and
    # these load asyncio and the reference service's libraries (starlette, prometheus_client), which are
    # optional (start-up laziness, not a cycle: tests/project/test_imports.py counts them).
    import asyncio

    from jamdash.service.demo_output import banner, demo_logging, summary

    if generated is not None:
        os.environ["JAMDASH_GENERATED_PYTHON"] = str(Path(generated).resolve() / "python")
    try:
        from jamdash.service.faults import PROFILES, demo_config, parse_faults
        from jamdash.service.runner import RunOptions, serve
        from jamdash.service.store import StoreError
    except ImportError as exc:
        click.echo(f"error: jamdash demo needs the reference service's libraries ({exc.name or exc}); "
                   "install them with: pip install 'jamdash[service]'", err=True)
        ctx.exit(2)
    if store == "postgres" and not dsn:
        raise click.UsageError("--store postgres needs --dsn or $JAM_DATABASE_URL")
    try:
        chosen = parse_faults(faults) if faults is not None else PROFILES[profile]  # type: ignore[index]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from exc
    config = demo_config(store, dsn, cleanup_interval)  # type: ignore[arg-type]
    options = RunOptions(host=host, port=port, faults=chosen, traffic=not no_traffic, duration=duration,
                         max_requests=max_requests)
    try:
        with demo_logging(events):
            asyncio.run(serve(config, options, on_ready=lambda url: banner(url, config, options),
                              on_traffic_end=summary))
    except KeyboardInterrupt:  # before the server took over the signal
        pass
    except (StoreError, OSError) as exc:
        raise click.ClickException(f"cannot start the service on {host}:{port}: {exc}") from exc
    click.echo("jamdash demo: stopped", err=True)
