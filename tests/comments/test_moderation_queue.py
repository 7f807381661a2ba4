"""The admin queue's review view (issue 11): it opens on what needs review, oldest first,
shows what a moderator decides on, and approves or removes with one button per row; search
by name, email and address. Every decision goes through the write functions and is logged."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Flag, ModerationAction
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def mod_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def _flag(comment, reason=Flag.Reason.ABUSE):
    reader = UserFactory(username=f"flagger{comment.pk}-{Flag.objects.count()}")
    return Flag.objects.create(comment=comment, reader=reader, reason=reason)


def _aged(comment, minutes: int):
    """The comment as if posted `minutes` ago."""
    created = timezone.now() - timezone.timedelta(minutes=minutes)
    Comment.objects.filter(pk=comment.pk).update(created_at=created)
    return comment


def _rows(response) -> list[int]:
    return [comment.pk for comment in response.context["cl"].result_list]


def _press(client, decision, comment, view="", **typed):
    """Press a row's Approve or Remove button (the list's own form posts to its page)."""
    data = {"queue_decide": f"{decision}:{comment.pk}", "action": "", **typed}
    return client.post(CHANGELIST + view, data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ─── What it opens on ────────────────────────────────────────────────────────


def test_the_queue_opens_on_held_and_flagged_comments_only(mod_client, post):
    CommentFactory(post=post)
    held = CommentFactory(post=post, pending=True)
    flagged = CommentFactory(post=post)
    _flag(flagged)
    CommentFactory(post=post, removed=True)
    assert sorted(_rows(mod_client.get(CHANGELIST))) == sorted([held.pk, flagged.pk])


def test_the_queue_opens_held_first_then_flagged_each_oldest_first(mod_client, post):
    new_held = _aged(CommentFactory(post=post, pending=True), 5)
    old_held = _aged(CommentFactory(post=post, pending=True), 50)
    new_flagged = _aged(CommentFactory(post=post), 1)
    old_flagged = _aged(CommentFactory(post=post), 90)
    _flag(new_flagged)
    _flag(old_flagged)
    rows = _rows(mod_client.get(CHANGELIST))
    assert rows == [old_held.pk, new_held.pk, old_flagged.pk, new_flagged.pk]


def test_the_queue_offers_every_comment_in_one_click(mod_client, post):
    plain = CommentFactory(post=post)
    page = mod_client.get(CHANGELIST).content.decode()
    assert "?queue=all" in page
    assert plain.pk in _rows(mod_client.get(CHANGELIST, {"queue": "all"}))


def test_another_filter_widens_the_queue_to_every_comment(mod_client, post):
    removed = CommentFactory(post=post, removed=True)
    assert _rows(mod_client.get(CHANGELIST, {"status__exact": "removed"})) == [removed.pk]


def test_paging_and_sorting_keep_the_review_view(mod_client, post):
    CommentFactory(post=post)
    held = CommentFactory(post=post, pending=True)
    assert _rows(mod_client.get(CHANGELIST, {"o": "7"})) == [held.pk]


def test_a_bulk_action_from_the_review_view_acts_on_the_selection(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    data = {"action": "approve", "_selected_action": [held.pk], "index": "0"}
    mod_client.post(CHANGELIST, data, follow=True)
    held.refresh_from_db()
    assert held.status == Status.PUBLISHED


# ─── What each row shows ─────────────────────────────────────────────────────


def test_a_row_shows_text_post_status_and_flag_reasons(mod_client, post):
    comment = CommentFactory(post=post, body="The zoning board never *read* the plan.")
    _flag(comment, Flag.Reason.OFF_TOPIC)
    page = mod_client.get(CHANGELIST).content.decode()
    assert "The zoning board never *read* the plan." in page
    assert post.title in page
    assert "1: off_topic" in page
    assert "Published" in page
    assert comment.get_absolute_url() in page


def test_a_guest_row_carries_the_guest_mark(mod_client, post):
    CommentFactory(post=post, guest=True, guest_name="Steve", pending=True)
    page = mod_client.get(CHANGELIST).content.decode()
    assert "queue-mark--guest" in page
    assert "Steve" in page


def test_a_moderators_row_carries_the_role_mark_and_a_readers_none(mod_client, post, moderator):
    CommentFactory(post=post, author=moderator, pending=True)
    CommentFactory(post=post, pending=True)
    page = mod_client.get(CHANGELIST).content.decode()
    assert page.count('class="queue-mark queue-mark--moderator"') == 1
    assert "queue-mark--registered" not in page


def test_the_held_reason_shows_next_to_the_text(mod_client, post):
    comment = CommentFactory(post=post, pending=True)
    Comment.objects.filter(pk=comment.pk).update(moderation_reason="Links to a blocked domain")
    assert "[Links to a blocked domain]" in mod_client.get(CHANGELIST).content.decode()


def test_the_comment_text_is_escaped(mod_client, post):
    CommentFactory(post=post, body="<script>alert(1)</script> sneaky", pending=True)
    page = mod_client.get(CHANGELIST).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("count", [10, 60])
def test_the_review_view_runs_a_fixed_number_of_queries(
    mod_client, post, count, django_assert_max_num_queries
):
    for n in range(count):
        comment = CommentFactory(post=post, guest=n % 4 == 0, pending=n % 2 == 0)
        if n % 3 == 0:
            _flag(comment)
    with django_assert_max_num_queries(17):
        assert mod_client.get(CHANGELIST).status_code == 200


# ─── One button per decision ─────────────────────────────────────────────────


def test_a_held_row_has_approve_and_remove_buttons(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    page = mod_client.get(CHANGELIST).content.decode()
    assert f'name="queue_decide" value="approve:{held.pk}"' in page
    assert f'name="queue_decide" value="remove:{held.pk}"' in page


def test_a_removed_row_offers_restore_and_no_remove(mod_client, post):
    removed = CommentFactory(post=post, removed=True)
    page = mod_client.get(CHANGELIST, {"queue": "all"}).content.decode()
    assert f'value="approve:{removed.pk}" aria-label="Restore #{removed.number}"' in page
    assert f'value="remove:{removed.pk}"' not in page


def test_approve_publishes_a_held_comment_and_logs_it(mod_client, post, moderator):
    held = CommentFactory(post=post, pending=True)
    response = _press(mod_client, "approve", held)
    held.refresh_from_db()
    assert held.status == Status.PUBLISHED
    assert f"#{held.number} on {post} was approved." in _messages(response)
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.comment) == ("publish", moderator, held)


def test_approve_on_a_flagged_comment_dismisses_its_flags_and_logs_it(mod_client, post):
    flagged = CommentFactory(post=post)
    flag = _flag(flagged)
    _press(mod_client, "approve", flagged)
    flag.refresh_from_db()
    assert flag.outcome == Flag.Outcome.DISMISSED
    assert ModerationAction.objects.get().action == "dismiss_flags"


def test_approve_on_a_removed_comment_restores_it(mod_client, post):
    removed = CommentFactory(post=post, removed=True)
    _press(mod_client, "approve", removed, view="?queue=all")
    removed.refresh_from_db()
    assert removed.status == Status.PUBLISHED
    assert ModerationAction.objects.get().action == "restore"


def test_remove_takes_the_reason_typed_in_the_action_bar(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    _press(mod_client, "remove", held, reason="Personal attack")
    held.refresh_from_db()
    assert (held.status, held.moderation_reason) == (Status.REMOVED, "Personal attack")
    assert ModerationAction.objects.get().reason == "Personal attack"


def test_remove_without_a_typed_reason_gives_the_flag_reasons(mod_client, post):
    flagged = CommentFactory(post=post)
    _flag(flagged, Flag.Reason.ABUSE)
    _flag(flagged, Flag.Reason.SPAM)
    _press(mod_client, "remove", flagged)
    flagged.refresh_from_db()
    assert flagged.moderation_reason == (
        "Flagged by readers: Abuse or harassment; Spam or advertising."
    )


def test_remove_without_a_reason_or_flags_gives_the_standard_reason(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    _press(mod_client, "remove", held)
    held.refresh_from_db()
    assert held.moderation_reason == "Breaks the discussion rules."


def test_pressing_approve_twice_logs_once(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    _press(mod_client, "approve", held)
    _press(mod_client, "approve", held)
    assert ModerationAction.objects.count() == 1


def test_the_button_ignores_the_selected_bulk_action(mod_client, post):
    """A row button sends the whole list form; a chosen bulk action must not run with it."""
    held = CommentFactory(post=post, pending=True)
    other = CommentFactory(post=post, pending=True)
    data = {"action": "remove", "reason": "x", "_selected_action": [other.pk]}
    _press(mod_client, "approve", held, **data)
    other.refresh_from_db()
    assert other.status == Status.PENDING


def test_staff_who_may_only_view_comments_cannot_press_the_buttons(author, post):
    author.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(author)
    held = CommentFactory(post=post, pending=True)
    response = client.post(CHANGELIST, {"queue_decide": f"approve:{held.pk}"})
    held.refresh_from_db()
    assert response.status_code == 403
    assert held.status == Status.PENDING
    assert not ModerationAction.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, post):
    held = CommentFactory(post=post, pending=True)
    response = client.post(CHANGELIST, {"queue_decide": f"approve:{held.pk}"})
    held.refresh_from_db()
    assert response.status_code == 302
    assert held.status == Status.PENDING


@pytest.mark.parametrize("value", ["approve:", "approve:abc", "publish:1", "nonsense"])
def test_a_garbled_button_value_changes_nothing_and_says_so(mod_client, post, value):
    held = CommentFactory(post=post, pending=True)
    response = mod_client.post(CHANGELIST, {"queue_decide": value}, follow=True)
    held.refresh_from_db()
    assert response.status_code == 200
    assert held.status == Status.PENDING
    assert "That button is out of date; reload." in _messages(response)


def test_a_button_for_a_deleted_comment_says_so(mod_client, post):
    held = CommentFactory(post=post, pending=True)
    pk = held.pk
    held.delete()
    response = mod_client.post(CHANGELIST, {"queue_decide": f"approve:{pk}"}, follow=True)
    assert "That comment no longer exists." in _messages(response)


def test_a_comment_deleted_by_its_author_is_refused_with_a_message(mod_client, post):
    gone = CommentFactory(post=post, deleted=True)
    response = _press(mod_client, "remove", gone, view="?queue=all")
    assert any("deleted by its author" in m for m in _messages(response))
    assert not ModerationAction.objects.exists()


# ─── Search by name, email and address ───────────────────────────────────────


def _search(client, term) -> list[int]:
    return _rows(client.get(CHANGELIST, {"q": term}))


def test_search_finds_a_registered_authors_comments_by_name(mod_client, post):
    zelda = UserFactory(username="zelda", display_name="Zelda Quartermaine")
    mine = CommentFactory(post=post, author=zelda)
    CommentFactory(post=post)
    assert _search(mod_client, "Quartermaine") == [mine.pk]
    assert _search(mod_client, "zelda") == [mine.pk]


def test_search_finds_a_registered_authors_comments_by_email(mod_client, post):
    zelda = UserFactory(username="zelda", email="zq@example.org")
    mine = CommentFactory(post=post, author=zelda)
    CommentFactory(post=post)
    assert _search(mod_client, "zq@example.org") == [mine.pk]


def test_search_finds_a_guests_comments_by_name_and_email(mod_client, post):
    guest = CommentFactory(post=post, guest=True, guest_name="Steve", guest_email="s@example.net")
    CommentFactory(post=post)
    assert _search(mod_client, "Steve") == [guest.pk]
    assert _search(mod_client, "s@example.net") == [guest.pk]


def test_search_finds_the_comments_sent_from_an_address(mod_client, post):
    sent = CommentFactory(post=post, ip_address="203.0.113.7")
    CommentFactory(post=post, ip_address="203.0.113.70")
    assert _search(mod_client, "203.0.113.7") == [sent.pk]


def test_search_by_address_matches_any_spelling_of_an_ipv6_address(mod_client, post):
    sent = CommentFactory(post=post, ip_address="2001:db8::1")
    assert _search(mod_client, "2001:0DB8:0000::0001") == [sent.pk]


def test_search_by_network_finds_every_address_inside_it(mod_client, post):
    inside = [CommentFactory(post=post, ip_address=f"198.51.100.{n}") for n in (1, 200)]
    CommentFactory(post=post, ip_address="198.51.101.1")
    assert sorted(_search(mod_client, "198.51.100.0/24")) == sorted(c.pk for c in inside)


def test_search_for_an_address_like_text_that_is_none_answers_normally(mod_client, post):
    CommentFactory(post=post, ip_address="203.0.113.7")
    response = mod_client.get(CHANGELIST, {"q": "999.1.1.1/99"})
    assert response.status_code == 200
    assert _rows(response) == []
