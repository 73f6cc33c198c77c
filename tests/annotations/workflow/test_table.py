"""The transition table, every (status, action, role), without a database.

The expected outcomes are written out here by hand from the design's workflow, not read
from `annotations.workflow`, so that a change of the table has to change this test too.
"""

import pytest

from annotations import workflow
from annotations.workflow import Action, Participant, Status
from claimdesk.errors import InvalidTransition, NotAllowed, SelfReview

AUTHOR = Participant(is_author=True)
# A user in both the researcher and the reviewer groups, or a superuser, on their own claim.
AUTHOR_REVIEWER = Participant(is_author=True, can_review=True)
REVIEWER = Participant(is_author=False, can_review=True)
OTHER = Participant(is_author=False)  # another researcher, an editor, a reader
SYSTEM = workflow.SYSTEM

ROLES = {
    "author": AUTHOR,
    "author_reviewer": AUTHOR_REVIEWER,
    "reviewer": REVIEWER,
    "other": OTHER,
    "system": SYSTEM,
}

D, S, CR, A, R = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.APPROVED,
    Status.REJECTED,
)
DELETED = None

# (status, action) -> next status, for whoever holds the action's role.
LEGAL = {
    (D, Action.EDIT): D,
    (D, Action.EDIT_NOTE): D,
    (D, Action.SUBMIT): S,
    (D, Action.DELETE): DELETED,
    (S, Action.APPROVE): A,
    (S, Action.REJECT): R,
    (S, Action.REQUEST_CHANGES): CR,
    (CR, Action.EDIT): CR,
    (CR, Action.EDIT_NOTE): CR,
    (CR, Action.SUBMIT): S,
    (CR, Action.DELETE): DELETED,
    (A, Action.EDIT): S,
    (A, Action.EDIT_NOTE): A,
    (D, Action.FUZZY_REANCHOR): D,
    (S, Action.FUZZY_REANCHOR): S,
    (CR, Action.FUZZY_REANCHOR): CR,
    (A, Action.FUZZY_REANCHOR): S,
    (R, Action.FUZZY_REANCHOR): R,
}

AUTHOR_ACTIONS = {Action.EDIT, Action.EDIT_NOTE, Action.SUBMIT, Action.DELETE}
REVIEW_ACTIONS = {Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES}


def expected(status, action, role):
    """The next status, or the error class, as the design says."""
    if action in REVIEW_ACTIONS:
        if role in {"author", "author_reviewer"}:
            return SelfReview
        if role != "reviewer":
            return NotAllowed
    elif action in AUTHOR_ACTIONS:
        if role not in {"author", "author_reviewer"}:
            return NotAllowed
    elif action is Action.FUZZY_REANCHOR and role != "system":
        return NotAllowed
    if (status, action) not in LEGAL:
        return InvalidTransition
    return LEGAL[(status, action)]


CASES = [
    pytest.param(status, action, role, id=f"{status}-{action}-{role}")
    for status in Status
    for action in Action
    for role in ROLES
]


def test_every_status_action_and_role_is_covered():
    assert len(CASES) == len(Status) * len(Action) * len(ROLES) == 200


@pytest.mark.parametrize(("status", "action", "role"), CASES)
def test_transition_table(status, action, role):
    outcome = expected(status, action, role)
    if isinstance(outcome, type) and issubclass(outcome, Exception):
        with pytest.raises(outcome) as caught:
            workflow.next_status(status, action, ROLES[role])
        assert type(caught.value) is outcome
    else:
        assert workflow.next_status(status, action, ROLES[role]) == outcome


@pytest.mark.parametrize(
    ("error", "code", "http_status"),
    [
        (InvalidTransition, "invalid_transition", 409),
        (NotAllowed, "permission_denied", 403),
        (SelfReview, "self_review", 403),
    ],
)
def test_errors_carry_stable_codes(error, code, http_status):
    assert (error.code, error.status) == (code, http_status)


def test_values_may_be_plain_strings():
    assert workflow.next_status("submitted", "approve", REVIEWER) == "approved"


def test_unknown_action_or_status_is_an_invalid_transition():
    with pytest.raises(InvalidTransition):
        workflow.next_status("submitted", "publish", REVIEWER)
    with pytest.raises(InvalidTransition):
        workflow.next_status("archived", "approve", REVIEWER)


@pytest.mark.parametrize(
    ("approvals", "required", "outcome"),
    [(1, 1, A), (1, 2, S), (2, 2, A), (3, 2, A), (2, 3, S), (1, 0, A)],
)
def test_approval_outcome_needs_required_distinct_approvals(approvals, required, outcome):
    assert workflow.approval_outcome(approvals=approvals, required=required) == outcome


@pytest.mark.parametrize(
    ("fields", "action"),
    [
        ({"note"}, Action.EDIT_NOTE),
        (set(), Action.EDIT_NOTE),
        ({"statement"}, Action.EDIT),
        ({"note", "claimant"}, Action.EDIT),
        ({"start", "end", "exact"}, Action.EDIT),
        ({"actors"}, Action.EDIT),
        ({"sources"}, Action.EDIT),
        ({"certainty"}, Action.EDIT),
    ],
)
def test_only_a_note_edit_is_not_substantive(fields, action):
    assert workflow.edit_action(fields) == action


@pytest.mark.parametrize(
    ("from_status", "to_status", "starts"),
    [
        (D, S, True),
        (CR, S, True),
        (A, S, True),
        (S, S, False),
        (S, A, False),
        (A, A, False),
        (D, None, False),
    ],
)
def test_a_review_round_starts_when_a_claim_enters_submitted(from_status, to_status, starts):
    assert workflow.starts_review_round(from_status, to_status) is starts


@pytest.mark.parametrize(
    ("from_status", "to_status", "starts"),
    [
        (S, S, True),  # a fuzzy re-anchoring or a re-attachment of a claim under review
        (A, S, True),
        (D, D, False),  # a draft is reviewed from its submission on
        (CR, CR, False),
        (R, R, False),
        (A, A, False),
    ],
)
def test_a_review_round_starts_when_the_words_under_review_change(from_status, to_status, starts):
    assert workflow.starts_review_round(from_status, to_status, changed=True) is starts


@pytest.mark.parametrize(
    ("status", "role", "actions"),
    [
        (D, "author", [Action.EDIT, Action.EDIT_NOTE, Action.SUBMIT, Action.DELETE]),
        (D, "reviewer", []),
        (S, "author", []),
        (S, "author_reviewer", []),
        (S, "reviewer", [Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES]),
        (S, "other", []),
        (CR, "author", [Action.EDIT, Action.EDIT_NOTE, Action.SUBMIT, Action.DELETE]),
        (A, "author", [Action.EDIT, Action.EDIT_NOTE]),
        (A, "reviewer", []),
        (R, "author", []),
    ],
)
def test_allowed_actions_are_what_pages_offer(status, role, actions):
    assert workflow.allowed_actions(status, ROLES[role]) == actions


def test_the_workflow_module_does_not_import_the_orm():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(workflow))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name and name.startswith("django")}
    assert "annotations.models" not in imported


@pytest.mark.parametrize(
    ("action", "phrase"),
    [
        ("edit_note", "Cannot edit the note of a claim that is submitted."),
        ("request_changes", "Cannot request changes to a claim that is draft."),
        ("submit", "Cannot submit a claim that is submitted."),
    ],
)
def test_a_refusal_names_the_action_in_words(action, phrase):
    status = "draft" if action == "request_changes" else "submitted"
    participant = workflow.Participant(is_author=action != "request_changes", can_review=True)
    with pytest.raises(InvalidTransition) as refused:
        workflow.next_status(status, action, participant)
    assert refused.value.detail == phrase
