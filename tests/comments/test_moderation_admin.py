"""The moderation queue in admin (issue 5): order, filters, search, bulk actions through the
admin's own URLs, actions hidden without permission, and a fixed number of queries."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments.models import Ban, BlockedTerm, Comment, Flag, ModerationAction
from comments.moderation.screening import block_list
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def mod_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def _flag(comment, reason=Flag.Reason.ABUSE, name=None):
    reader = UserFactory(username=name or f"f{comment.pk}-{Flag.objects.count()}")
    return Flag.objects.create(comment=comment, reader=reader, reason=reason)


def _rows(response) -> list[int]:
    """The comment ids of a changelist page, in order."""
    return [comment.pk for comment in response.context["cl"].result_list]


def _bulk(client, action, comments, *, view="?queue=all", **extra):
    """Send a bulk action from the list `view` (the form posts to the page it is on)."""
    data = {"action": action, "_selected_action": [c.pk for c in comments], **extra}
    return client.post(reverse(CHANGELIST) + view, data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ─── The queue ───────────────────────────────────────────────────────────────


def test_the_whole_queue_lists_held_then_flagged_then_the_rest(mod_client, post):
    plain = CommentFactory(post=post)
    flagged = CommentFactory(post=post)
    _flag(flagged)
    held = CommentFactory(post=post, pending=True)
    newest = CommentFactory(post=post)
    response = mod_client.get(reverse(CHANGELIST), {"queue": "all"})
    assert response.status_code == 200
    assert _rows(response) == [held.pk, flagged.pk, newest.pk, plain.pk]


def test_the_queue_shows_the_flags_with_their_reasons(mod_client, post):
    comment = CommentFactory(post=post)
    _flag(comment, Flag.Reason.SPAM)
    _flag(comment, Flag.Reason.ABUSE)
    page = mod_client.get(reverse(CHANGELIST)).content.decode()
    assert "2: abuse, spam" in page
    assert comment.get_absolute_url() in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "pending"}, ["held"]),
        ({"flagged": "open"}, ["flagged"]),
        ({"flag_reason": "impersonation"}, ["flagged"]),
        ({"q": "needle"}, ["plain"]),
    ],
)
def test_the_queue_filters_and_searches(mod_client, post, query, expected):
    made = {
        "plain": CommentFactory(post=post, body="A needle in the haystack."),
        "held": CommentFactory(post=post, pending=True),
        "flagged": CommentFactory(post=post),
    }
    _flag(made["flagged"], Flag.Reason.IMPERSONATION)
    response = mod_client.get(reverse(CHANGELIST), query)
    assert _rows(response) == [made[name].pk for name in expected]


def test_the_queue_filters_by_post_and_author(mod_client, post, other_post, reader):
    mine = CommentFactory(post=other_post, author=reader)
    CommentFactory(post=post)
    by_post = mod_client.get(reverse(CHANGELIST), {"post__id__exact": other_post.pk})
    by_author = mod_client.get(reverse(CHANGELIST), {"author__id__exact": reader.pk})
    assert _rows(by_post) == _rows(by_author) == [mine.pk]


@pytest.mark.parametrize("count", [10, 60])
def test_the_queue_runs_a_fixed_number_of_queries(
    mod_client, post, reader, count, django_assert_max_num_queries
):
    for n in range(count):
        comment = CommentFactory(post=post if n % 2 else PostFactory(), author=reader)
        if n % 3 == 0:
            _flag(comment)
    # Session, user, permissions (2), count, total count, the page, authors' roles,
    # filter choices (posts, authors), date hierarchy, savepoints.
    with django_assert_max_num_queries(17):
        assert mod_client.get(reverse(CHANGELIST)).status_code == 200


# ─── Bulk actions ────────────────────────────────────────────────────────────


def test_bulk_approve_publishes_and_logs_each(mod_client, post, moderator):
    held = [CommentFactory(post=post, pending=True) for _ in range(2)]
    response = _bulk(mod_client, "approve", held)
    assert "2 comments were approved." in _messages(response)
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert ModerationAction.objects.filter(action="publish", moderator=moderator).count() == 2


def test_bulk_remove_uses_the_reason_from_the_action_bar(mod_client, post):
    comments = [CommentFactory(post=post) for _ in range(3)]
    response = _bulk(mod_client, "remove", comments, reason="Off-topic")
    assert "3 comments were removed." in _messages(response)
    assert set(Comment.objects.values_list("status", "moderation_reason")) == {
        (Status.REMOVED, "Off-topic")
    }


def test_bulk_remove_without_a_reason_changes_nothing(mod_client, post):
    comment = CommentFactory(post=post)
    response = _bulk(mod_client, "remove", [comment], reason="")
    assert any("Give a reason" in m for m in _messages(response))
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_bulk_spam_and_restore(mod_client, post):
    comment = CommentFactory(post=post)
    assert "1 comment was marked as spam." in _messages(_bulk(mod_client, "mark_spam", [comment]))
    assert "1 comment was restored." in _messages(_bulk(mod_client, "restore", [comment]))
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["restore", "spam"]


def test_bulk_dismiss_flags(mod_client, post):
    flagged = CommentFactory(post=post)
    _flag(flagged)
    unflagged = CommentFactory(post=post)
    response = _bulk(mod_client, "dismiss_flags", [flagged, unflagged])
    assert "The flags on 1 comment were dismissed." in _messages(response)
    assert Flag.objects.get().outcome == Flag.Outcome.DISMISSED


def test_bulk_ban_bans_each_author_once_and_skips_guests(mod_client, post, reader):
    comments = [CommentFactory(post=post, author=reader) for _ in range(2)]
    comments.append(CommentFactory(post=post, guest=True))
    response = _bulk(mod_client, "ban_authors", comments, reason="Spamming", ban_days="30")
    assert "1 reader was banned for 30 days." in _messages(response)
    assert any("by a guest" in m for m in _messages(response))
    assert Ban.objects.in_force().get().user == reader
    assert ModerationAction.objects.filter(action="ban").count() == 1


def test_bulk_ban_for_good_and_shadow(mod_client, post, reader):
    comment = CommentFactory(post=post, author=reader)
    _bulk(mod_client, "ban_authors", [comment], reason="Bot", ban_days="0", shadow="on")
    ban = Ban.objects.get()
    assert (ban.ends_at, ban.is_shadow) == (None, True)


def test_repeating_a_bulk_action_says_nothing_changed(mod_client, post):
    comment = CommentFactory(post=post, pending=True)
    _bulk(mod_client, "approve", [comment])
    response = _bulk(mod_client, "approve", [comment])
    assert any("Nothing changed" in m for m in _messages(response))
    assert ModerationAction.objects.count() == 1


def test_refusals_in_a_bulk_action_are_reported(mod_client, post):
    deleted = CommentFactory(post=post, deleted=True)
    response = _bulk(mod_client, "remove", [deleted], reason="Rude")
    assert any("deleted by its author" in m for m in _messages(response))


# ─── Who sees which actions ──────────────────────────────────────────────────


def _action_names(client) -> set[str]:
    form = client.get(reverse(CHANGELIST)).context["action_form"]
    if form is None:  # admin shows no action bar at all
        return set()
    return {name for name, _ in form.fields["action"].choices if name}


MODERATION_ACTIONS = {"approve", "remove", "mark_spam", "restore", "dismiss_flags", "ban_authors"}


def test_moderators_get_the_moderation_actions_but_not_bulk_delete(mod_client):
    assert _action_names(mod_client) == MODERATION_ACTIONS


def test_superusers_also_get_bulk_delete(superuser):
    client = Client()
    client.force_login(superuser)
    assert _action_names(client) == MODERATION_ACTIONS | {"delete_selected"}


def test_staff_who_may_only_view_comments_get_no_actions(author):
    author.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(author)
    assert _action_names(client) == set()


def test_a_bulk_action_posted_without_permission_changes_nothing(author, post):
    author.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(author)
    comment = CommentFactory(post=post)
    _bulk(client, "remove", [comment], reason="Sneaky")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert not ModerationAction.objects.exists()


def test_a_superuser_bulk_delete_goes_through_the_write_function(superuser, post):
    client = Client()
    client.force_login(superuser)
    parent = CommentFactory(post=post)
    leaves = [CommentFactory(post=post, parent=parent), CommentFactory(post=post)]
    _bulk(client, "delete_selected", leaves, post="yes")
    assert list(Comment.objects.all()) == [parent]
    assert ModerationAction.objects.filter(action="delete").count() == 2


def test_bulk_delete_keeps_a_comment_with_replies(superuser, post):
    client = Client()
    client.force_login(superuser)
    parent = CommentFactory(post=post)
    CommentFactory(post=post, parent=parent)
    response = _bulk(client, "delete_selected", [parent], post="yes")
    assert Comment.objects.count() == 2
    assert "protected" in response.content.decode()


# ─── The change form ─────────────────────────────────────────────────────────


def test_changing_the_status_in_the_change_form_is_logged(mod_client, post, moderator):
    comment = CommentFactory(post=post)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {
        "status": "removed",
        "moderation_reason": "Insults",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    assert mod_client.post(url, data).status_code == 302
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.reason) == ("remove", moderator, "Insults")


def test_removing_in_the_change_form_needs_a_reason(mod_client, post):
    comment = CommentFactory(post=post)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {"status": "removed", "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"}
    assert mod_client.post(url, data).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_the_change_form_lists_the_flags(mod_client, post):
    comment = CommentFactory(post=post)
    Flag.objects.create(
        comment=comment, reader=UserFactory(username="noter"), reason="other", note="Fake quote"
    )
    page = mod_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "Something else (say what): Fake quote" in page.content.decode()


# ─── Bans and the block list ─────────────────────────────────────────────────


def test_moderators_lift_bans_in_admin(mod_client, moderator, reader):
    from comments.moderation.actions import user_ban

    ban = user_ban(user=reader, moderator=moderator, reason="Heat", days=7)
    data = {"action": "lift", "_selected_action": [ban.pk]}
    response = mod_client.post(reverse("admin:comments_ban_changelist"), data, follow=True)
    assert "1 ban was lifted." in _messages(response)
    assert not Ban.objects.in_force().exists()


def test_moderators_manage_the_block_list_and_it_applies_at_once(mod_client):
    assert block_list().words == ()
    url = reverse("admin:comments_blockedterm_add")
    response = mod_client.post(url, {"kind": "word", "value": "  Casino  ", "note": "Ads"})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().value == "casino"
    assert block_list().words == ("casino",)


def test_the_moderation_log_is_read_only_in_admin(mod_client, post, moderator):
    from comments.moderation.actions import comment_remove

    comment_remove(comment=CommentFactory(post=post), moderator=moderator, reason="Rude")
    logged = ModerationAction.objects.get()
    assert mod_client.get(reverse("admin:comments_moderationaction_changelist")).status_code == 200
    change = reverse("admin:comments_moderationaction_change", args=[logged.pk])
    assert mod_client.post(change, {"reason": "Edited"}).status_code == 403
