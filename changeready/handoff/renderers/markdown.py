"""The playbook as Markdown, for team wikis (GitHub-flavoured tables)."""

from __future__ import annotations

from changeready.handoff.playbook import KPI_TABLE_HEADERS, Playbook, label


def cell(value) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks kept as <br>."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) or " "


def table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join(" --- " for _ in headers) + "|")
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return [*lines, ""]


def render_markdown(playbook: Playbook) -> bytes:
    cover = playbook.cover
    lines = [
        f"# {cover.engagement_name} — activation playbook",
        "",
        f"**Customer:** {cover.customer}  ",
    ]
    if cover.product:
        lines.append(f"**Product:** {cover.product}  ")
    lines += [
        f"**Go-live:** {cover.go_live_date:%-d %B %Y}  ",
        f"**Delivery lead:** {cover.delivery_lead or 'not named'}  ",
        f"**Customer Success owner:** {cover.cs_owner_name or 'not named yet'}"
        + (f" ({cover.cs_owner_email})" if cover.cs_owner_email else "")
        + "  ",
        f"**Readiness:** {cover.readiness_score} / 100 ({label(cover.readiness_band)}"
        + (f", {cover.readiness_reason}" if cover.readiness_reason else "")
        + "),"
        f" as of {cover.as_of:%-d %B %Y}",
        "",
    ]
    if cover.accepted_at:
        lines += [
            f"Handoff accepted by {cover.accepted_by or 'a former member'}"
            f" on {cover.accepted_at:%-d %B %Y}.",
            "",
        ]

    lines += ["## What changes, for whom", "", playbook.change_summary or "Not described yet.", ""]

    lines += ["## Stakeholder map", ""]
    if playbook.stakeholders:
        lines += table(
            [
                "Stakeholder",
                "Who",
                "Role",
                "Quadrant",
                "Engagement now → needed",
                "Risk",
                "Success looks like",
                "Would resist if",
            ],
            [
                [
                    s.name,
                    s.described_as,
                    label(s.role),
                    label(s.quadrant),
                    f"{label(s.engagement)} → {label(s.desired_engagement)}",
                    f"{s.risk} ({s.band})",
                    s.success_definition or "—",
                    s.resistance_triggers or "—",
                ]
                for s in playbook.stakeholders
            ],
        )
    else:
        lines += ["No stakeholders mapped yet.", ""]

    lines += ["## Resistor register", ""]
    if playbook.resistance:
        lines += table(
            ["Stakeholder", "Source", "Severity", "Why", "Mitigation", "Owner", "Due", "Status"],
            [
                [
                    r.stakeholder,
                    label(r.source),
                    f"{r.severity}/5",
                    r.description or "—",
                    label(r.strategy) or "none yet",
                    r.owner or "—",
                    f"week {r.due_week}" if r.due_week is not None else "—",
                    label(r.status),
                ]
                for r in playbook.resistance
            ],
        )
    else:
        lines += ["No resistance points recorded.", ""]

    lines += ["## Week-by-week plan", ""]
    for week in playbook.weeks:
        lines += [f"### {week.heading}", ""]
        if week.items:
            lines += table(
                ["Kind", "Action", "Owner", "Audience", "Status"],
                [
                    [
                        label(item.kind),
                        item.title + (f"\n{item.description}" if item.description else ""),
                        item.owner_label,
                        ", ".join(item.audience) or "—",
                        label(item.status),
                    ]
                    for item in week.items
                ],
            )
        else:
            lines += ["Nothing planned.", ""]

    lines += ["## Adoption targets", ""]
    if playbook.adoption:
        lines.append("Weekly active users as a share of each group: target (actual).")
        lines.append("")
        lines += table(
            ["Group", *(f"Week {w}" for w in playbook.adoption_weeks)],
            [
                [row.group, *(_target_cell(row.by_week.get(w)) for w in playbook.adoption_weeks)]
                for row in playbook.adoption
            ],
        )
    else:
        lines += ["No adoption targets set.", ""]

    lines += ["## Outcome KPIs", ""]
    if playbook.kpis:
        lines += table(list(KPI_TABLE_HEADERS), playbook.kpi_table)
    else:
        lines += ["No outcome KPIs set.", ""]

    lines += ["## Open findings", ""]
    if playbook.findings:
        for finding in playbook.findings:
            lines += [
                f"- **{finding.severity.upper()} · {finding.title}** — {finding.message}",
                f"  Next step: {finding.action}",
            ]
        lines.append("")
    else:
        lines += ["None: every check passes.", ""]

    lines += ["## Readiness over time", ""]
    if playbook.history:
        lines += table(["Date", "Readiness"], [[d.isoformat(), s] for d, s in playbook.history])
    else:
        lines += ["No history yet.", ""]
    return "\n".join(lines).encode("utf-8")


def _target_cell(value) -> str:
    if value is None:
        return "—"
    target, actual = value
    return f"{target:.0f}%" + (f" ({actual:.0f}%)" if actual is not None else "")
