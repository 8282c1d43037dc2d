"""Every model that links to a participant, and what erasure does to it.

privacy/tests/test_registry.py walks all installed models and fails when one with a foreign
key or one-to-one field to Participant is missing here, so a new app cannot hold data about
a person that the export leaves out or the erasure forgets. Rows are exported whole; on
erasure they stay (aggregate figures must not change) and the fields listed are blanked,
because free text such as a note may say something about the person.
"""

# "app_label.ModelName.field_name" of the link -> fields blanked on erasure.
PARTICIPANT_LINKS: dict[str, tuple[str, ...]] = {
    "courses.Enrolment.participant": (),
    "attendance.AttendanceRecord.participant": ("note",),
    "attendance.AttendanceChange.participant": ("old_note", "new_note"),
    # Scores stay (they feed learning-gain figures); nothing in an attempt row is free text.
    "assessments.Attempt.participant": (),
    # The certificate keeps its code so that a printed copy still verifies as "valid"; the
    # verification page then shows the erased placeholder name, not the person's. Its reasons
    # are staff's words about the person (seen: the name and phone in a manual reason).
    "assessments.Certificate.participant": ("manual_reason", "revoke_reason", "flag_reason"),
    # The reports' copy of an enrolment (sex, audience, region, attendance, scores): nothing
    # personal that erasure blanks, and rebuilt from the rows above.
    "reports.EnrolmentFact.participant": (),
}

# Models that reach a participant through another row (no direct foreign key), e.g. an answer
# through its attempt: "app_label.ModelName" -> (ORM lookup to the participant, fields blanked
# on erasure). Exported and erased like the direct links. Example, once assessments is merged:
#     "assessments.Answer": ("attempt__participant", ("text",)),
INDIRECT_LINKS: dict[str, tuple[str, tuple[str, ...]]] = {
    # A short-text answer is the person's own words; its mark stays.
    "assessments.Answer": ("attempt__participant", ("value",)),
    # Why a score was changed: staff's words, which may name the person; the scores stay.
    "assessments.ScoreChange": ("attempt__participant", ("reason",)),
}

# Free text that must stay non-empty once written ("app_label.ModelName.field_name"): a revoked
# or hand-issued certificate has a reason, a score change has one. On erasure these get
# ERASED_TEXT instead of "", so the record still says that there was a reason.
KEEP_MARKED: frozenset[str] = frozenset(
    {
        "assessments.Certificate.manual_reason",
        "assessments.Certificate.revoke_reason",
        "assessments.Certificate.flag_reason",
        "assessments.ScoreChange.reason",
    }
)
