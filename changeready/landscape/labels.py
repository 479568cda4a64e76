"""Human words for the domain's codes, and the four landscape questions.

The codes themselves (DOMAIN.md, section 3) are the public contract; these
labels are only what people read. Pure data, so the PDF can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLE_LABELS = {
    "daily_user": "Uses it daily",
    "people_manager": "Manages the people who use it",
    "product_admin": "Administers the product",
    "economic_buyer": "Approved the purchase (economic buyer)",
    "executive_sponsor": "Executive sponsor",
    "it_security": "IT / security",
    "downstream": "Downstream (affected by its output)",
}
KIND_LABELS = {"group": "Group", "person": "Person"}
ENGAGEMENT_LABELS = {
    "unaware": "Unaware",
    "resistant": "Resistant",
    "neutral": "Neutral",
    "supportive": "Supportive",
    "leading": "Leading",
}
INVOLVEMENT_LABELS = {
    "discovery": "Discovery",
    "design": "Design",
    "configuration": "Configuration",
    "uat": "User acceptance testing",
    "training": "Training",
    "go_live_planning": "Go-live planning",
}
QUADRANT_LABELS = {
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
}
RISK_BAND_LABELS = {"high": "High risk", "medium": "Medium risk", "low": "Low risk"}
SOURCE_LABELS = {
    "lack_of_awareness": "Does not know why it changes",
    "no_personal_benefit": "Sees nothing in it for them",
    "loss_of_authority": "Loses authority or control",
    "job_security": "Fears for their job",
    "workload_increase": "More work",
    "skills_gap": "Lacks the skills",
    "habit": "Habit and comfort",
    "not_involved": "Was not involved",
    "opposed_purchase": "Opposed the purchase",
    "past_failed_change": "A past change failed",
    "lack_of_sponsorship": "No visible sponsor",
    "competing_priorities": "Competing priorities",
    "other": "Other",
}
STRATEGY_LABELS = {
    "educate": "Educate and communicate",
    "involve": "Involve them in the design",
    "support": "Support (training, time, help)",
    "negotiate": "Negotiate",
    "sponsor_intervention": "Sponsor intervenes",
    "coach": "Coach",
    "redesign_role": "Redesign their role",
    "quick_win": "Show a quick win",
    "escalate": "Escalate",
}
STATUS_LABELS = {
    "open": "Open (no plan yet)",
    "planned": "Planned",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "accepted": "Accepted (risk taken knowingly)",
}

LEVEL_WORDS = {
    "influence": ("none", "low", "some", "high", "can stop it"),
    "interest": ("indifferent", "low", "some", "high", "intense"),
    "impact": ("barely", "a little", "noticeably", "a lot", "completely"),
}
LEVEL_CHOICES = {
    name: [(level, f"{level} – {word}") for level, word in enumerate(words, start=1)]
    for name, words in LEVEL_WORDS.items()
}
SEVERITY_CHOICES = [
    (1, "1 – minor"),
    (2, "2 – noticeable"),
    (3, "3 – serious"),
    (4, "4 – major"),
    (5, "5 – could stop adoption"),
]
ADKAR_LEVEL_CHOICES = [
    ("", "Unknown"),
    (1.0, "1 – not at all"),
    (2.0, "2 – a little"),
    (3.0, "3 – partly"),
    (4.0, "4 – mostly"),
    (5.0, "5 – fully"),
]
ADKAR_HELP = {
    "awareness": "Do they know why the change is happening?",
    "desire": "Do they want to take part in it?",
    "knowledge": "Do they know how to work the new way?",
    "ability": "Can they actually do it, day to day?",
    "reinforcement": "Is something making the change stick?",
}


@dataclass(frozen=True)
class Question:
    """One of the landscape's guiding questions and the roles that answer it."""

    slug: str
    title: str
    roles: tuple[str, ...]
    add_role: str
    empty: str
    opposed: bool = False


QUESTIONS = (
    Question(
        "daily",
        "Who will use it daily?",
        ("daily_user",),
        "daily_user",
        "Nobody yet. Add the groups whose daily work changes at go-live: they decide "
        "whether the product is adopted.",
    ),
    Question(
        "manage",
        "Who will manage it?",
        ("people_manager", "product_admin"),
        "people_manager",
        "Nobody yet. Add the managers of the daily users and whoever administers the "
        "product after go-live.",
    ),
    Question(
        "approved",
        "Who approved the purchase?",
        ("economic_buyer", "executive_sponsor"),
        "economic_buyer",
        "Nobody yet. Add the economic buyer who signed, and the executive sponsor if "
        "that is someone else.",
    ),
    Question(
        "opposed",
        "Who did not want it?",
        (),
        # Anyone may have opposed the purchase: the person adding them says how
        # they relate to the change rather than inherit a guess.
        "",
        "Nobody is marked as having opposed the purchase. Ask the customer’s team who "
        "argued against it; if truly nobody did, record that.",
        opposed=True,
    ),
    Question(
        "others",
        "Who else is affected?",
        ("it_security", "downstream"),
        "it_security",
        "Nobody yet. IT and security teams, and the teams that depend on the product’s "
        "output, often block or slow adoption late.",
    ),
)
QUESTIONS_BY_SLUG = {question.slug: question for question in QUESTIONS}
