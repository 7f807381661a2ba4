"""Admin: import runs with their reports, the review of inferred links, impersonation suspects
(issue 9). Every review decision is logged and rebuilds the thread."""

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationAction
from imports.models import ImpersonationSuspect, ImportedComment, ImportRun
from imports.records import InferredLink, ThreadInference

from .conftest import comment, flat_thread, source_post

pytestmark = pytest.mark.django_db

REVIEW = "admin:imports_importedcomment_changelist"
SUSPECTS = "admin:imports_impersonationsuspect_changelist"
Review = ImportedComment.ReviewState


@pytest.fixture
def mod_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def thread(write):
    """Comments 2 and 4 inferred as replies to 1; 3 and 4 under suspicion."""
    inference = ThreadInference(
        links=[
            InferredLink(child=1, parent=0, rule="number", confidence=0.95, evidence="@1"),
            InferredLink(child=3, parent=0, rule="at_name", confidence=0.55, evidence="Steve,"),
        ],
        suspects=[(3, 1, "Marta wrote with two different emails")],
    )
    extra = [comment("Lee", 5, "Reply to Marta"), comment("Ann", 6, "A sixth one")]
    outcome = write(source_post(comments=[*flat_thread(), *extra]), inference)
    return outcome


def _imported(number: int) -> ImportedComment:
    return ImportedComment.objects.get(comment__number=number)


def _bulk(client, url, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(reverse(url), data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_review_list_shows_child_and_parent_side_by_side(mod_client, thread):
    response = mod_client.get(reverse(REVIEW))
    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert sorted(row.comment.number for row in rows) == [2, 4]
    html = response.content.decode()
    assert "@1 no it is not." in html and "First! The vote is a distraction." in html
    assert "at_name" in html and "Steve," in html


def test_review_list_filters_by_rule_confidence_and_state(mod_client, thread):
    for query, expected in (
        ("?rule=number", [2]),
        ("?confidence=medium", [4]),
        ("?review_state=unreviewed", [2, 4]),
    ):
        rows = mod_client.get(reverse(REVIEW) + query).context["cl"].result_list
        assert sorted(row.comment.number for row in rows) == expected


def test_review_list_runs_a_fixed_number_of_queries(
    mod_client, thread, write, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        mod_client.get(reverse(REVIEW))
    many = [comment(f"P{n}", n, f"@1 reply {n}") for n in range(2, 60)]
    links = [
        InferredLink(child=i, parent=0, rule="number", confidence=0.9, evidence="@1")
        for i in range(1, len(many) + 1)
    ]
    write(
        source_post(
            "Busy", old_url="http://o.example/busy", comments=[comment("A", 1, "x"), *many]
        ),
        ThreadInference(links=links),
    )
    with django_assert_max_num_queries(12):
        mod_client.get(reverse(REVIEW))


def test_accepting_a_link_keeps_the_parent_and_is_logged_once(mod_client, moderator, thread):
    response = _bulk(mod_client, REVIEW, "accept", [_imported(2)])
    assert "1 link accepted." in _messages(response)
    assert _imported(2).review_state == Review.ACCEPTED
    assert Comment.objects.get(number=2).parent_number == 1
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator, action.comment_number, action.is_public) == (
        ModerationAction.Action.ACCEPT_LINK,
        moderator,
        2,
        False,
    )
    _bulk(mod_client, REVIEW, "accept", [_imported(2)])
    assert ModerationAction.objects.count() == 1


def test_making_a_reply_top_level_moves_it_with_its_replies(mod_client, thread, write):
    imported = _imported(4)
    _bulk(mod_client, REVIEW, "make_top_level", [imported])
    reply = Comment.objects.get(number=4)
    assert (reply.parent_number, reply.depth, reply.root_number, reply.thread_position) == (
        None,
        0,
        4,
        0,
    )
    assert _imported(4).review_state == Review.TOP_LEVEL
    assert list(
        Comment.objects.filter(post=reply.post).in_thread_order().values_list("number", flat=True)
    ) == [1, 2, 3, 4, 5, 6]
    action = ModerationAction.objects.get()
    assert action.action == ModerationAction.Action.REPARENT
    assert "#1 → top level" in action.reason


def test_changing_the_parent_rebuilds_the_thread_and_is_logged(mod_client, thread):
    response = _bulk(mod_client, REVIEW, "change_parent", [_imported(4)], parent_number=3)
    assert "1 link moved under #3." in _messages(response)
    moved = Comment.objects.get(number=4)
    assert (moved.parent_number, moved.depth, moved.root_number) == (3, 1, 3)
    imported = _imported(4)
    assert (imported.review_state, imported.inferred_parent_number) == (Review.CHANGED, 1)
    assert "#1 → #3" in ModerationAction.objects.get().reason


@pytest.mark.parametrize(
    ("number", "message"), [(9, "There is no comment #9"), (4, "can only answer an older")]
)
def test_an_impossible_parent_is_refused_and_changes_nothing(mod_client, thread, number, message):
    response = _bulk(mod_client, REVIEW, "change_parent", [_imported(4)], parent_number=number)
    assert any(message in m for m in _messages(response))
    assert Comment.objects.get(number=4).parent_number == 1
    assert not ModerationAction.objects.exists()


def test_change_parent_without_a_number_asks_for_one(mod_client, thread):
    response = _bulk(mod_client, REVIEW, "change_parent", [_imported(4)])
    assert "Give the new parent's number next to the action." in _messages(response)


# Not staff: the admin asks for a staff sign-in (302); staff without the permission: 403.
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("reader", 302), ("author", 403)])
def test_only_moderators_reach_the_review(client, who, status, reader, author, thread):
    if who != "anonymous":
        client.force_login(reader if who == "reader" else author)
    response = client.get(reverse(REVIEW))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    response = _bulk(client, REVIEW, "make_top_level", [_imported(4)])
    assert Comment.objects.get(number=4).parent_number == 1


def test_impersonation_suspects_list_both_comments_and_can_be_dismissed(mod_client, thread):
    response = mod_client.get(reverse(SUSPECTS))
    html = response.content.decode()
    assert "Marta wrote with two different emails" in html
    assert "Steve, read the minutes." in html and "@1 no it is not." in html
    suspect = ImpersonationSuspect.objects.get()
    response = _bulk(mod_client, SUSPECTS, "dismiss", [suspect])
    assert "1 suspect dismissed." in _messages(response)
    suspect.refresh_from_db()
    assert suspect.state == ImpersonationSuspect.State.DISMISSED


def test_import_runs_link_to_their_report(mod_client, stand_in_reader):
    call_command("import_blog", str(stand_in_reader([source_post("Reported post")])), stdout=None)
    run = ImportRun.objects.get()
    listing = mod_client.get(reverse("admin:imports_importrun_changelist"))
    assert run.get_absolute_url() in listing.content.decode()
    report = mod_client.get(run.get_absolute_url())
    assert report.status_code == 200
    assert "Reported post" in report.content.decode()


def test_readers_do_not_see_reports(client, reader, run):
    client.force_login(reader)
    response = client.get(reverse("admin:imports_importrun_report", args=[run.pk]))
    assert response.status_code == 302


def test_detail_pages_of_links_and_suspects_open_read_only(mod_client, thread):
    imported = _imported(4)
    page = mod_client.get(reverse("admin:imports_importedcomment_change", args=[imported.pk]))
    assert page.status_code == 200 and "Steve," in page.content.decode()
    suspect = ImpersonationSuspect.objects.get()
    page = mod_client.get(reverse("admin:imports_impersonationsuspect_change", args=[suspect.pk]))
    assert page.status_code == 200


def test_suspect_and_run_lists_run_a_fixed_number_of_queries(
    mod_client, thread, write, stand_in_reader, django_assert_max_num_queries
):
    for name in ("a.txt", "b.txt", "c.txt"):
        call_command("import_blog", str(stand_in_reader([source_post()], name=name)), stdout=None)
    inference = ThreadInference(suspects=[(i, 0, "same name, other email") for i in range(1, 8)])
    write(source_post("Busy", old_url="http://o.example/b", comments=flat_thread() * 2), inference)
    for url in (SUSPECTS, "admin:imports_importrun_changelist"):
        with django_assert_max_num_queries(12):
            assert mod_client.get(reverse(url)).status_code == 200
