"""The playbook as Markdown, for team wikis (GitHub-flavoured tables)."""

from __future__ import annotations

import re

from changeready.handoff.playbook import (
    COMMITMENT_TABLE_HEADERS,
    KPI_TABLE_HEADERS,
    LOG_NOTE,
    Playbook,
    label,
)

# Characters that start emphasis, code, links, images, raw HTML, autolinks,
# entities, strikethrough or a table cell anywhere in a line.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>!|~&])")
# What starts a heading, quote, list or rule at the start of a line.
_LINE_START_MARKUP = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))", re.MULTILINE)


def escape(value, *, block: bool = True) -> str:
    """User text as literal Markdown: no HTML, link, image or formatting it did not mean.

    A wiki renders the file; a name like `<img src=x onerror=...>` or
    `[docs](javascript:...)` must read as the characters typed. `block=False`
    is for a table cell, where a line cannot start a heading or a list.
    """
    text = _INLINE_MARKUP.sub(r"\\\1", "" if value is None else str(value))
    return _LINE_START_MARKUP.sub(_escape_line_start, text) if block else text


def _escape_line_start(match: re.Match) -> str:
    indent, marker = match.groups()
    # `3.` is escaped before its dot (`3\.`); a single character before itself.
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


def cell(value) -> str:
    """User text safe inside a table cell: escaped, line breaks kept as <br>."""
    lines = escape(value, block=False).splitlines()
    return "<br>".join(line.strip() for line in lines) or " "


def table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join(" --- " for _ in headers) + "|")
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return [*lines, ""]


def render_markdown(playbook: Playbook) -> bytes:
    cover = playbook.cover
    lines = [
        f"# {escape(cover.engagement_name)} — activation playbook",
        "",
    ]
    if playbook.for_customer:
        lines += [
            "*Customer version: the resistor register shows what people resist and what is "
            "done about it, without naming the individuals.*",
            "",
        ]
    lines += [f"**Customer:** {escape(cover.customer)}  "]
    if cover.product:
        lines.append(f"**Product:** {escape(cover.product)}  ")
    lines += [
        f"**Go-live:** {cover.go_live_date:%-d %B %Y}  ",
        f"**Delivery lead:** {escape(cover.delivery_lead) or 'not named'}  ",
        f"**Customer Success owner:** {escape(cover.cs_owner_name) or 'not named yet'}"
        + (f" ({escape(cover.cs_owner_email)})" if cover.cs_owner_email else "")
        + "  ",
        f"**Readiness:** {cover.readiness_score} / 100 ({label(cover.readiness_band)}"
        + (f", {cover.readiness_reason}" if cover.readiness_reason else "")
        + "),"
        f" as of {cover.as_of:%-d %B %Y}",
        "",
    ]
    if cover.accepted_at:
        lines += [
            f"Handoff accepted by {escape(cover.accepted_by) or 'a former member'}"
            f" on {cover.accepted_at:%-d %B %Y}.",
            "",
        ]

    lines += [
        "## What changes, for whom",
        "",
        escape(playbook.change_summary) or "Not described yet.",
        "",
    ]

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
            [
                "Stakeholder",
                "Themes",
                "Source",
                "Severity",
                "Why",
                "Mitigation",
                "Owner",
                "Due",
                "Status",
            ],
            [
                [
                    r.stakeholder,
                    r.themes_label,
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

    lines += ["## The plan, by phase", ""]
    if not playbook.phases:
        lines += ["Nothing planned yet.", ""]
    for title, weeks in playbook.phases:
        lines += [f"### {escape(title)}", ""]
        for week in weeks:
            lines += [f"#### {escape(week.heading)}", ""]
            lines += table(
                ["Workstream", "Action", "Owner", "Audience", "Status"],
                [
                    [
                        label(item.workstream) or label(item.kind),
                        item.title + (f"\n{item.description}" if item.description else ""),
                        item.owner_label,
                        item.audience_summary or "—",
                        label(item.status),
                    ]
                    for item in week.items
                ],
            )

    lines += ["## Commitments", ""]
    if playbook.commitments:
        lines += table(list(COMMITMENT_TABLE_HEADERS), playbook.commitment_table)
    else:
        lines += ["No commitments recorded.", ""]

    lines += ["## Stakeholder log", ""]
    lines += [LOG_NOTE, ""]
    for entry in playbook.log:
        lines += [f"### {escape(entry.heading)}", "", escape(entry.summary), ""]
    if not playbook.log:
        lines += ["No shared entries.", ""]

    exit_week, criteria = playbook.hypercare_exit
    lines += ["## Hypercare exit", ""]
    lines += [
        (f"Reviewed in week {exit_week}. " if exit_week is not None else "") + escape(criteria),
        "",
    ]

    lines += ["## Path to the renewal", ""]
    if cover.renewal_date:
        lines += [f"Renewal: {cover.renewal_date:%-d %B %Y}.", ""]
    if playbook.renewal_path:
        lines += table(
            ["Week", "Step", "Owner"],
            [[item.week, item.title, item.owner_label] for item in playbook.renewal_path],
        )
    else:
        lines += ["No step planned after week 12 (set a renewal date to plan to it).", ""]

    lines += ["## Each owner's list", ""]
    for owner, items in playbook.owner_lists:
        lines += [f"### {escape(owner)}", ""]
        lines += [f"- Week {item.week}: {escape(item.title)}" for item in items]
        lines.append("")

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

    # The findings are the team's own judgement: the customer's version leaves them out.
    if not playbook.for_customer:
        lines += ["## Open findings", ""]
        for finding in playbook.findings:
            lines += [
                f"- **{finding.severity.upper()} · {escape(finding.title)}** — "
                f"{escape(finding.message)}",
                f"  Next step: {escape(finding.action)}",
            ]
        lines += ["", *([] if playbook.findings else ["None: every check passes.", ""])]

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
