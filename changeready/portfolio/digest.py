"""The weekly digest: per member and workspace, what needs them this week and next.

Rules:
- A plan item is the member's when its named `owner` equals the member's
  name or email address (ignoring case and surrounding spaces). A role alone
  (`owner_role`) names nobody, so it sends nothing.
- Due this week or next: planned items (not done, not skipped) whose plan
  week falls in the calendar week that holds `as_of` or the one after.
- Readiness dropped: the engagement's latest snapshot on or before `as_of`
  scores lower than its latest snapshot on or before `as_of` minus 7 days.
  Every member of the workspace hears about those.
- A member who switched the digest off gets nothing; an empty digest is not
  sent; a digest goes out at most once per member, workspace and week, so a
  second run of the command in the same week sends nothing new.
- Customer contributors (`changeready.portal`) get one too, per engagement
  they contribute to: their own planned items due this week or next, as the
  customer-facing playbook words them (no individual who resists is named),
  with a fresh link to their page and a link to stop these emails. A revoked
  contributor, or one who opted out, gets nothing; readiness is not theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse

from changeready.assessment.models import AssessmentSnapshot
from changeready.common.mail import send_email
from changeready.core.scoring import BAND_ORDER
from changeready.core.weeks import monday_of, week_monday
from changeready.engagements.models import Engagement
from changeready.handoff.playbook import PlanItemRow, Playbook, build_playbook
from changeready.planning.models import PlanItem, owner_keys_of
from changeready.portal import links as portal_links
from changeready.portal.models import Contributor
from changeready.portal.page import customer_rows
from changeready.portal.services import owned_items as contributor_items
from changeready.portfolio.models import DigestPreference
from changeready.workspaces.models import Membership, Workspace

DROP_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class DueItem:
    item: PlanItem
    due_week_start: date

    @property
    def engagement(self) -> Engagement:
        return self.item.engagement


@dataclass(frozen=True)
class ReadinessDrop:
    """A readiness that fell: a lower score, or a lower band at the same score
    (a new critical finding lowers the band without touching the score)."""

    engagement: Engagement
    earlier_score: int
    earlier_band: str
    earlier_on: date
    score: int
    band: str
    on: date

    @property
    def is_drop(self) -> bool:
        return self.score < self.earlier_score or BAND_ORDER.index(self.band) < BAND_ORDER.index(
            self.earlier_band
        )


@dataclass
class Digest:
    membership: Membership
    week_start: date
    this_week: list[DueItem] = field(default_factory=list)
    next_week: list[DueItem] = field(default_factory=list)
    drops: list[ReadinessDrop] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.this_week or self.next_week or self.drops)

    @property
    def recipient(self) -> str:
        return self.membership.user.email

    @property
    def workspace(self) -> Workspace:
        return self.membership.workspace

    @property
    def subject(self) -> str:
        items = len(self.this_week) + len(self.next_week)
        parts = []
        if items:
            parts.append(f"{items} plan item{'s' if items != 1 else ''} due")
        if self.drops:
            parts.append(f"readiness dropped in {len(self.drops)}")
        return f"Your week in {self.membership.workspace.name}: " + ", ".join(parts)


def owner_keys(user) -> set[str]:
    return owner_keys_of(user.name, user.email)


def readiness_drops(workspace: Workspace, as_of: date) -> list[ReadinessDrop]:
    def latest_on_or_before(day: date) -> Subquery:
        return AssessmentSnapshot.objects.filter(
            engagement=OuterRef("pk"), taken_on__lte=day
        ).order_by("-taken_on")

    now, then = latest_on_or_before(as_of), latest_on_or_before(as_of - DROP_WINDOW)
    engagements = Engagement.objects.for_workspace(workspace).annotate(
        score_now=Subquery(now.values("readiness_score")[:1]),
        band_now=Subquery(now.values("readiness_band")[:1]),
        taken_now=Subquery(now.values("taken_on")[:1]),
        score_then=Subquery(then.values("readiness_score")[:1]),
        band_then=Subquery(then.values("readiness_band")[:1]),
        taken_then=Subquery(then.values("taken_on")[:1]),
    )
    changes = (
        ReadinessDrop(
            e, e.score_then, e.band_then, e.taken_then, e.score_now, e.band_now, e.taken_now
        )
        for e in engagements
        if e.score_now is not None and e.score_then is not None
    )
    return sorted(
        (change for change in changes if change.is_drop),
        key=lambda drop: (drop.score - drop.earlier_score, drop.engagement.name),
    )


def owned_items(workspace: Workspace, keys: set[str]):
    """The workspace's plan items whose named owner is one of `keys` (see owner_keys),
    each annotated with its `owner_key`."""
    return (
        PlanItem.objects.for_workspace(workspace)
        .owned_by(keys)
        .select_related("engagement")
        .order_by("engagement__go_live_date", "week", "title")
    )


def due_items(workspace: Workspace, keys: set[str], as_of: date) -> dict[str, list[DueItem]]:
    """Planned items owned by any of `keys`, due this week or next, per owner key."""
    this_week = monday_of(as_of)
    weeks = {this_week, this_week + timedelta(weeks=1)}
    items = owned_items(workspace, keys).filter(status="planned")
    per_owner: dict[str, list[DueItem]] = {}
    for item in items:
        start = week_monday(item.engagement.go_live_date, item.week)
        if start in weeks:
            per_owner.setdefault(item.owner_key, []).append(DueItem(item, start))
    return per_owner


def subscribed(memberships) -> list[Membership]:
    return [
        m
        for m in memberships
        if not hasattr(m, "digest_preference") or m.digest_preference.weekly_digest
    ]


def workspace_digests(workspace: Workspace, as_of: date) -> Iterator[Digest]:
    """The non-empty digests of the workspace's subscribed members."""
    week_start = monday_of(as_of)
    members = subscribed(
        Membership.objects.for_workspace(workspace)
        .filter(user__is_active=True)
        .select_related("user", "workspace", "digest_preference")
    )
    if not members:
        return
    keys = {m.id: owner_keys(m.user) for m in members}
    owned = due_items(workspace, set().union(*keys.values()), as_of)
    drops = readiness_drops(workspace, as_of)
    for membership in members:
        mine = sorted(
            {
                due.item.id: due for key in keys[membership.id] for due in owned.get(key, [])
            }.values(),
            key=lambda due: (due.due_week_start, due.engagement.name, due.item.title),
        )
        digest = Digest(
            membership=membership,
            week_start=week_start,
            this_week=[d for d in mine if d.due_week_start == week_start],
            next_week=[d for d in mine if d.due_week_start != week_start],
            drops=drops,
        )
        if not digest.is_empty:
            yield digest


@dataclass
class ContributorDigest:
    """A customer contributor's week: their steps, in the customer's wording."""

    contributor: Contributor
    week_start: date
    this_week: list[PlanItemRow] = field(default_factory=list)
    next_week: list[PlanItemRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.this_week or self.next_week)

    @property
    def recipient(self) -> str:
        return self.contributor.email

    @property
    def workspace(self) -> Workspace:
        return self.contributor.engagement.workspace

    @property
    def subject(self) -> str:
        engagement = self.contributor.engagement
        items = len(self.this_week) + len(self.next_week)
        return (
            f"Your steps in {engagement.customer} · {engagement.name}: "
            f"{items} due this week or next"
        )


def contributor_digests(workspace: Workspace, as_of: date) -> Iterator[ContributorDigest]:
    """The non-empty digests of the workspace's contributors who still want email.

    One query per contributor for their items, and one customer playbook per
    engagement that has a contributor with something due."""
    week_start = monday_of(as_of)
    next_start = week_start + timedelta(weeks=1)
    playbooks: dict = {}
    contributors = (
        Contributor.objects.for_workspace(workspace)
        .active()
        .filter(emails_opted_out_at__isnull=True)
        .select_related("stakeholder", "engagement__workspace")
        .order_by("engagement__name", "stakeholder__name")
    )
    for contributor in contributors:
        go_live = contributor.engagement.go_live_date
        due = {
            item.id: week_monday(go_live, item.week)
            for item in contributor_items(contributor).filter(status="planned")
            if week_monday(go_live, item.week) in (week_start, next_start)
        }
        if not due:
            continue
        if contributor.engagement_id not in playbooks:
            playbooks[contributor.engagement_id] = build_playbook(
                contributor.engagement, as_of=as_of, version="customer"
            )
        playbook: Playbook = playbooks[contributor.engagement_id]
        rows = customer_rows(contributor, due, playbook)
        yield ContributorDigest(
            contributor=contributor,
            week_start=week_start,
            this_week=[row for row in rows if row.week_starts == week_start],
            next_week=[row for row in rows if row.week_starts != week_start],
        )


def render_contributor_digest(digest: ContributorDigest) -> str:
    contributor = digest.contributor
    return render_to_string(
        "portfolio/email/contributor_digest.txt",
        {
            "digest": digest,
            "contributor": contributor,
            "engagement": contributor.engagement,
            "workspace": digest.workspace,
            "portal_url": portal_links.portal_url(contributor),
            "expires_at": portal_links.link_expiry(),
            "opt_out_url": portal_links.opt_out_url(contributor),
        },
    )


def render_digest(digest: Digest) -> str:
    workspace = digest.membership.workspace
    return render_to_string(
        "portfolio/email/weekly_digest.txt",
        {
            "digest": digest,
            "user": digest.membership.user,
            "workspace": workspace,
            "site_url": settings.SITE_URL,
            "portfolio_url": settings.SITE_URL + reverse("workspace", args=[workspace.slug]),
            "settings_url": settings.SITE_URL + reverse("digest_settings", args=[workspace.slug]),
        },
    )


@dataclass
class DigestRun:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    planned: list[Digest | ContributorDigest] = field(default_factory=list)


def send_weekly_digests(as_of: date, *, dry_run: bool = False) -> DigestRun:
    """Send every workspace's digests for the week of `as_of`, to its members
    and its customer contributors; nothing at all in a dry run."""
    run = DigestRun()
    week_start = monday_of(as_of)
    for workspace in Workspace.objects.order_by("name"):
        for digest in workspace_digests(workspace, as_of):
            preference = getattr(digest.membership, "digest_preference", None)
            if preference is not None and preference.last_sent_week == week_start:
                run.already_sent += 1
                continue
            if _send(run, digest, render_digest, dry_run):
                DigestPreference.objects.update_or_create(
                    membership=digest.membership, defaults={"last_sent_week": week_start}
                )
        for theirs in contributor_digests(workspace, as_of):
            if theirs.contributor.last_digest_week == week_start:
                run.already_sent += 1
                continue
            if _send(run, theirs, render_contributor_digest, dry_run):
                Contributor.objects.filter(pk=theirs.contributor.pk).update(
                    last_digest_week=week_start
                )
    return run


def _send(run: DigestRun, digest, render, dry_run: bool) -> bool:
    """Send one digest (unless a dry run) and count it; True once it went out."""
    run.planned.append(digest)
    if dry_run:
        return False
    # One bad address must not stop everyone else's digest.
    if not send_email(subject=digest.subject, message=render(digest), to=digest.recipient):
        run.failed += 1
        return False
    run.sent += 1
    return True


def set_weekly_digest(membership: Membership, enabled: bool) -> DigestPreference:
    preference, _ = DigestPreference.objects.update_or_create(
        membership=membership, defaults={"weekly_digest": enabled}
    )
    return preference


def wants_weekly_digest(membership: Membership) -> bool:
    preference = DigestPreference.objects.filter(membership=membership).first()
    return preference is None or preference.weekly_digest
