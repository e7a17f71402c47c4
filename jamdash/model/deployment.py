"""The resolved deployment: the scrape targets' matchers and where the Kubernetes objects go."""

from __future__ import annotations

from jamdash.record import frozen


@frozen
class Matcher:
    """One label matcher of the target selector: label, op (=, !=, =~, !~) and value."""

    label: str
    op: str
    value: str


@frozen
class Placement:
    """A Kubernetes object's namespace (None: the one `kubectl apply -n` names) and metadata labels."""

    namespace: str | None
    labels: tuple[tuple[str, str], ...]


@frozen
class Deployment:
    """The targets every rule and dashboard reads, and the placement of the generated Kubernetes objects."""

    selector: tuple[Matcher, ...]
    test_labels: tuple[tuple[str, str], ...]  # target labels of promtool input series, job first
    instance: str  # the instance label of promtool input series: <service>-0:8000
    prometheus_rule: Placement
    dashboard_configmaps: Placement
    folder_annotation: str

    @property
    def job(self) -> str:
        """The job label value the tests and samples use."""
        return dict(self.test_labels)["job"]

    @property
    def target_labels(self) -> tuple[str, ...]:
        """Labels every scraped series of the service carries: job and instance, and those the selector
        and the test labels name (namespace, ...)."""
        named = {m.label for m in self.selector} | {k for k, _ in self.test_labels}
        return ("job", "instance", *sorted(named - {"job", "instance"}))

    @property
    def equal_labels(self) -> tuple[str, ...]:
        """Labels the selector fixes with `=`: the only ones absent() keeps."""
        return tuple(sorted({m.label for m in self.selector if m.op == "="}))
